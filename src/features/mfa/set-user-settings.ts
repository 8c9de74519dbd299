import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { changeMfaPreferences, smsChangeOfOptions } from './mfa-preference.js';

/** The legacy way to turn SMS MFA on (an SMS option) or off (no option); SetUserMFAPreference replaces it. */
export const setUserSettings: Operation<'SetUserSettings', AccessTokenDeps> = (deps) => async (input) => {
  const { user } = await authenticateAccessToken(deps, input.AccessToken);
  await changeMfaPreferences(deps, user, { SMS_MFA: smsChangeOfOptions(input.MFAOptions) });
  return {};
};
