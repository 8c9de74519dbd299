import type { CreateUserPoolRequest, UpdateUserPoolRequest } from '../../model/generated/types.js';
import { poolSettingsFromRequest, type PoolSettings } from './user-pool.js';

export type PoolUpdate = Omit<UpdateUserPoolRequest, 'UserPoolId' | 'PoolName'>;

/**
 * Settings fixed at creation: the sign-in identifiers cannot change, and the schema only grows
 * through AddCustomAttributes.
 */
const FIXED_AT_CREATION = ['UsernameAttributes', 'AliasAttributes', 'UsernameConfiguration'] as const;

/**
 * AWS documents that UpdateUserPool resets every omitted setting to its default, and it does so
 * for AutoVerifiedAttributes, LambdaConfig, the message texts and the nested configurations.
 * Field-by-field measurements against the live service show these few survive when omitted, so
 * an update that leaves them out keeps them (see docs/compatibility.md).
 */
const KEPT_WHEN_OMITTED = ['Policies', 'MfaConfiguration', 'DeletionProtection', 'UserPoolTier', 'UserAttributeUpdateSettings'] as const;

/** The pool's settings after an UpdateUserPool request, with AWS's defaults for what it omits. */
export function poolSettingsForUpdate(current: PoolSettings, update: PoolUpdate): PoolSettings {
  const request: Omit<CreateUserPoolRequest, 'PoolName'> = { ...update };
  for (const key of FIXED_AT_CREATION) copyDefined(current, request, key);
  for (const key of KEPT_WHEN_OMITTED) {
    if (update[key] === undefined) copyDefined(current, request, key);
  }
  // A Policies object that names only some policies keeps the others.
  if (update.Policies !== undefined) request.Policies = { ...current.Policies, ...update.Policies };
  // The MFA factors of SetUserPoolMfaConfig are not UpdateUserPool's to change.
  const mfaFactors = (current as PoolSettings & { MfaFactors?: unknown }).MfaFactors;
  if (mfaFactors !== undefined) Object.assign(request, { MfaFactors: mfaFactors });
  // Nor are the passkey settings (SetUserPoolMfaConfig's WebAuthnConfiguration).
  const webAuthn = (current as PoolSettings & { WebAuthnConfiguration?: unknown }).WebAuthnConfiguration;
  if (webAuthn !== undefined) Object.assign(request, { WebAuthnConfiguration: webAuthn });
  return { ...poolSettingsFromRequest(request), SchemaAttributes: current.SchemaAttributes };
}

function copyDefined<K extends keyof PoolSettings & keyof CreateUserPoolRequest>(
  from: PoolSettings,
  to: Omit<CreateUserPoolRequest, 'PoolName'>,
  key: K,
): void {
  const value = from[key];
  if (value !== undefined) (to as Record<string, unknown>)[key] = value;
}
