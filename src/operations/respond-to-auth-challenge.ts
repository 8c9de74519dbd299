import type { Operation } from './deps.js';
import { answerChallenge } from './new-password-challenge.js';
import { loadSignInClient } from './sign-in-client.js';

export const respondToAuthChallenge: Operation<'RespondToAuthChallenge'> = (deps) => async (input, ctx) => {
  const sc = await loadSignInClient(deps, input.ClientId);
  return answerChallenge(deps, sc, input, ctx);
};
