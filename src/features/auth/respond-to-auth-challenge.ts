import type { Operation } from '../operation.js';
import { challengeEntry, type ChallengeDeps } from './challenges/index.js';
import { loadSignInClient, type SignInClientDeps } from './sign-in-client.js';
import { challengeStep, guardSignInStep, publicOriginOf, type SignInThreatDeps } from './sign-in-threats.js';

/** Answers a challenge a sign-in returned, through its entry in challenges/index.ts. */
export const respondToAuthChallenge: Operation<'RespondToAuthChallenge', SignInClientDeps | ChallengeDeps | SignInThreatDeps> = (deps) => async (input, ctx) => {
  const sc = await loadSignInClient(deps, input.ClientId);
  const challenge = challengeEntry('RespondToAuthChallenge', input.ChallengeName);
  const run = () => challenge.answer(deps, sc, input, ctx);
  const step = challengeStep(input.ChallengeName, input.ChallengeResponses);
  return step ? guardSignInStep(deps, sc, publicOriginOf(ctx, sc, input.UserContextData), step, run) : run();
};
