import type { Operation } from '../operation.js';
import { answerChallenge } from './challenges/new-password-challenge.js';
import { loadSignInClient } from './sign-in-client.js';
import { answerPasswordVerifier } from './flows/srp-sign-in.js';

export const respondToAuthChallenge: Operation<'RespondToAuthChallenge'> = (deps) => async (input, ctx) => {
  const sc = await loadSignInClient(deps, input.ClientId);
  if (input.ChallengeName === 'PASSWORD_VERIFIER') return answerPasswordVerifier(deps, sc, input.ChallengeResponses, ctx);
  return answerChallenge(deps, sc, input, ctx);
};
