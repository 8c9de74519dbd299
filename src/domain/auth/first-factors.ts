import type { AuthFactorType, ChallengeNameType } from '../../model/generated/types.js';
import type { PoolSettings } from '../pools/user-pool.js';
import type { UserRecord } from '../users/user.js';

/**
 * Choice-based sign-in (USER_AUTH): which first factors a pool allows and which of them a user
 * can use (cognito-facts-areas.md §3.3). Pure rules: the pool's settings and the user in, the
 * factors out.
 */

/** The first factors userpoold runs: passwords, one-time codes, passkeys (SOFTWARE_TOKEN is no first factor). */
export const BUILT_FIRST_FACTORS: readonly AuthFactorType[] = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];

/** The challenges of USER_AUTH that are a first factor (RespondToAuthChallenge's SELECT_CHALLENGE answers). */
export type FirstFactorChallenge = Extract<ChallengeNameType, 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN'>;

const FIRST_FACTOR_CHALLENGES: readonly string[] = ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];

export function isFirstFactorChallenge(value: string): value is FirstFactorChallenge {
  return FIRST_FACTOR_CHALLENGES.includes(value);
}

/**
 * Policies.SignInPolicy.AllowedFirstAuthFactors; a pool that never set it signs in with
 * passwords only (MODEL SignInPolicyType).
 */
export function allowedFirstFactors(settings: PoolSettings): readonly AuthFactorType[] {
  return settings.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD'];
}

/**
 * Whether a user may register without a password: "You can only create a passwordless user
 * when passwordless sign-in is available", i.e. email or SMS one-time passwords
 * (MODEL SignUpRequest.Password).
 */
export function allowsPasswordlessSignUp(settings: PoolSettings): boolean {
  const factors = allowedFirstFactors(settings);
  return factors.includes('EMAIL_OTP') || factors.includes('SMS_OTP');
}

/**
 * The first factors a user has set up, among those the pool allows: a password (the user has
 * one), a code by email or SMS (to a verified address, the only kind a sign-in code may go to),
 * a passkey (the user registered `passkeys` of them). This is GetUserAuthFactors'
 * ConfiguredUserAuthFactors (MODEL: "the authentication types that are available to the user
 * with USER_AUTH sign-in, for example ["PASSWORD", "WEB_AUTHN"]").
 */
export function configuredFirstFactors(settings: PoolSettings, user: UserRecord, passkeys = 0): AuthFactorType[] {
  const allowed = allowedFirstFactors(settings);
  const factors: AuthFactorType[] = [];
  if (allowed.includes('PASSWORD') && user.passwordHash !== null) factors.push('PASSWORD');
  if (allowed.includes('EMAIL_OTP') && hasVerified(user, 'email')) factors.push('EMAIL_OTP');
  if (allowed.includes('SMS_OTP') && hasVerified(user, 'phone_number')) factors.push('SMS_OTP');
  if (allowed.includes('WEB_AUTHN') && passkeys > 0) factors.push('WEB_AUTHN');
  return factors;
}

/**
 * The SELECT_CHALLENGE choices (AvailableChallenges) of a user: a password counts twice, as
 * PASSWORD and as PASSWORD_SRP (MODEL RespondToAuthChallenge: "Available challenges are
 * PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, and WEB_AUTHN"). Codes and passkeys only for a
 * confirmed user: an unconfirmed or invited one still has a step to take first.
 */
export function availableChallenges(settings: PoolSettings, user: UserRecord, passkeys = 0): FirstFactorChallenge[] {
  const challenges: FirstFactorChallenge[] = [];
  for (const factor of configuredFirstFactors(settings, user, passkeys)) {
    if (factor === 'PASSWORD') challenges.push('PASSWORD', 'PASSWORD_SRP');
    else if ((factor === 'EMAIL_OTP' || factor === 'SMS_OTP' || factor === 'WEB_AUTHN') && user.status === 'CONFIRMED') challenges.push(factor);
  }
  return challenges;
}

function hasVerified(user: UserRecord, attribute: 'email' | 'phone_number'): boolean {
  return Boolean(user.attributes[attribute]) && user.attributes[`${attribute}_verified`] === 'true';
}
