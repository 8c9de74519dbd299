import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { changeMfaPreferences } from './mfa-preference.js';

/** SetUserMFAPreference for an administrator, naming the user. */
export const adminSetUserMFAPreference: Operation<'AdminSetUserMFAPreference', 'store' | 'clock'> = (deps) => async (input) => {
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const user = await loadUser(deps.store, pool, input.Username);
  await changeMfaPreferences(deps, user, {
    SMS_MFA: input.SMSMfaSettings,
    SOFTWARE_TOKEN_MFA: input.SoftwareTokenMfaSettings,
    EMAIL_OTP: input.EmailMfaSettings,
  });
  return {};
};
