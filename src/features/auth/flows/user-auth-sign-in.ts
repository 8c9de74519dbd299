import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import { checkClientSecretHash, requiredParameter, type SignInClient } from '../sign-in-client.js';
import { passwordSignIn, type PasswordSignInDeps } from './password-sign-in.js';
import { srpSignIn, type SrpSignInDeps } from './srp-sign-in.js';
import { codeChallenge, type MfaStepDeps } from '../challenges/mfa-step.js';
import { signInRelyingParty, webAuthnChallenge, type WebAuthnDeps } from '../challenges/web-authn-challenge.js';
import { runPreAuthentication } from '../sign-in-triggers.js';
import { preventsUserExistenceErrors } from '../../../domain/clients/app-client.js';
import { allowedFirstFactors, availableChallenges, isFirstFactorChallenge, type FirstFactorChallenge } from '../../../domain/auth/first-factors.js';
import { authSessionValidityMs } from '../../../domain/auth/sign-in.js';
import type { UserRecord } from '../../../domain/users/user.js';
import { findUser } from '../../../services/directory/find-user.js';
import { sealSession } from '../../../services/sessions/auth-session.js';
import { MESSAGES, invalidParameter, notAuthorized, passwordResetRequired, userNotConfirmed, userNotFound } from '../../../kernel/errors.js';
import type { InitiateAuthResponse } from '../../../model/generated/types.js';

/** A password answered inline runs the password flows; a code is sent (MfaStepDeps). */
export type UserAuthSignInDeps = PasswordSignInDeps | SrpSignInDeps | MfaStepDeps | WebAuthnDeps;

export const USER_AUTH_MESSAGES = {
  // AWS's texts for these refusals are not documented (unverified wording).
  badPreference: (value: string) => `${value} is not a valid PREFERRED_CHALLENGE.`,
  noFactor: 'The user has no sign-in method that this user pool allows.',
  notOffered: (answer: string) => `${answer} is not one of the AvailableChallenges.`,
} as const;

/**
 * USER_AUTH, choice-based sign-in (MODEL InitiateAuth.AuthParameters; cognito-facts-areas.md
 * §3.3). AuthParameters are USERNAME and an optional PREFERRED_CHALLENGE:
 * - PASSWORD (with PASSWORD inline, as Amplify sends it) and PASSWORD_SRP (with SRP_A) run the
 *   password flows, then MFA as the pool requires;
 * - EMAIL_OTP and SMS_OTP send a code at once and answer that challenge; WEB_AUTHN answers the
 *   passkey challenge (challenges/web-authn-challenge.ts);
 * - no preference, or one the user cannot use, answers SELECT_CHALLENGE with the user's
 *   AvailableChallenges (challenges/first-factor-answers.ts takes the choice).
 * A one-time code or passkey is itself the proof of possession, so those first factors end the
 * sign-in without a second one (AWS's MFA guide: "passwordless" factors are not followed by MFA).
 */
export async function userAuthSignIn(
  deps: Pick<Deps, UserAuthSignInDeps>,
  sc: SignInClient,
  params: Record<string, string> | undefined,
  ctx: RequestContext,
  clientMetadata?: Record<string, string>,
): Promise<InitiateAuthResponse> {
  const username = requiredParameter(params, 'USERNAME');
  checkClientSecretHash(sc, username, params?.SECRET_HASH);
  const preferred = params?.PREFERRED_CHALLENGE;
  if (preferred !== undefined && !isFirstFactorChallenge(preferred)) throw invalidParameter(USER_AUTH_MESSAGES.badPreference(preferred));
  // A password in the first request goes the way of USER_PASSWORD_AUTH / USER_SRP_AUTH: their
  // lockout, migration and existence rules apply unchanged.
  if (allowedFirstFactors(sc.settings).includes('PASSWORD')) {
    if (preferred === 'PASSWORD') return passwordSignIn(deps, sc, params, ctx, clientMetadata);
    if (preferred === 'PASSWORD_SRP') return srpSignIn(deps, sc, params, ctx, clientMetadata);
  }

  const user = await findUser(deps.store, sc.pool.id, sc.settings, username);
  if (!user) {
    // userpoold does not simulate a choice for an unknown name; with existence errors hidden
    // it answers as a wrong password does.
    throw preventsUserExistenceErrors(sc.clientSettings) ? notAuthorized(MESSAGES.incorrectCredentials) : userNotFound(MESSAGES.userDoesNotExist);
  }
  await runPreAuthentication(deps, sc, user, username, clientMetadata);
  return offerFirstFactor(deps, sc, user, preferred, clientMetadata);
}

/**
 * A user who cannot start a sign-in without a password. AdminResetUserPassword "sets the
 * requested user's account into a RESET_REQUIRED status" and sign-in then asks to "complete
 * the reset by confirming the code and setting a new password" (MODEL AdminResetUserPassword):
 * that holds for a passwordless user too, so one-time codes wait for ConfirmForgotPassword as
 * the password does (the user then has a password as well).
 */
export function refuseUnableUser(user: UserRecord): void {
  if (user.status === 'RESET_REQUIRED') throw passwordResetRequired(MESSAGES.passwordResetRequired);
  if (!user.enabled) throw notAuthorized(MESSAGES.userDisabled);
  if (user.status === 'UNCONFIRMED') throw userNotConfirmed(MESSAGES.userNotConfirmed);
}

/** The user's choices; passkeys are counted only where the pool allows them and has a relying party. */
async function userChallenges(deps: Pick<Deps, 'store' | 'config'>, sc: SignInClient, user: UserRecord): Promise<FirstFactorChallenge[]> {
  const passkeysOn = allowedFirstFactors(sc.settings).includes('WEB_AUTHN') && signInRelyingParty(deps, sc) !== undefined;
  const passkeys = passkeysOn ? (await deps.store.listWebAuthnCredentials(sc.pool.id, user.sub)).length : 0;
  return availableChallenges(sc.settings, user, passkeys);
}

/** The preferred factor's challenge when the user has it, otherwise the choice. */
async function offerFirstFactor(
  deps: Pick<Deps, UserAuthSignInDeps>,
  sc: SignInClient,
  user: UserRecord,
  preferred: FirstFactorChallenge | undefined,
  clientMetadata?: Record<string, string>,
): Promise<InitiateAuthResponse> {
  const available = await userChallenges(deps, sc, user);
  refuseUnableUser(user);
  if (available.length === 0) throw notAuthorized(USER_AUTH_MESSAGES.noFactor);
  if ((preferred === 'EMAIL_OTP' || preferred === 'SMS_OTP') && available.includes(preferred)) {
    return codeChallenge(deps, sc, user, preferred, clientMetadata);
  }
  const rpID = signInRelyingParty(deps, sc);
  if (preferred === 'WEB_AUTHN' && available.includes(preferred) && rpID !== undefined) return webAuthnChallenge(deps, sc, user, rpID);
  const session = sealSession(deps.secrets, {
    poolId: sc.pool.id,
    clientId: sc.client.id,
    userSub: user.sub,
    challenge: 'SELECT_CHALLENGE',
    expiresAt: deps.clock.nowMs() + authSessionValidityMs(sc.clientSettings),
    passwordSetAt: user.passwordUpdatedAt,
    mfa: { methods: available },
  });
  return { ChallengeName: 'SELECT_CHALLENGE', Session: session, ChallengeParameters: {}, AvailableChallenges: available };
}
