import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { changeMfaPreferences, smsChangeOfOptions } from './mfa-preference.js';

/** SetUserSettings for an administrator, naming the user. */
export const adminSetUserSettings: Operation<'AdminSetUserSettings', 'store' | 'clock'> = (deps) => async (input) => {
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const user = await loadUser(deps.store, pool, input.Username);
  await changeMfaPreferences(deps, user, { SMS_MFA: smsChangeOfOptions(input.MFAOptions) });
  return {};
};
