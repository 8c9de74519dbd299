import type {
  CreateUserPoolRequest,
  PasswordPolicyType,
  SchemaAttributeType,
  UserPoolType,
} from '../../model/generated/types.js';
import { invalidParameter } from '../../kernel/errors.js';
import { refuseUnbuiltPoolSettings } from './not-built.js';
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

/**
 * Adds the request's schema to the existing attributes. A standard attribute may be made
 * required or given constraints; any other name becomes a custom attribute `custom:<name>`.
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
      result[index] = {
        ...current,
        ...definedOnly({ Mutable: attr.Mutable, Required: attr.Required, DeveloperOnlyAttribute: attr.DeveloperOnlyAttribute }),
        ...(attr.StringAttributeConstraints && { StringAttributeConstraints: { ...current.StringAttributeConstraints, ...attr.StringAttributeConstraints } }),
        ...(attr.NumberAttributeConstraints && { NumberAttributeConstraints: attr.NumberAttributeConstraints }),
      };
      continue;
    }
    const customName = name.startsWith('custom:') ? name : `custom:${name}`;
    if (result.some((a) => a.Name === customName)) throw invalidParameter(`Existing attribute already has name ${customName}.`);
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
    result.push(custom);
  }
  if (result.filter((a) => a.Name?.startsWith('custom:')).length > 50) {
    throw invalidParameter('Too many custom attributes: a user pool can have at most 50.');
  }
  return result;
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
  const s = settingsOf(pool);
  // Settings first: the pool's own identity and dates always win over anything stored in them.
  return {
    ...s,
    Id: pool.id,
    Name: pool.name,
    Arn: arn,
    CreationDate: pool.createdAt / 1000,
    LastModifiedDate: pool.updatedAt / 1000,
    EstimatedNumberOfUsers: estimatedUsers,
  };
}
