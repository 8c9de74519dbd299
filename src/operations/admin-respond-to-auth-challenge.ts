import type { Operation } from './deps.js';
import { answerChallenge } from './new-password-challenge.js';
import { loadSignInClient } from './sign-in-client.js';

export const adminRespondToAuthChallenge: Operation<'AdminRespondToAuthChallenge'> = (deps) => async (input, ctx) => {
  const sc = await loadSignInClient(deps, input.ClientId, input.UserPoolId);
  return answerChallenge(deps, sc, input, ctx);
};
