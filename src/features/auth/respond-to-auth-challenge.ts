import type { Operation } from '../operation.js';
import { challengeEntry, type ChallengeDeps } from './challenges/index.js';
import { loadSignInClient, type SignInClientDeps } from './sign-in-client.js';

/** Answers a challenge a sign-in returned, through its entry in challenges/index.ts. */
export const respondToAuthChallenge: Operation<'RespondToAuthChallenge', SignInClientDeps | ChallengeDeps> = (deps) => async (input, ctx) => {
  const sc = await loadSignInClient(deps, input.ClientId);
  const challenge = challengeEntry('RespondToAuthChallenge', input.ChallengeName);
  return challenge.answer(deps, sc, input, ctx);
};
