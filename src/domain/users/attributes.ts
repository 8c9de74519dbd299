import type { AttributeType, SchemaAttributeType } from '../../model/generated/types.js';
import { invalidParameter } from '../../kernel/errors.js';
import type { PoolSettings } from '../pools/user-pool.js';

/**
 * Rules for writing user attributes against the pool's schema. Creation (AdminCreateUser,
 * SignUp) and later updates report problems in AWS's two different shapes:
 *   create: `Attributes did not conform to the schema: <name>: <problem>\n...`
 *   update: `user.<name>: <problem>\n...`
 * one line per offending attribute.
 */
export type AttributeWriteMode = 'create' | 'update';

export type Attributes = Record<string, string>;

const NOT_IN_SCHEMA = 'Attribute does not exist in the schema.';
const IMMUTABLE = 'Attribute cannot be updated.';
const REQUIRED = 'The attribute is required';

/** The verifiable contact attributes and their verification flags. */
export const CONTACTS = [
  { name: 'email', flag: 'email_verified' },
  { name: 'phone_number', flag: 'phone_number_verified' },
] as const;

const EMAIL = /^[^\s@]+@[^\s@]+$/u;
const PHONE = /^\+[0-9]{4,15}$/u;

export const looksLikeEmail = (value: string): boolean => EMAIL.test(value);
export const looksLikePhoneNumber = (value: string): boolean => PHONE.test(value);

/**
 * The schema entry an attribute name refers to. Developer-only attributes may also be named
 * with the `dev:` prefix Cognito uses for them.
 */
export function schemaAttribute(settings: PoolSettings, name: string): SchemaAttributeType | undefined {
  const byName = schemaByName(settings.SchemaAttributes);
  const found = byName.get(name);
  if (found) return found;
  if (name.startsWith('dev:')) {
    const plain = byName.get(name.slice(4));
    if (plain?.DeveloperOnlyAttribute) return plain;
  }
  return undefined;
}

/**
 * The schema by name, made once per schema list: a user import checks every attribute of every
 * row, and the linear search over the pool's 20-odd attributes was its largest cost in this
 * module. Keyed by the list itself, and rebuilt if its length changed (a list grown in place).
 */
const schemaIndexes = new WeakMap<readonly SchemaAttributeType[], { length: number; byName: Map<string, SchemaAttributeType> }>();
function schemaByName(schema: readonly SchemaAttributeType[]): Map<string, SchemaAttributeType> {
  let index = schemaIndexes.get(schema);
  if (index === undefined || index.length !== schema.length) {
    const byName = new Map<string, SchemaAttributeType>();
    // The first of a name wins, as find() did.
    for (const a of schema) if (!byName.has(a.Name ?? '')) byName.set(a.Name ?? '', a);
    index = { length: schema.length, byName };
    schemaIndexes.set(schema, index);
  }
  return index.byName;
}

function line(mode: AttributeWriteMode, name: string, problem: string): string {
  return mode === 'create' ? `${name}: ${problem}\n` : `user.${name}: ${problem}\n`;
}

function fail(mode: AttributeWriteMode, lines: readonly string[]): never {
  throw invalidParameter(mode === 'create' ? `Attributes did not conform to the schema: ${lines.join('')}` : lines.join(''));
}

/** `sub` is Cognito's own: no request may set it. */
function refuseSub(name: string): void {
  if (name === 'sub') throw invalidParameter('Cannot modify the non-mutable attribute sub');
}

/** Problems with one non-empty value against its schema entry (undefined when it fits). */
function valueProblem(schema: SchemaAttributeType, value: string): string | undefined {
  switch (schema.AttributeDataType) {
    case 'Boolean':
      return value === 'true' || value === 'false' ? undefined : 'Attribute value must be true or false.';
    case 'Number': {
      if (!/^-?[0-9]+$/u.test(value)) return 'Attribute value must be a number.';
      const n = Number(value);
      const min = schema.NumberAttributeConstraints?.MinValue;
      const max = schema.NumberAttributeConstraints?.MaxValue;
      if (min !== undefined && min !== '' && n < Number(min)) return `Number must be greater than or equal to ${min}.`;
      if (max !== undefined && max !== '' && n > Number(max)) return `Number must be less than or equal to ${max}.`;
      return undefined;
    }
    case 'DateTime':
      return undefined;
    default: {
      const length = [...value].length;
      const min = schema.StringAttributeConstraints?.MinLength;
      const max = schema.StringAttributeConstraints?.MaxLength ?? '2048';
      if (min !== undefined && min !== '' && length < Number(min)) return `String must be at least ${min} characters long.`;
      if (max !== '' && length > Number(max)) return `String must be no longer than ${max} characters.`;
      return undefined;
    }
  }
}

/** The stored name of a written attribute (`dev:custom:x` is stored as `custom:x`). */
function storedName(settings: PoolSettings, name: string): string {
  return schemaAttribute(settings, name)?.Name ?? name;
}

/**
 * Checks a list of written attributes. In update mode an empty value deletes the attribute,
 * which a required attribute refuses; in create mode an empty value is simply not stored.
 */
export function checkAttributeWrites(settings: PoolSettings, writes: readonly AttributeType[], mode: AttributeWriteMode): void {
  for (const w of writes) refuseSub(w.Name);
  const lines: string[] = [];
  for (const { Name: name, Value: value = '' } of writes) {
    const schema = schemaAttribute(settings, name);
    if (!schema) {
      lines.push(line(mode, name, NOT_IN_SCHEMA));
      continue;
    }
    if (mode === 'update' && !schema.Mutable) {
      lines.push(line(mode, name, IMMUTABLE));
      continue;
    }
    if (value === '') {
      if (mode === 'update' && schema.Required) lines.push(line(mode, name, REQUIRED));
      continue;
    }
    const problem = valueProblem(schema, value);
    if (problem) lines.push(line(mode, name, problem));
  }
  if (lines.length > 0) fail(mode, lines);
  for (const { Name: name, Value: value = '' } of writes) {
    if (value === '') continue;
    if (name === 'email' && !looksLikeEmail(value)) throw invalidParameter('Invalid email address format.');
    if (name === 'phone_number' && !looksLikePhoneNumber(value)) throw invalidParameter('Invalid phone number format.');
  }
}

/** The attributes of a new user from the request (already checked), without `sub`. */
export function initialAttributes(settings: PoolSettings, writes: readonly AttributeType[]): Attributes {
  const result: Attributes = {};
  for (const { Name: name, Value: value = '' } of writes) {
    if (value !== '') result[storedName(settings, name)] = value;
  }
  return result;
}

/**
 * The user's attributes after an update (already checked). Changing an email or phone number
 * makes it unverified again, unless the same request says otherwise; removing it removes its
 * verification flag.
 */
export function updatedAttributes(settings: PoolSettings, current: Attributes, writes: readonly AttributeType[]): Attributes {
  const next: Attributes = { ...current };
  const written = new Set<string>();
  for (const { Name: name, Value: value = '' } of writes) {
    const stored = storedName(settings, name);
    written.add(stored);
    if (value === '') delete next[stored];
    else next[stored] = value;
  }
  for (const { name, flag } of CONTACTS) {
    if (!written.has(name) || written.has(flag) || next[name] === current[name]) continue;
    if (next[name] === undefined) delete next[flag];
    else next[flag] = 'false';
  }
  return next;
}

/** Checks AdminDeleteUserAttributes / DeleteUserAttributes names and returns what remains. */
export function attributesAfterDeletion(settings: PoolSettings, current: Attributes, names: readonly string[]): Attributes {
  for (const name of names) refuseSub(name);
  const lines: string[] = [];
  for (const name of names) {
    const schema = schemaAttribute(settings, name);
    if (!schema) lines.push(line('update', name, NOT_IN_SCHEMA));
    else if (!schema.Mutable) lines.push(line('update', name, IMMUTABLE));
    else if (schema.Required) lines.push(line('update', name, REQUIRED));
  }
  if (lines.length > 0) fail('update', lines);
  const next: Attributes = { ...current };
  for (const name of names) {
    const stored = storedName(settings, name);
    delete next[stored];
    const contact = CONTACTS.find((c) => c.name === stored);
    if (contact) delete next[contact.flag];
  }
  return next;
}

/** Required schema attributes a new user lacks (for flows that demand them, e.g. SignUp). */
export function missingRequiredAttributes(settings: PoolSettings, attributes: Attributes): string[] {
  return settings.SchemaAttributes.filter((a) => a.Required && a.Name !== 'sub' && !attributes[a.Name ?? '']).map((a) => a.Name ?? '');
}

export function assertRequiredAttributes(settings: PoolSettings, attributes: Attributes): void {
  const missing = missingRequiredAttributes(settings, attributes);
  if (missing.length > 0) fail('create', missing.map((name) => line('create', name, REQUIRED)));
}
