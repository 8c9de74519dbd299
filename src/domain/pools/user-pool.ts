import type {
  CreateUserPoolRequest,
  PasswordPolicyType,
  SchemaAttributeType,
  UserPoolType,
} from '../../model/generated/types.js';
import { invalidParameter } from '../../kernel/errors.js';
import { refuseUnbuiltPoolSettings } from './not-built.js';
import { checkTags } from './pool-tags.js';
import type { PoolRecord } from './pool.js';
import { STANDARD_ATTRIBUTES, STANDARD_NAMES } from '../users/standard-attributes.js';

/** Pool settings as stored: the CreateUserPool request without its name, defaults filled in. */
export type PoolSettings = Omit<CreateUserPoolRequest, 'PoolName' | 'Schema'> & {
  /** Every attribute of the pool: the standard ones, then custom ones with their `custom:` prefix. */
  SchemaAttributes: SchemaAttributeType[];
};

export const DEFAULT_PASSWORD_POLICY: Required<Omit<PasswordPolicyType, 'PasswordHistorySize'>> = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

/** Applies AWS's defaults to a CreateUserPool request and checks what the model cannot. */
export function poolSettingsFromRequest(req: Omit<CreateUserPoolRequest, 'PoolName'>): PoolSettings {
  const { Schema, ...rest } = req;
  if (rest.AliasAttributes?.length && rest.UsernameAttributes?.length) {
    throw invalidParameter('Only one of the aliasAttributes or usernameAttributes can be set in a User Pool');
  }
  refuseUnbuiltPoolSettings(rest);
  checkRecovery(rest);
  checkAttributeUpdateSettings(rest);
  if (rest.UserPoolTags) checkTags(rest.UserPoolTags);
  return {
    ...rest,
    Policies: { ...rest.Policies, PasswordPolicy: { ...DEFAULT_PASSWORD_POLICY, ...rest.Policies?.PasswordPolicy } },
    DeletionProtection: rest.DeletionProtection ?? 'INACTIVE',
    MfaConfiguration: rest.MfaConfiguration ?? 'OFF',
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7, ...rest.AdminCreateUserConfig },
    EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT', ...rest.EmailConfiguration },
    VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE', ...rest.VerificationMessageTemplate },
    UserAttributeUpdateSettings: rest.UserAttributeUpdateSettings ?? { AttributesRequireVerificationBeforeUpdate: [] },
    UserPoolTier: rest.UserPoolTier ?? 'ESSENTIALS',
    SchemaAttributes: mergeSchema(STANDARD_ATTRIBUTES, Schema ?? []),
  };
}

function checkRecovery(req: Omit<CreateUserPoolRequest, 'PoolName'>): void {
  const mechanisms = req.AccountRecoverySetting?.RecoveryMechanisms;
  if (!mechanisms) return;
  const names = mechanisms.map((m) => m.Name);
  if (new Set(names).size !== names.length) throw invalidParameter('Recovery mechanism names must be unique.');
  if (names.includes('admin_only') && names.length > 1) {
    throw invalidParameter('admin_only recovery mechanism cannot be combined with other recovery mechanisms.');
  }
  const priorities = mechanisms.map((m) => m.Priority);
  if (new Set(priorities).size !== priorities.length) throw invalidParameter('Recovery mechanism priorities must be unique.');
}

/** Only attributes Cognito verifies automatically can wait for verification before an update. */
function checkAttributeUpdateSettings(req: Omit<CreateUserPoolRequest, 'PoolName'>): void {
  const waiting = req.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  const verified: readonly string[] = req.AutoVerifiedAttributes ?? [];
  if (waiting.some((name) => !verified.includes(name))) {
    throw invalidParameter('All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes');
  }
}

/** At most this many custom attributes per pool (DG:limits, "Custom attributes: 50"; cognito-facts.md). */
export const MAX_CUSTOM_ATTRIBUTES = 50;
/** The longest value a String attribute may allow (API_StringAttributeConstraintsType: MaxLength at most 2048). */
const MAX_STRING_LENGTH = 2048;

/**
 * The name DescribeUserPool reports for an attribute: `dev:custom:x` for a developer-only custom
 * attribute ("Amazon Cognito returns this value as ... dev:value for developer-only attributes",
 * API_SchemaAttributeType), otherwise the stored name.
 */
export function describedAttributeName(attr: SchemaAttributeType): string {
  const name = attr.Name ?? '';
  return attr.DeveloperOnlyAttribute === true && name.startsWith('custom:') ? `dev:${name}` : name;
}

/**
 * Adds the request's schema to the existing attributes, with the rules AWS applies in
 * CreateUserPool and AddCustomAttributes. A standard attribute may be made required or
 * immutable and given constraints, but keeps its type and is never developer-only; any other
 * name becomes a custom attribute `custom:<name>`, which is never required, cannot repeat an
 * existing name, and has constraints that make sense (String lengths 0–2048, minimum not above
 * maximum; Number bounds that are numbers, minimum not above maximum). A pool has at most 50
 * custom attributes.
 *
 * Texts: the duplicate refusal is AWS's (`custom:x: Existing attribute already has name
 * custom:x.`, as reported in jmaleonard/serverless-cognito-add-custom-attributes#3);
 * `Required custom attributes are not supported currently.` is AWS's
 * (trek10inc/serverless-cognito-manager#4, boto/boto3#2317). AWS's texts for the constraint,
 * type and limit refusals were not found; ours name the attribute in the same `<name>: ` form.
 */
export function mergeSchema(existing: readonly SchemaAttributeType[], added: readonly SchemaAttributeType[]): SchemaAttributeType[] {
  const result = existing.map((a) => ({ ...a }));
  for (const attr of added) {
    const name = attr.Name;
    if (name === undefined) throw invalidParameter('Schema attribute name is required.');
    if (STANDARD_NAMES.has(name)) {
      const index = result.findIndex((a) => a.Name === name);
      const current = result[index] as SchemaAttributeType;
      if (name === 'sub') throw invalidParameter('sub attribute cannot be modified.');
      checkStandardChange(current, attr);
      const merged: SchemaAttributeType = {
        ...current,
        ...definedOnly({ Mutable: attr.Mutable, Required: attr.Required }),
        ...(attr.StringAttributeConstraints && { StringAttributeConstraints: { ...current.StringAttributeConstraints, ...attr.StringAttributeConstraints } }),
        ...(attr.NumberAttributeConstraints && { NumberAttributeConstraints: attr.NumberAttributeConstraints }),
      };
      checkConstraints(name, merged);
      result[index] = merged;
      continue;
    }
    const customName = name.startsWith('custom:') ? name : `custom:${name}`;
    const clash = result.find((a) => a.Name === customName);
    if (clash) throw invalidParameter(`${customName}: Existing attribute already has name ${describedAttributeName(clash)}.`);
    if (attr.Required) throw invalidParameter('Required custom attributes are not supported currently.');
    const type = attr.AttributeDataType ?? 'String';
    const custom: SchemaAttributeType = {
      Name: customName,
      AttributeDataType: type,
      DeveloperOnlyAttribute: attr.DeveloperOnlyAttribute ?? false,
      Mutable: attr.Mutable ?? true,
      Required: false,
    };
    if (type === 'String') custom.StringAttributeConstraints = attr.StringAttributeConstraints ?? {};
    if (type === 'Number') custom.NumberAttributeConstraints = attr.NumberAttributeConstraints ?? {};
    checkConstraints(customName, custom);
    result.push(custom);
  }
  if (result.filter((a) => a.Name?.startsWith('custom:')).length > MAX_CUSTOM_ATTRIBUTES) {
    throw invalidParameter(`Too many custom attributes: a user pool can have at most ${MAX_CUSTOM_ATTRIBUTES}.`);
  }
  return result;
}

/** A standard attribute keeps its data type and is never developer-only. */
function checkStandardChange(current: SchemaAttributeType, attr: SchemaAttributeType): void {
  if (attr.AttributeDataType !== undefined && attr.AttributeDataType !== current.AttributeDataType) {
    throw invalidParameter(`${current.Name}: The data type of a standard attribute cannot be changed from ${current.AttributeDataType}.`);
  }
  if (attr.DeveloperOnlyAttribute === true) throw invalidParameter(`${current.Name}: A standard attribute cannot be developer-only.`);
}

/** Bounds that are numbers, in order; String lengths within 0–2048. */
function checkConstraints(name: string, attr: SchemaAttributeType): void {
  const strings = attr.StringAttributeConstraints;
  if (attr.AttributeDataType === 'String' && strings) {
    const min = bound(name, 'MinLength', strings.MinLength, true);
    const max = bound(name, 'MaxLength', strings.MaxLength, true);
    for (const [field, value] of [['MinLength', min], ['MaxLength', max]] as const) {
      if (value !== undefined && value > MAX_STRING_LENGTH) throw invalidParameter(`${name}: ${field} must be at most ${MAX_STRING_LENGTH}.`);
    }
    if (min !== undefined && max !== undefined && min > max) throw invalidParameter(`${name}: MinLength must not be greater than MaxLength.`);
  }
  const numbers = attr.NumberAttributeConstraints;
  if (attr.AttributeDataType === 'Number' && numbers) {
    const min = bound(name, 'MinValue', numbers.MinValue, false);
    const max = bound(name, 'MaxValue', numbers.MaxValue, false);
    if (min !== undefined && max !== undefined && min > max) throw invalidParameter(`${name}: MinValue must not be greater than MaxValue.`);
  }
}

/** A bound given as a string: an integer (non-negative for lengths), or absent. */
function bound(name: string, field: string, value: string | undefined, length: boolean): number | undefined {
  if (value === undefined || value === '') return undefined;
  const pattern = length ? /^[0-9]+$/u : /^-?[0-9]+$/u;
  if (!pattern.test(value)) throw invalidParameter(`${name}: ${field} must be ${length ? 'a non-negative integer' : 'an integer'}.`);
  return Number(value);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function poolArn(region: string, accountId: string, poolId: string): string {
  return `arn:aws:cognito-idp:${region}:${accountId}:userpool/${poolId}`;
}

export function settingsOf(pool: PoolRecord): PoolSettings {
  return pool.settings as unknown as PoolSettings;
}

/** The UserPoolType of DescribeUserPool / CreateUserPool. */
export function describePool(pool: PoolRecord, arn: string, estimatedUsers: number): UserPoolType {
  // The MFA factors SetUserPoolMfaConfig keeps beside the settings are GetUserPoolMfaConfig's to show.
  const { MfaFactors: _mfaFactors, ...s } = settingsOf(pool) as PoolSettings & { MfaFactors?: unknown };
  // Settings first: the pool's own identity and dates always win over anything stored in them.
  return {
    ...s,
    SchemaAttributes: s.SchemaAttributes.map((a) => ({ ...a, Name: describedAttributeName(a) })),
    Id: pool.id,
    Name: pool.name,
    Arn: arn,
    CreationDate: pool.createdAt / 1000,
    LastModifiedDate: pool.updatedAt / 1000,
    EstimatedNumberOfUsers: estimatedUsers,
  };
}
