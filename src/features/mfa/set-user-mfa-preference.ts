import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { changeMfaPreferences } from './mfa-preference.js';

/** The signed-in user turns factors on or off and picks the preferred one (cognito-facts-areas.md 3.1). */
export const setUserMFAPreference: Operation<'SetUserMFAPreference', AccessTokenDeps> = (deps) => async (input) => {
  const { user } = await authenticateAccessToken(deps, input.AccessToken);
  await changeMfaPreferences(deps, user, {
    SMS_MFA: input.SMSMfaSettings,
    SOFTWARE_TOKEN_MFA: input.SoftwareTokenMfaSettings,
    EMAIL_OTP: input.EmailMfaSettings,
  });
  return {};
};
