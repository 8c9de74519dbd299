import type { PoolSettings } from '../pools/user-pool.js';
import type { UserRecord } from '../users/user.js';
import { MESSAGES, invalidParameter, notAuthorized, type ServiceError } from '../../kernel/errors.js';

/**
 * Account-recovery rules shared by AdminResetUserPassword and ForgotPassword: who may reset,
 * and where the code goes.
 */

export interface RecoveryChannel {
  medium: 'EMAIL' | 'SMS';
  attribute: 'email' | 'phone_number';
  destination: string;
}

/** Statuses from which a password can be reset; FORCE_CHANGE_PASSWORD and the rest cannot. */
const RESETTABLE = new Set<UserRecord['status']>(['CONFIRMED', 'RESET_REQUIRED', 'UNCONFIRMED']);

/** The pool allows only administrators to recover accounts. */
export function isAdminOnlyRecovery(settings: PoolSettings): boolean {
  return settings.AccountRecoverySetting?.RecoveryMechanisms?.some((m) => m.Name === 'admin_only') ?? false;
}

/**
 * The channel a recovery code takes: AccountRecoverySetting's verified mechanisms by priority,
 * or, when the pool has no such setting, the legacy order (verified phone, then verified email).
 * Only one channel is used. Undefined when the user has no verified destination.
 */
export function recoveryChannel(settings: PoolSettings, user: UserRecord): RecoveryChannel | undefined {
  const mechanisms = settings.AccountRecoverySetting?.RecoveryMechanisms;
  const order: Array<'verified_email' | 'verified_phone_number'> = mechanisms
    ? [...mechanisms]
        .sort((a, b) => a.Priority - b.Priority)
        .map((m) => m.Name)
        .filter((n): n is 'verified_email' | 'verified_phone_number' => n !== 'admin_only')
    : ['verified_phone_number', 'verified_email'];
  for (const mechanism of order) {
    const attribute = mechanism === 'verified_email' ? 'email' : 'phone_number';
    const value = user.attributes[attribute];
    if (value && user.attributes[`${attribute}_verified`] === 'true') {
      return { medium: attribute === 'email' ? 'EMAIL' : 'SMS', attribute, destination: value };
    }
  }
  return undefined;
}

/**
 * Why this user's password cannot be reset, in the order Cognito checks: disabled, then a
 * status that does not allow it, then no verified destination. Undefined when it can.
 * `needsChannel` is false for an administrator's reset in an admin_only pool.
 */
export function resetRefusal(settings: PoolSettings, user: UserRecord, needsChannel = true): ServiceError | undefined {
  if (!user.enabled) return notAuthorized(MESSAGES.userDisabled);
  if (!RESETTABLE.has(user.status)) return notAuthorized(MESSAGES.cannotResetInState);
  if (needsChannel && recoveryChannel(settings, user) === undefined) return invalidParameter(MESSAGES.noVerifiedContact);
  return undefined;
}
