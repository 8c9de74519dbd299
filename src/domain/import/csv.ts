import { ServiceError } from '../../kernel/errors.js';
import type { PoolSettings } from '../pools/user-pool.js';
import { checkAttributeWrites, initialAttributes, missingRequiredAttributes } from '../users/attributes.js';
import { csvHeader } from '../users/csv-header.js';
import { newUsername } from '../users/new-user.js';
import { IMPORT_LIMITS } from './import-job.js';

/**
 * The CSV format of user import files and its rules, as AWS documents them (DG23
 * cognito-user-pools-using-import-tool-csv-header / -formatting-csv-file; cognito-facts-areas.md
 * section 5): a header row first, its columns in any order but every one of the pool's
 * (GetCSVHeader) present; values may be empty; no quoting, a comma inside a value written `\,`;
 * UTF-8 without BOM.
 */

/** The values of one line: split at commas not escaped as `\,`. */
export function splitCsvLine(line: string): string[] {
  const values: string[] = [];
  let current = '';
  let from = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 92 /* \ */ && line.charCodeAt(i + 1) === 44 /* , */) {
      current += line.slice(from, i) + ',';
      i++;
      from = i + 1;
    } else if (c === 44) {
      values.push(current + line.slice(from, i));
      current = '';
      from = i + 1;
    }
  }
  values.push(current + line.slice(from));
  return values;
}

/** Where each column of the file is, by name. */
export type CsvLayout = ReadonlyMap<string, number>;

/**
 * The file's header against the pool's: every column of GetCSVHeader, once, in any order, and
 * nothing else. A mismatch fails the whole job (the file cannot be read as the pool's users).
 */
export function checkHeader(settings: PoolSettings, headerLine: string): { layout: CsvLayout } | { problem: string } {
  const columns = splitCsvLine(headerLine).map((c) => c.trim());
  const expected = csvHeader(settings);
  const layout = new Map<string, number>();
  for (const [i, name] of columns.entries()) {
    if (layout.has(name)) return { problem: `The CSV header names the column ${name} twice.` };
    layout.set(name, i);
  }
  const missing = expected.filter((name) => !layout.has(name));
  const unknown = columns.filter((name) => !expected.includes(name));
  if (missing.length > 0 || unknown.length > 0) {
    const parts = [];
    if (missing.length > 0) parts.push(`missing ${missing.join(', ')}`);
    if (unknown.length > 0) parts.push(`not in the user pool ${unknown.join(', ')}`);
    return { problem: `The CSV header does not match the user pool's (GetCSVHeader): ${parts.join('; ')}.` };
  }
  return { layout };
}

/** A row that becomes a user: what the import stores. */
export interface ImportedRow {
  line: number;
  /** The username to store (the new `sub` in pools whose users sign in with email or phone). */
  username: string;
  sub: string;
  attributes: Record<string, string>;
  /** cognito:mfa_enabled: SMS MFA on for the user. */
  mfaEnabled: boolean;
  /** In email/phone-as-username pools, the attribute the given cognito:username stands for. */
  usernameAttribute: 'email' | 'phone_number' | undefined;
}

export type RowOutcome = { ok: true; row: ImportedRow } | { ok: false; line: number; reason: string };

/** AWS's text for a row without a true auto-verified attribute (DG23 cognito-user-pools-using-import-tool-cloudwatch). */
export const NO_AUTO_VERIFIED = 'The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).';

const BOOLEAN_COLUMNS = ['email_verified', 'phone_number_verified', 'cognito:mfa_enabled'] as const;
const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const FLAG_OF = { email: 'email_verified', phone_number: 'phone_number_verified' } as const;

/**
 * One data line to a user, or the reason it fails alone (the job goes on). The checks, in
 * order: the row's shape, `cognito:username` and `cognito:mfa_enabled` present, the boolean
 * columns, an auto-verified attribute set true with its value present, the attribute formats
 * and the pool's required attributes (AdminCreateUser's rules and texts), the username rules.
 */
export function readRow(settings: PoolSettings, layout: CsvLayout, line: number, text: string, sub: string): RowOutcome {
  if (text.length > IMPORT_LIMITS.maxRowChars) return failed(line, `The row is longer than ${IMPORT_LIMITS.maxRowChars} characters.`);
  const values = splitCsvLine(text);
  if (values.length !== layout.size) return failed(line, `The row has ${values.length} values; the header has ${layout.size} columns.`);
  const plan = rowPlanOf(settings, layout);
  const value = (i: number | undefined): string => (i === undefined ? '' : (values[i] ?? ''));

  const requested = value(plan.username);
  if (requested === '') return failed(line, 'The row has no cognito:username (required).');
  const mfa = value(plan.mfa);
  if (mfa === '') return failed(line, 'The row has no cognito:mfa_enabled (required: true or false).');
  for (const [name, i] of plan.booleans) {
    const v = value(i);
    if (v !== '' && v !== 'true' && v !== 'false') return failed(line, `${name} must be true or false.`);
  }

  if (!plan.autoVerifiedFlags.some((i) => value(i) === 'true')) return failed(line, NO_AUTO_VERIFIED);
  for (const { attribute, flag, flagAt, attributeAt } of plan.flags) {
    if (value(flagAt) === 'true' && value(attributeAt) === '') return failed(line, `${flag} is true but the row has no ${attribute}.`);
  }
  if (mfa === 'true' && value(plan.phone) === '') return failed(line, 'cognito:mfa_enabled is true but the row has no phone_number (SMS MFA needs one).');

  const writes: { Name: string; Value: string }[] = [];
  for (const [name, i] of plan.attributes) {
    const v = values[i] as string;
    if (v !== '') writes.push({ Name: name, Value: v });
  }
  // Code points, not UTF-16 units; only a long name needs counting.
  if ((requested.length > 128 && codePoints(requested) > 128) || !USERNAME.test(requested)) {
    return failed(line, 'cognito:username is not a valid username (1 to 128 letters, marks, symbols, numbers or punctuation).');
  }
  try {
    checkAttributeWrites(settings, writes, 'create');
    const attributes = initialAttributes(settings, writes);
    const { username, attribute } = newUsername(settings, requested, sub);
    if (attribute) {
      // The given name is the email or phone the user signs in with: it is that attribute.
      attributes[attribute.name] = attribute.value;
    }
    const missing = missingRequiredAttributes(settings, attributes);
    if (missing.length > 0) return failed(line, `Attributes did not conform to the schema: ${missing.map((m) => `${m}: The attribute is required`).join(', ')}`);
    return { ok: true, row: { line, username, sub, attributes, mfaEnabled: mfa === 'true', usernameAttribute: attribute?.name } };
  } catch (err) {
    if (err instanceof ServiceError) return failed(line, err.message.trim());
    throw err;
  }
}

function failed(line: number, reason: string): RowOutcome {
  return { ok: false, line, reason };
}

function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++, n++) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
  }
  return n;
}

/** Where readRow finds each column it checks, worked out once per file (layout) and pool settings, not per row. */
interface RowPlan {
  username: number | undefined;
  mfa: number | undefined;
  phone: number | undefined;
  /** The boolean columns the file has. */
  booleans: [string, number][];
  /** The verification flags of the pool's auto-verified attributes. */
  autoVerifiedFlags: (number | undefined)[];
  flags: { attribute: string; flag: string; flagAt: number | undefined; attributeAt: number | undefined }[];
  /** The columns that are attributes (all but cognito:*), in file order. */
  attributes: [string, number][];
}

const rowPlans = new WeakMap<CsvLayout, { settings: PoolSettings; plan: RowPlan }>();

function rowPlanOf(settings: PoolSettings, layout: CsvLayout): RowPlan {
  const known = rowPlans.get(layout);
  if (known && known.settings === settings) return known.plan;
  const autoVerified = (settings.AutoVerifiedAttributes ?? []).filter((a): a is keyof typeof FLAG_OF => a in FLAG_OF);
  const plan: RowPlan = {
    username: layout.get('cognito:username'),
    mfa: layout.get('cognito:mfa_enabled'),
    phone: layout.get('phone_number'),
    booleans: BOOLEAN_COLUMNS.filter((name) => layout.has(name)).map((name) => [name, layout.get(name) as number]),
    autoVerifiedFlags: autoVerified.map((a) => layout.get(FLAG_OF[a])),
    flags: Object.entries(FLAG_OF).map(([attribute, flag]) => ({ attribute, flag, flagAt: layout.get(flag), attributeAt: layout.get(attribute) })),
    attributes: [...layout].filter(([name]) => !name.startsWith('cognito:')),
  };
  rowPlans.set(layout, { settings, plan });
  return plan;
}

/**
 * Whether the pool can take an import at all: "a pool with no auto-verified attributes can't
 * start a job" (DG23): its users could never receive the reset code they must use.
 */
export function poolImportProblem(settings: PoolSettings): string | undefined {
  const verified = (settings.AutoVerifiedAttributes ?? []).filter((a) => a === 'email' || a === 'phone_number');
  if (verified.length === 0) return 'The user pool has no auto-verified attributes (email or phone_number): imported users could not receive a password reset code.';
  return undefined;
}
