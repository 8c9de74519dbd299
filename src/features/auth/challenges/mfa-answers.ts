import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import type { ChallengeAnswer } from './challenge-answer.js';
import { checkClientSecretHash, requiredParameter, type SignInClient } from '../sign-in-client.js';
import { mfaChallenge, MFA_CODE_PURPOSE, type MfaStepDeps } from './mfa-step.js';
import { completeEmailSetup, startEmailSetup } from './mfa-email-setup.js';
import { finishSignIn as endSignIn } from '../finish-sign-in.js';
import { methodOfAnswer, type MfaMethod } from '../../../domain/mfa/mfa-settings.js';
import type { UserRecord } from '../../../domain/users/user.js';
import { findUser } from '../../../services/directory/find-user.js';
import { claimAliases, uniquely } from '../../../services/directory/user-writes.js';
import { activeAliases } from '../../../domain/users/username.js';
import type { StoreTx } from '../../../ports/store.js';
import { loadUserMfa, openTotpSecret, tryTotpCode } from '../../../services/mfa/user-mfa.js';
import { INVALID_SESSION, openSession, type AuthSession } from '../../../services/sessions/auth-session.js';
import type { TokenIssuerDeps } from '../../../services/tokens/tokens.js';
import { codeMismatch, expiredCode, invalidParameter, MESSAGES, notAuthorized, ServiceError } from '../../../kernel/errors.js';
import type { ChallengeNameType, RespondToAuthChallengeResponse } from '../../../model/generated/types.js';

/**
 * Answers of the MFA challenges (cognito-facts-areas.md 3.3, 3.4): SMS_MFA, EMAIL_OTP,
 * SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE and MFA_SETUP. Each needs the challenge's Session, for
 * this client, unexpired, and good only while the password that opened it is the user's (a
 * reset or change since ends it).
 */

export const MFA_MESSAGES = {
  // [FIELD gh:aws-amplify/amplify-js#3066]
  codeMismatch: 'Invalid code or auth state for the user.',
  // [FIELD gh:amazon-archives/amazon-cognito-identity-js#630]
  noSoftwareToken: 'Software Token MFA does not exist for the user.',
} as const;

/** The session and user (store, secrets, clock), codes (codes, config), then tokens. */
export type MfaAnswerDeps = MfaStepDeps | TokenIssuerDeps;

/** The challenge's session and its user, checked (also used by the device challenges, device-srp.ts). */
export async function openAnswer(
  deps: Pick<Deps, MfaAnswerDeps>,
  sc: SignInClient,
  input: ChallengeAnswer,
  challenge: ChallengeNameType,
): Promise<{ session: AuthSession; user: UserRecord }> {
  const responses = input.ChallengeResponses;
  const username = requiredParameter(responses, 'USERNAME');
  checkClientSecretHash(sc, username, responses?.SECRET_HASH);
  if (input.Session === undefined) throw invalidParameter('Missing required parameter Session');
  const session = openSession(deps.secrets, input.Session, deps.clock.nowMs());
  if (session.poolId !== sc.pool.id || session.clientId !== sc.client.id || session.challenge !== challenge) throw notAuthorized(INVALID_SESSION);
  const named = await findUser(deps.store, sc.pool.id, sc.settings, username);
  if (!named || named.sub !== session.userSub) throw notAuthorized(INVALID_SESSION);
  // The session holds only for the password that opened it.
  if (named.passwordUpdatedAt !== session.passwordSetAt || named.status !== 'CONFIRMED') throw notAuthorized(INVALID_SESSION);
  if (!named.enabled) throw notAuthorized(MESSAGES.userDisabled);
  return { session, user: named };
}

/** Past the user's hourly code attempts: AWS's lockout answer (3.4); AWS does not document its answer to MFA code guessing. */
const attemptsExceeded = () => notAuthorized(MESSAGES.passwordAttemptsExceeded);

/** The end of a sign-in that passed its MFA step: the PostAuthentication function, then tokens. */
function finishSignIn(deps: Pick<Deps, MfaAnswerDeps>, sc: SignInClient, user: UserRecord, input: ChallengeAnswer, ctx: RequestContext): Promise<RespondToAuthChallengeResponse> {
  // The DEVICE_KEY the answer carries names the device of the tokens (remembered devices, 3.5).
  return endSignIn(deps, sc, user, ctx, { clientMetadata: input.ClientMetadata, deviceKey: input.ChallengeResponses?.DEVICE_KEY });
}

/** SOFTWARE_TOKEN_MFA: SOFTWARE_TOKEN_MFA_CODE from the user's authenticator (RFC 6238, once per code). */
export async function answerSoftwareTokenMfa(deps: Pick<Deps, MfaAnswerDeps>, sc: SignInClient, input: ChallengeAnswer, ctx: RequestContext): Promise<RespondToAuthChallengeResponse> {
  const { user } = await openAnswer(deps, sc, input, 'SOFTWARE_TOKEN_MFA');
  const code = requiredParameter(input.ChallengeResponses, 'SOFTWARE_TOKEN_MFA_CODE');
  const secret = openTotpSecret(deps, (await loadUserMfa(deps, user)).totpSecretSealed);
  if (secret === undefined) throw new ServiceError('SoftwareTokenMFANotFoundException', MFA_MESSAGES.noSoftwareToken);
  const outcome = await tryTotpCode(deps, user.sub, secret, code);
  if (outcome === 'limit') throw attemptsExceeded();
  if (outcome === 'mismatch') throw codeMismatch(MFA_MESSAGES.codeMismatch);
  return finishSignIn(deps, sc, user, input, ctx);
}

/**
 * SMS_MFA and EMAIL_OTP: the code sent when the challenge was issued, to the destination the
 * session names. The attempt is counted (its own transaction, so it commits whatever the
 * outcome) before comparing; the code is consumed by the answer that uses it.
 */
function answerCode(challenge: 'SMS_MFA' | 'EMAIL_OTP' | 'SMS_OTP', responseName: string) {
  return async (deps: Pick<Deps, MfaAnswerDeps>, sc: SignInClient, input: ChallengeAnswer, ctx: RequestContext): Promise<RespondToAuthChallengeResponse> => {
    const { session, user } = await openAnswer(deps, sc, input, challenge);
    const code = requiredParameter(input.ChallengeResponses, responseName);
    const target = { poolId: sc.pool.id, userSub: user.sub, purpose: MFA_CODE_PURPOSE, destination: session.mfa?.destination ?? '' } as const;
    const outcome = await deps.store.transaction((tx) => deps.codes.attempt(tx, target, code, deps.config.codeAttemptLimit));
    if (outcome === 'limit') throw attemptsExceeded();
    if (outcome === 'expired') throw expiredCode(MESSAGES.expiredCode);
    if (outcome === 'mismatch') throw codeMismatch(MFA_MESSAGES.codeMismatch);
    const signedIn = await deps.store.transaction(async (tx) => {
      if (!(await deps.codes.consume(tx, target, code))) return undefined;
      if (challenge !== 'EMAIL_OTP') return markPhoneVerified(tx, sc, user.sub, target.destination, deps.clock.nowMs());
      // The code of an email setup proves the address the user gave at MFA_SETUP (sealed in the session).
      return session.mfa?.setupEmail === true ? completeEmailSetup(deps, tx, sc, user.sub, target.destination) : user;
    });
    if (!signedIn) throw codeMismatch(MFA_MESSAGES.codeMismatch);
    return finishSignIn(deps, sc, signedIn, input, ctx);
  };
}

export const answerSmsMfa = answerCode('SMS_MFA', 'SMS_MFA_CODE');

/**
 * A code received by SMS proves the phone number: a passed SMS_MFA marks it verified
 * [DOC23 DG:user-pool-settings-mfa-sms-text-message], which also makes it an active alias
 * where the pool signs in by phone number.
 */
async function markPhoneVerified(tx: StoreTx, sc: SignInClient, sub: string, destination: string, now: number): Promise<UserRecord | undefined> {
  const current = await tx.getUserBySub(sc.pool.id, sub);
  if (!current) return undefined;
  if (current.attributes.phone_number !== destination || current.attributes.phone_number_verified === 'true') return current;
  const attributes = { ...current.attributes, phone_number_verified: 'true' };
  const next = { ...current, attributes, aliases: activeAliases(sc.settings, attributes), updatedAt: now };
  await claimAliases(tx, sc.settings, next, false, 'update', now);
  await uniquely(sc.settings, 'update', () => tx.updateUser(next));
  return next;
}
export const answerEmailOtp = answerCode('EMAIL_OTP', 'EMAIL_OTP_CODE');
/** SMS_OTP: the first factor of USER_AUTH by text message (§3.3), sent and checked as SMS_MFA's code. */
export const answerSmsOtp = answerCode('SMS_OTP', 'SMS_OTP_CODE');

/** SELECT_MFA_TYPE: ANSWER names one of MFAS_CAN_CHOOSE; that factor's challenge follows. */
export async function answerSelectMfaType(deps: Pick<Deps, MfaAnswerDeps>, sc: SignInClient, input: ChallengeAnswer): Promise<RespondToAuthChallengeResponse> {
  const { session, user } = await openAnswer(deps, sc, input, 'SELECT_MFA_TYPE');
  const answer = requiredParameter(input.ChallengeResponses, 'ANSWER');
  const method: MfaMethod | undefined = methodOfAnswer(answer);
  // AWS's text for a factor not offered is not documented (unverified wording).
  if (method === undefined || !(session.mfa?.methods ?? []).includes(method)) throw invalidParameter(`${answer} is not one of the MFA types the user can choose.`);
  return mfaChallenge(deps, sc, user, method, input.ClientMetadata);
}

/**
 * MFA_SETUP, answered with the Session VerifySoftwareToken returned (3.1): the verified
 * authenticator becomes the user's factor, preferred unless another one is, and the sign-in
 * completes. Answered with EMAIL (an address) instead, an EMAIL_OTP code goes to that address
 * and its answer sets up email MFA (mfa-email-setup.ts).
 */
export async function answerMfaSetup(deps: Pick<Deps, MfaAnswerDeps>, sc: SignInClient, input: ChallengeAnswer, ctx: RequestContext): Promise<RespondToAuthChallengeResponse> {
  const { session, user } = await openAnswer(deps, sc, input, 'MFA_SETUP');
  const email = input.ChallengeResponses?.EMAIL;
  if (email !== undefined && email !== '') return startEmailSetup(deps, sc, session, user, email, input.ClientMetadata);
  if (session.mfa?.verified !== true) throw new ServiceError('SoftwareTokenMFANotFoundException', MFA_MESSAGES.noSoftwareToken);
  await deps.store.transaction(async (tx) => {
    const mfa = await loadUserMfa(deps, user, tx);
    if (mfa.totpSecretSealed === null) throw new ServiceError('SoftwareTokenMFANotFoundException', MFA_MESSAGES.noSoftwareToken);
    await tx.putUserMfa({ ...mfa, totpEnabled: true, preferred: mfa.preferred ?? 'SOFTWARE_TOKEN_MFA', updatedAt: deps.clock.nowMs() });
  });
  return finishSignIn(deps, sc, user, input, ctx);
}
