import type { EmailMfaConfigType, MFAOptionType, UserPoolMfaType } from '../../model/generated/types.js';
import type { PoolSettings } from '../pools/user-pool.js';

/**
 * MFA as a pool configures it and a user sets it up: values in, decisions out
 * (cognito-facts-areas.md 3.1 to 3.3).
 */

/** The factors a user can have, by the names of UserMFASettingList and the challenges. */
export type MfaMethod = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';

/**
 * Which factors the pool offers, kept in the pool's settings beside MfaConfiguration under a key
 * of its own (UserPoolType has no member for them): SetUserPoolMfaConfig writes it. Absent on
 * a pool whose MFA only CreateUserPool/UpdateUserPool configured: SMS then, as those set it up.
 */
export interface PoolMfaFactors {
  sms: boolean;
  softwareToken: boolean;
  /** Email MFA's message and subject; undefined when email MFA is off. */
  email?: EmailMfaConfigType | undefined;
}

/** The pool-settings key that holds PoolMfaFactors (never shown by DescribeUserPool). */
export const MFA_FACTORS_KEY = 'MfaFactors';

export type PoolSettingsWithMfa = PoolSettings & { [MFA_FACTORS_KEY]?: PoolMfaFactors };

export function mfaModeOf(settings: PoolSettings): UserPoolMfaType {
  return settings.MfaConfiguration ?? 'OFF';
}

export function poolMfaFactors(settings: PoolSettings): PoolMfaFactors {
  const stored = (settings as PoolSettingsWithMfa)[MFA_FACTORS_KEY];
  if (stored) return stored;
  return { sms: mfaModeOf(settings) !== 'OFF' && settings.SmsConfiguration !== undefined, softwareToken: false };
}

/** A user's MFA setup, as stored (the TOTP secrets sealed with the server key). */
export interface UserMfaRecord {
  poolId: string;
  userSub: string;
  /** The verified authenticator's base32 secret, sealed; null when none is verified. */
  totpSecretSealed: string | null;
  /** A secret from AssociateSoftwareToken not verified yet, sealed; it replaces the other once verified. */
  pendingTotpSecretSealed: string | null;
  /** The FriendlyDeviceName given at verification. */
  totpDeviceName: string | null;
  smsEnabled: boolean;
  totpEnabled: boolean;
  emailEnabled: boolean;
  preferred: MfaMethod | null;
  updatedAt: number;
}

export function emptyUserMfa(poolId: string, userSub: string, now: number): UserMfaRecord {
  return {
    poolId,
    userSub,
    totpSecretSealed: null,
    pendingTotpSecretSealed: null,
    totpDeviceName: null,
    smsEnabled: false,
    totpEnabled: false,
    emailEnabled: false,
    preferred: null,
    updatedAt: now,
  };
}

/** The user's enabled factors in AWS's listing order. */
export function enabledMethods(mfa: UserMfaRecord | undefined): MfaMethod[] {
  if (!mfa) return [];
  const methods: MfaMethod[] = [];
  if (mfa.smsEnabled) methods.push('SMS_MFA');
  if (mfa.totpEnabled && mfa.totpSecretSealed !== null) methods.push('SOFTWARE_TOKEN_MFA');
  if (mfa.emailEnabled) methods.push('EMAIL_OTP');
  return methods;
}

/** What GetUser and AdminGetUser report of the user's MFA (members left out when empty, as AWS does). */
export function mfaView(mfa: UserMfaRecord | undefined): { UserMFASettingList?: string[]; PreferredMfaSetting?: string; MFAOptions?: MFAOptionType[] } {
  const methods = enabledMethods(mfa);
  return {
    ...(methods.length > 0 && { UserMFASettingList: methods }),
    ...(mfa?.preferred && methods.includes(mfa.preferred) && { PreferredMfaSetting: mfa.preferred }),
    // The legacy view of SMS MFA (SetUserSettings' MFAOptions).
    ...(mfa?.smsEnabled && { MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] }),
  };
}

/** The second step a sign-in must pass after its password, or none. */
export type MfaStep =
  | { kind: 'none' }
  | { kind: 'challenge'; method: MfaMethod }
  | { kind: 'select'; methods: MfaMethod[] }
  | { kind: 'setup'; methods: MfaMethod[] };

/**
 * Which factor a sign-in asks for. OPTIONAL: only factors the user turned on; ON: those, else any
 * factor of the pool the user can receive (a phone number for SMS, an email address for email
 * MFA, a verified authenticator), else MFA_SETUP. A factor the pool stopped offering is not
 * asked for, except an authenticator registered before, which keeps working (3.2). The
 * preferred factor wins; several and none preferred: SELECT_MFA_TYPE (3.1).
 */
export function mfaStepFor(settings: PoolSettings, attributes: Record<string, string>, mfa: UserMfaRecord | undefined): MfaStep {
  const mode = mfaModeOf(settings);
  if (mode === 'OFF') return { kind: 'none' };
  const pool = poolMfaFactors(settings);
  const offered = (m: MfaMethod) => (m === 'SMS_MFA' ? pool.sms : m === 'EMAIL_OTP' ? pool.email !== undefined : true);
  let methods = enabledMethods(mfa).filter(offered);
  if (methods.length === 0 && mode === 'ON') {
    const reachable: MfaMethod[] = [];
    if (pool.sms && attributes.phone_number) reachable.push('SMS_MFA');
    if (mfa?.totpSecretSealed) reachable.push('SOFTWARE_TOKEN_MFA');
    if (pool.email && attributes.email) reachable.push('EMAIL_OTP');
    methods = reachable;
    if (methods.length === 0) return { kind: 'setup', methods: setupMethods(pool) };
  }
  if (methods.length === 0) return { kind: 'none' };
  const preferred = mfa?.preferred;
  if (preferred && methods.includes(preferred)) return { kind: 'challenge', method: preferred };
  if (methods.length === 1) return { kind: 'challenge', method: methods[0] as MfaMethod };
  return { kind: 'select', methods };
}

/** MFAS_CAN_SETUP: the factors the pool offers (SMS is set up by adding a phone number; email also by answering MFA_SETUP with EMAIL). */
function setupMethods(pool: PoolMfaFactors): MfaMethod[] {
  const methods: MfaMethod[] = [];
  if (pool.sms) methods.push('SMS_MFA');
  if (pool.softwareToken) methods.push('SOFTWARE_TOKEN_MFA');
  if (pool.email) methods.push('EMAIL_OTP');
  return methods;
}

/**
 * SELECT_MFA_TYPE's ANSWER names a factor as the model spells it: SMS_MFA, SOFTWARE_TOKEN_MFA,
 * and EMAIL_OTP, which the model text also calls EMAIL_MFA (3.3).
 */
export function methodOfAnswer(answer: string): MfaMethod | undefined {
  if (answer === 'SMS_MFA' || answer === 'SOFTWARE_TOKEN_MFA' || answer === 'EMAIL_OTP') return answer;
  if (answer === 'EMAIL_MFA') return 'EMAIL_OTP';
  return undefined;
}

/** Per-factor preference changes of (Admin)SetUserMFAPreference: an omitted factor stays as it is. */
export interface PreferenceChange {
  Enabled?: boolean | undefined;
  PreferredMfa?: boolean | undefined;
}

export const PREFERENCE_MESSAGES = {
  noDelivery: (method: MfaMethod) => `User does not have delivery config set to turn on ${method}`,
  severalPreferred: 'Only one MFA method can be set as preferred.',
} as const;

/**
 * Applies (Admin)SetUserMFAPreference. Returns the new record, or the refusal's text. A factor
 * can be turned on only when it can be delivered: an SMS factor needs a phone number, email a
 * verified-or-not email address, an authenticator a verified secret (AWS's text for TOTP is
 * "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA" [FIELD
 * gh:aws/aws-sdk-js-v3#4645]; the same text is used for the other two).
 */
export function applyPreferences(
  current: UserMfaRecord,
  attributes: Record<string, string>,
  changes: Partial<Record<MfaMethod, PreferenceChange | undefined>>,
  now: number,
): UserMfaRecord | string {
  const preferredCount = Object.values(changes).filter((c) => c?.PreferredMfa === true).length;
  if (preferredCount > 1) return PREFERENCE_MESSAGES.severalPreferred;
  const next = { ...current, updatedAt: now };
  const flag = { SMS_MFA: 'smsEnabled', SOFTWARE_TOKEN_MFA: 'totpEnabled', EMAIL_OTP: 'emailEnabled' } as const;
  for (const method of ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'] as const) {
    const change = changes[method];
    if (!change) continue;
    const enable = change.Enabled === true || change.PreferredMfa === true;
    if (enable && !deliverable(method, attributes, next)) return PREFERENCE_MESSAGES.noDelivery(method);
    if (change.Enabled !== undefined || change.PreferredMfa === true) next[flag[method]] = enable;
    if (change.PreferredMfa === true) next.preferred = method;
    else if (next.preferred === method && (change.PreferredMfa === false || !enable)) next.preferred = null;
  }
  return next;
}

function deliverable(method: MfaMethod, attributes: Record<string, string>, mfa: UserMfaRecord): boolean {
  if (method === 'SMS_MFA') return Boolean(attributes.phone_number);
  if (method === 'EMAIL_OTP') return Boolean(attributes.email);
  return mfa.totpSecretSealed !== null;
}
