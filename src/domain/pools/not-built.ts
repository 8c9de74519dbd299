import { invalidParameter } from '../../kernel/errors.js';
import type { CreateUserPoolRequest, LambdaConfigType } from '../../model/generated/types.js';
import { checkPoolMfaSettings } from '../mfa/pool-mfa-config.js';
import { BUILT_FIRST_FACTORS } from '../auth/first-factors.js';
import { checkThreatProtectionSettings } from './threat-protection.js';

/**
 * Pool settings that ask for behaviour userpoold does not have yet. They are refused, naming
 * the setting, instead of being stored and then ignored: a pool that claims to run a trigger
 * or to remember devices, and silently does neither, would let an app's tests pass here and
 * fail on AWS. Each refusal goes away in the change that builds the feature
 * (docs/compatibility.md lists them).
 */

/** LambdaConfig members whose triggers run today. */
const RUNNING_TRIGGERS: ReadonlySet<keyof LambdaConfigType> = new Set<keyof LambdaConfigType>([
  'CustomMessage',
  'PreSignUp',
  'PostConfirmation',
  'PreAuthentication',
  'PostAuthentication',
  'PreTokenGeneration',
  'PreTokenGenerationConfig',
  'UserMigration',
  'DefineAuthChallenge',
  'CreateAuthChallenge',
  'VerifyAuthChallengeResponse',
  'CustomEmailSender',
  'CustomSMSSender',
]);

export function notBuilt(setting: string, feature: string) {
  return invalidParameter(`userpoold does not support ${feature} yet, so ${setting} cannot be set (see docs/compatibility.md).`);
}

export function refuseUnbuiltPoolSettings(req: Omit<CreateUserPoolRequest, 'PoolName'>): void {
  for (const [name, value] of Object.entries(req.LambdaConfig ?? {}) as [keyof LambdaConfigType, unknown][]) {
    if (value === undefined || value === null || RUNNING_TRIGGERS.has(name)) continue;
    if (name === 'KMSKeyID') continue;
    throw notBuilt(`LambdaConfig.${name}`, `the ${name.replace(/Config$/, '')} trigger`);
  }
  // The custom senders encrypt every code under KMSKeyID (DG23 custom sender pages: "you must
  // configure a symmetric customer master key"); without one no message could leave. AWS's text
  // for this refusal is not documented: this one names what is missing.
  const lambda = req.LambdaConfig;
  if ((lambda?.CustomEmailSender || lambda?.CustomSMSSender) && !lambda.KMSKeyID) {
    throw invalidParameter('LambdaConfig.KMSKeyID is required when LambdaConfig.CustomEmailSender or LambdaConfig.CustomSMSSender is set.');
  }
  // MFA runs (src/features/mfa/); its own rules refuse a configuration AWS refuses.
  checkPoolMfaSettings(req);
  // Remembered devices run (src/features/devices/, features/auth/challenges/device-srp.ts).
  // Threat protection runs (services/threat/, features/security/); on the Plus plan only.
  checkThreatProtectionSettings(req);
  // Choice-based sign-in runs with passwords, one-time codes and passkeys
  // (features/auth/flows/user-auth-sign-in.ts). SOFTWARE_TOKEN is no first factor on AWS either
  // (MODEL SignInPolicyType: "Do not include this value"; AWS's text for it is not documented).
  const factors = req.Policies?.SignInPolicy?.AllowedFirstAuthFactors;
  if (factors?.some((f) => !BUILT_FIRST_FACTORS.includes(f))) throw invalidParameter('SOFTWARE_TOKEN is not supported as a first auth factor.');
  // Settings of the newer model (July 2026) that nothing here acts on yet.
  if (req.KeyConfiguration !== undefined && req.KeyConfiguration !== null) throw notBuilt('KeyConfiguration', 'configurable token signing keys');
  if (req.IssuerConfiguration !== undefined && req.IssuerConfiguration !== null) throw notBuilt('IssuerConfiguration', 'a configurable token issuer (see --issuer-format)');
  if (req.SmsConfiguration?.EumsSms !== undefined && req.SmsConfiguration.EumsSms !== null) throw notBuilt('SmsConfiguration.EumsSms', 'SMS through AWS End User Messaging (use --sms-transport)');
}
