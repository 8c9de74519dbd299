import { invalidParameter, ServiceError } from '../../kernel/errors.js';
import type { CreateUserPoolRequest, SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse } from '../../model/generated/types.js';
import type { PoolSettings } from '../pools/user-pool.js';
import { checkWebAuthnConfig, webAuthnConfigView, WEBAUTHN_CONFIG_KEY, type PoolSettingsWithWebAuthn } from '../webauthn/webauthn-config.js';
import { MFA_FACTORS_KEY, mfaModeOf, poolMfaFactors, type PoolMfaFactors, type PoolSettingsWithMfa } from './mfa-settings.js';

/** AWS's refusals of an MFA configuration (cognito-facts-areas.md 3.1), with their sources. */
export const MFA_CONFIG_MESSAGES = {
  // [FIELD gh:go-to-k/cdkd#1923: SetUserPoolMfaConfig OFF with EmailMfaConfiguration or SoftwareTokenMfaConfiguration]
  offWithFactor: "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
  // [FIELD gh:anomalyco/sst#5177]
  noFactor: "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
  // CreateUserPool/UpdateUserPool with MFA ON or OPTIONAL and no SMS set up [FIELD gh:aws/aws-cdk#12075,
  // gh:aws-cloudformation/cloudformation-coverage-roadmap#2221].
  smsRequired: 'SMS configuration and Auto verification for phone_number are required when MFA is required/optional',
  // Email MFA needs the Essentials tier or higher [MODEL] and SES sending (DEVELOPER) [DOC CDK MfaSecondFactor];
  // AWS's texts for these two refusals are not documented (unverified wording).
  emailTier: 'Email MFA is not available in the LITE tier. Choose the Essentials or Plus tier.',
  emailDeveloper: 'Email MFA requires EmailConfiguration with EmailSendingAccount DEVELOPER.',
} as const;

/**
 * CreateUserPool and UpdateUserPool: MFA ON or OPTIONAL needs SMS set up (an SmsConfiguration
 * and phone numbers verified automatically), unless SetUserPoolMfaConfig gave the pool another
 * factor, which UpdateUserPool keeps.
 */
export function checkPoolMfaSettings(req: Omit<CreateUserPoolRequest, 'PoolName'> & { [MFA_FACTORS_KEY]?: PoolMfaFactors }): void {
  const mode = req.MfaConfiguration ?? 'OFF';
  if (mode === 'OFF') return;
  const factors = req[MFA_FACTORS_KEY];
  if (factors && (factors.softwareToken || factors.email !== undefined)) return;
  const autoVerified: readonly string[] = req.AutoVerifiedAttributes ?? [];
  if (req.SmsConfiguration === undefined || !autoVerified.includes('phone_number')) throw invalidParameter(MFA_CONFIG_MESSAGES.smsRequired);
}

/** The pool's MFA configuration as GetUserPoolMfaConfig and SetUserPoolMfaConfig answer it. */
export function mfaConfigView(settings: PoolSettings): SetUserPoolMfaConfigResponse {
  const factors = poolMfaFactors(settings);
  return {
    MfaConfiguration: mfaModeOf(settings),
    ...(factors.sms && {
      SmsMfaConfiguration: {
        ...(settings.SmsAuthenticationMessage !== undefined && { SmsAuthenticationMessage: settings.SmsAuthenticationMessage }),
        ...(settings.SmsConfiguration !== undefined && { SmsConfiguration: settings.SmsConfiguration }),
      },
    }),
    SoftwareTokenMfaConfiguration: { Enabled: factors.softwareToken },
    ...(factors.email !== undefined && { EmailMfaConfiguration: factors.email }),
    ...(webAuthnConfigView(settings) !== undefined && { WebAuthnConfiguration: webAuthnConfigView(settings) }),
  };
}

/**
 * SetUserPoolMfaConfig: the factors named in the request are the pool's factors from now on (a
 * factor left out is turned off; SoftwareTokenMfaConfiguration by its Enabled), the mode is the
 * request's or, when omitted, the pool's. Refusals in AWS's words.
 */
export function applyMfaConfig(settings: PoolSettings, req: Omit<SetUserPoolMfaConfigRequest, 'UserPoolId'>): PoolSettings {
  // Passkey settings stand apart from MFA's ("independent of the MFA configuration options",
  // MODEL SetUserPoolMfaConfigRequest): set when given, kept when omitted.
  const webAuthn = req.WebAuthnConfiguration === undefined ? undefined : checkWebAuthnConfig(req.WebAuthnConfiguration);
  const mode = req.MfaConfiguration ?? mfaModeOf(settings);
  const factors: PoolMfaFactors = {
    sms: req.SmsMfaConfiguration !== undefined,
    softwareToken: req.SoftwareTokenMfaConfiguration?.Enabled === true,
    email: req.EmailMfaConfiguration,
  };
  const anyFactor = factors.sms || factors.softwareToken || factors.email !== undefined;
  if (mode === 'OFF' && anyFactor) throw invalidParameter(MFA_CONFIG_MESSAGES.offWithFactor);
  if (mode !== 'OFF' && !anyFactor) throw invalidParameter(MFA_CONFIG_MESSAGES.noFactor);
  if (factors.email !== undefined) {
    if ((settings.UserPoolTier ?? 'ESSENTIALS') === 'LITE') throw new ServiceError('FeatureUnavailableInTierException', MFA_CONFIG_MESSAGES.emailTier);
    if (settings.EmailConfiguration?.EmailSendingAccount !== 'DEVELOPER') throw invalidParameter(MFA_CONFIG_MESSAGES.emailDeveloper);
  }
  const sms = req.SmsMfaConfiguration;
  const next: PoolSettingsWithMfa = { ...settings, MfaConfiguration: mode, [MFA_FACTORS_KEY]: factors };
  if (sms?.SmsAuthenticationMessage !== undefined) next.SmsAuthenticationMessage = sms.SmsAuthenticationMessage;
  if (sms?.SmsConfiguration !== undefined) next.SmsConfiguration = sms.SmsConfiguration;
  if (webAuthn !== undefined) (next as PoolSettingsWithWebAuthn)[WEBAUTHN_CONFIG_KEY] = webAuthn;
  return next;
}
