import type { Operation } from '../operation.js';
import { challengeEntry, type ChallengeDeps } from './challenges/index.js';
import { loadSignInClient, type SignInClientDeps } from './sign-in-client.js';

/** The signed variant of RespondToAuthChallenge: the pool is named; the same challenge entries answer. */
export const adminRespondToAuthChallenge: Operation<'AdminRespondToAuthChallenge', SignInClientDeps | ChallengeDeps> = (deps) => async (input, ctx) => {
  const sc = await loadSignInClient(deps, input.ClientId, input.UserPoolId);
  const challenge = challengeEntry('AdminRespondToAuthChallenge', input.ChallengeName);
  return challenge.answer(deps, sc, input, ctx);
};
