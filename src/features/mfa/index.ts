import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { adminSetUserMFAPreference } from './admin-set-user-mfa-preference.js';
import { adminSetUserSettings } from './admin-set-user-settings.js';
import { associateSoftwareToken } from './associate-software-token.js';
import { getUserPoolMfaConfig } from './get-user-pool-mfa-config.js';
import { setUserMFAPreference } from './set-user-mfa-preference.js';
import { setUserPoolMfaConfig } from './set-user-pool-mfa-config.js';
import { setUserSettings } from './set-user-settings.js';
import { verifySoftwareToken } from './verify-software-token.js';

/**
 * This area's operations: the pool's MFA configuration and users' factors. The MFA challenges
 * of a sign-in are the auth area's (features/auth/challenges/).
 */
export const mfaOperations = {
  SetUserPoolMfaConfig: setUserPoolMfaConfig,
  GetUserPoolMfaConfig: getUserPoolMfaConfig,
  AssociateSoftwareToken: associateSoftwareToken,
  VerifySoftwareToken: verifySoftwareToken,
  SetUserMFAPreference: setUserMFAPreference,
  AdminSetUserMFAPreference: adminSetUserMFAPreference,
  SetUserSettings: setUserSettings,
  AdminSetUserSettings: adminSetUserSettings,
} satisfies { [N in OperationName]?: Operation<N> };
