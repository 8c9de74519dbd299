import { mfaView, type UserMfaRecord } from '../../domain/mfa/mfa-settings.js';
import { configuredFirstFactors } from '../../domain/auth/first-factors.js';
import { settingsOf } from '../../domain/pools/user-pool.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { UserRecord } from '../../domain/users/user.js';
import type { AdminGetUserAuthFactorsResponse } from '../../model/generated/types.js';

/**
 * What (Admin)GetUserAuthFactors report (API_AdminGetUserAuthFactors, API_GetUserAuthFactors):
 * the user's MFA factors (UserMFASettingList, PreferredMfaSetting, as AdminGetUser reports
 * them) and ConfiguredUserAuthFactors, "the authentication types that are available to the
 * user with USER_AUTH sign-in": among the pool's AllowedFirstAuthFactors, PASSWORD when the
 * user has one and EMAIL_OTP / SMS_OTP with a verified address (domain/auth/first-factors.ts,
 * the same rule USER_AUTH offers its choices by), WEB_AUTHN with `passkeys` registered.
 */
export function authFactorsView(pool: PoolRecord, user: UserRecord, mfa: UserMfaRecord | undefined, passkeys = 0): AdminGetUserAuthFactorsResponse {
  const { UserMFASettingList, PreferredMfaSetting } = mfaView(mfa);
  return {
    Username: user.username,
    ...(PreferredMfaSetting !== undefined && { PreferredMfaSetting }),
    ...(UserMFASettingList !== undefined && { UserMFASettingList }),
    ConfiguredUserAuthFactors: configuredFirstFactors(settingsOf(pool), user, passkeys),
  };
}
