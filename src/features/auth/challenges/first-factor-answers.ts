import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import type { ChallengeAnswer } from './challenge-answer.js';
import { checkClientSecretHash, requiredParameter, type SignInClient } from '../sign-in-client.js';
import { passwordSignIn } from '../flows/password-sign-in.js';
import { srpSignIn } from '../flows/srp-sign-in.js';
import { refuseUnableUser, USER_AUTH_MESSAGES, type UserAuthSignInDeps } from '../flows/user-auth-sign-in.js';
import { codeChallenge } from './mfa-step.js';
import { signInRelyingParty, webAuthnChallenge } from './web-authn-challenge.js';
import { isFirstFactorChallenge, type FirstFactorChallenge } from '../../../domain/auth/first-factors.js';
import { findUser } from '../../../services/directory/find-user.js';
import { INVALID_SESSION, openSession } from '../../../services/sessions/auth-session.js';
import { invalidParameter, notAuthorized } from '../../../kernel/errors.js';
import type { RespondToAuthChallengeResponse } from '../../../model/generated/types.js';

export type FirstFactorAnswerDeps = UserAuthSignInDeps;

/**
 * The answer to SELECT_CHALLENGE (MODEL RespondToAuthChallenge.ChallengeResponses): ANSWER
 * names one of the AvailableChallenges the session offered. PASSWORD and PASSWORD_SRP complete
 * in the same request (PASSWORD / SRP_A inline: tokens, MFA, or PASSWORD_VERIFIER follow as in
 * the password flows); EMAIL_OTP and SMS_OTP send the code, answered in the next step; WEB_AUTHN
 * answers the passkey challenge, whose CREDENTIAL comes in the next step (Amplify's order). The
 * model also lists PASSWORD and PASSWORD_SRP as challenge names of their own with the same
 * responses: `fixed` answers those, against the SELECT_CHALLENGE session.
 */
export function answerFirstFactor(fixed?: Extract<FirstFactorChallenge, 'PASSWORD' | 'PASSWORD_SRP'>) {
  return async (deps: Pick<Deps, FirstFactorAnswerDeps>, sc: SignInClient, input: ChallengeAnswer, ctx: RequestContext): Promise<RespondToAuthChallengeResponse> => {
    const responses = input.ChallengeResponses;
    const username = requiredParameter(responses, 'USERNAME');
    checkClientSecretHash(sc, username, responses?.SECRET_HASH);
    if (input.Session === undefined) throw invalidParameter('Missing required parameter Session');
    const session = openSession(deps.secrets, input.Session, deps.clock.nowMs());
    if (session.poolId !== sc.pool.id || session.clientId !== sc.client.id || session.challenge !== 'SELECT_CHALLENGE') throw notAuthorized(INVALID_SESSION);
    const user = await findUser(deps.store, sc.pool.id, sc.settings, username);
    if (!user || user.sub !== session.userSub) throw notAuthorized(INVALID_SESSION);

    const answer = fixed ?? requiredParameter(responses, 'ANSWER');
    if (!isFirstFactorChallenge(answer) || !(session.mfa?.methods ?? []).includes(answer)) throw invalidParameter(USER_AUTH_MESSAGES.notOffered(answer));
    switch (answer) {
      case 'PASSWORD':
        return passwordSignIn(deps, sc, responses, ctx, input.ClientMetadata);
      case 'PASSWORD_SRP':
        return srpSignIn(deps, sc, responses, ctx, input.ClientMetadata);
      case 'EMAIL_OTP':
      case 'SMS_OTP':
        refuseUnableUser(user);
        return codeChallenge(deps, sc, user, answer, input.ClientMetadata);
      case 'WEB_AUTHN': {
        // The passkey's challenge follows: its request options carry the challenge to sign.
        refuseUnableUser(user);
        const rpID = signInRelyingParty(deps, sc);
        if (rpID === undefined) throw invalidParameter(USER_AUTH_MESSAGES.notOffered(answer));
        return webAuthnChallenge(deps, sc, user, rpID);
      }
    }
  };
}
