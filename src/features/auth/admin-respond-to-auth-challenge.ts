import type { Operation } from '../operation.js';
import { challengeEntry, type ChallengeDeps } from './challenges/index.js';
import { loadSignInClient, type SignInClientDeps } from './sign-in-client.js';
import { challengeStep, guardSignInStep, originOf, type SignInThreatDeps } from './sign-in-threats.js';

/** The signed variant of RespondToAuthChallenge: the pool is named; the same challenge entries answer. */
export const adminRespondToAuthChallenge: Operation<'AdminRespondToAuthChallenge', SignInClientDeps | ChallengeDeps | SignInThreatDeps> = (deps) => async (input, ctx) => {
  const sc = await loadSignInClient(deps, input.ClientId, input.UserPoolId);
  const challenge = challengeEntry('AdminRespondToAuthChallenge', input.ChallengeName);
  const run = () => challenge.answer(deps, sc, input, ctx);
  const step = challengeStep(input.ChallengeName, input.ChallengeResponses);
  return step ? guardSignInStep(deps, sc, originOf(ctx, input.ContextData), step, run) : run();
};
