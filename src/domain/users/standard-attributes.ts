import type { SchemaAttributeType } from '../../model/generated/types.js';

/**
 * The OpenID Connect standard attributes every Cognito user pool has, as DescribeUserPool
 * reports them. `sub` is immutable and always present; the `_verified` flags are booleans.
 */
const STRING = (name: string, min = '0', max = '2048', extra: Partial<SchemaAttributeType> = {}): SchemaAttributeType => ({
  Name: name,
  AttributeDataType: 'String',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
  StringAttributeConstraints: { MinLength: min, MaxLength: max },
  ...extra,
});

export const STANDARD_ATTRIBUTES: readonly SchemaAttributeType[] = [
  STRING('sub', '1', '2048', { Mutable: false, Required: true }),
  STRING('name'),
  STRING('given_name'),
  STRING('family_name'),
  STRING('middle_name'),
  STRING('nickname'),
  STRING('preferred_username'),
  STRING('profile'),
  STRING('picture'),
  STRING('website'),
  STRING('email'),
  { Name: 'email_verified', AttributeDataType: 'Boolean', DeveloperOnlyAttribute: false, Mutable: true, Required: false },
  STRING('gender'),
  STRING('birthdate', '10', '10'),
  STRING('zoneinfo'),
  STRING('locale'),
  STRING('phone_number'),
  { Name: 'phone_number_verified', AttributeDataType: 'Boolean', DeveloperOnlyAttribute: false, Mutable: true, Required: false },
  STRING('address'),
  {
    Name: 'updated_at',
    AttributeDataType: 'Number',
    DeveloperOnlyAttribute: false,
    Mutable: true,
    Required: false,
    NumberAttributeConstraints: { MinValue: '0' },
  },
];

export const STANDARD_NAMES: ReadonlySet<string> = new Set(STANDARD_ATTRIBUTES.map((a) => a.Name as string));
