import type { Operation } from '../operation.js';
import { answerChallenge } from './challenges/new-password-challenge.js';
import { loadSignInClient } from './sign-in-client.js';
import { answerPasswordVerifier } from './flows/srp-sign-in.js';

export const adminRespondToAuthChallenge: Operation<'AdminRespondToAuthChallenge'> = (deps) => async (input, ctx) => {
  const sc = await loadSignInClient(deps, input.ClientId, input.UserPoolId);
  if (input.ChallengeName === 'PASSWORD_VERIFIER') return answerPasswordVerifier(deps, sc, input.ChallengeResponses, ctx);
  return answerChallenge(deps, sc, input, ctx);
};
