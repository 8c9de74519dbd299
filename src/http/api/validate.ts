import { SHAPES, type ShapeFact } from '../../model/generated/shapes.js';
import { serialization, invalidParameter } from '../../kernel/errors.js';
import { modelPattern } from './model-patterns.js';

/**
 * Checks a request body against the model facts, the way Cognito's front end does:
 * a value of the wrong JSON type is a SerializationException; constraint violations
 * (missing required members, null list members and map values, lengths, ranges, patterns,
 * enums) are collected and reported together as one InvalidParameterException with AWS's
 * wording, e.g.
 * `1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null`.
 * Members the model does not know are ignored, as AWS ignores them.
 *
 * Every check costs time linear in the size of the body: lengths are counted before any
 * pattern runs, a pattern never runs on a value longer than its maximum, and patterns run on
 * a linear-time engine (model-patterns.ts), so no value can stall the event loop.
 */
export function validateInput(shapeName: string, body: Record<string, unknown>): void {
  const violations: Violation[] = [];
  checkStructure(shapeName, body, '', violations);
  if (violations.length === 0) return;
  violations.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.order - b.order));
  const n = violations.length;
  const head = `${n} validation error${n === 1 ? '' : 's'} detected: `;
  throw invalidParameter(head + violations.map((v) => `${v.value} failed to satisfy constraint: ${v.constraint}`).join('; '));
}

interface Violation {
  path: string;
  order: number;
  /** How the value is shown: `Value 'x' at 'path'`, `Value null at 'path'`, or `Value at 'path'` when sensitive. */
  value: string;
  /** The constraint's own text, e.g. `Member must not be null`. */
  constraint: string;
}

const NOT_NULL = 'Member must not be null';

function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Patterns are printed the way AWS prints them: without the ^ and $ anchors. */
function printablePattern(pattern: string): string {
  return pattern.replace(/^\^/, '').replace(/\$$/, '');
}

function shape(name: string): ShapeFact {
  const fact = SHAPES[name];
  if (!fact) throw new Error(`unknown shape ${name}`);
  return fact;
}

function typeError(path: string, expected: string): never {
  throw serialization(`Unexpected value at '${path}': expected ${expected}.`);
}

function checkStructure(name: string, value: unknown, path: string, out: Violation[]): void {
  const fact = shape(name);
  if (fact.type !== 'structure') throw new Error(`${name} is not a structure`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) typeError(path || 'body', 'an object');
  const object = value as Record<string, unknown>;
  for (const [member, memberFact] of Object.entries(fact.members)) {
    const memberPath = path === '' ? lowerCamel(member) : `${path}.${lowerCamel(member)}`;
    const memberValue = object[member];
    if (memberValue === undefined || memberValue === null) {
      if (memberFact.required) add(out, memberPath, 0, `Value null at '${memberPath}'`, NOT_NULL);
      continue;
    }
    const relaxed = RELAXED_MEMBERS[`${name}.${member}`];
    if (relaxed !== undefined && typeof memberValue === 'string') {
      if (memberValue.length > relaxed.max || !relaxed.pattern.test(memberValue)) {
        add(out, memberPath, 4, `Value '${memberValue.slice(0, relaxed.max)}' at '${memberPath}'`, `Member must satisfy regular expression pattern: ${printablePattern(relaxed.pattern.source)}`);
      }
      continue;
    }
    checkValue(memberFact.target, memberValue, memberPath, out, memberFact.sensitive === true);
  }
}

/**
 * Members whose model constraint AWS's service itself does not apply. The user pool domain
 * operations take custom domains (auth.example.com, with CustomDomainConfig) in `Domain`, whose
 * model pattern admits prefixes only (no dots, at most 63 characters); a host name is checked
 * here instead, and the domain rules (domain/oauth/domain.ts) tell prefixes and custom names apart.
 */
const HOST_NAME = { max: 253, pattern: /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/ };
export const RELAXED_MEMBERS: Readonly<Record<string, { max: number; pattern: RegExp }>> = {
  'CreateUserPoolDomainRequest.Domain': HOST_NAME,
  'UpdateUserPoolDomainRequest.Domain': HOST_NAME,
  'DeleteUserPoolDomainRequest.Domain': HOST_NAME,
  'DescribeUserPoolDomainRequest.Domain': HOST_NAME,
};

function checkValue(name: string, value: unknown, path: string, out: Violation[], sensitiveMember: boolean): void {
  const fact = shape(name);
  const sensitive = sensitiveMember || ('sensitive' in fact && fact.sensitive === true);
  // Built only when a violation is reported: showing a list or map means printing all of it.
  const shown = (text: () => string) => (sensitive ? `Value at '${path}'` : `Value ${text()} at '${path}'`);
  switch (fact.type) {
    case 'structure':
      checkStructure(name, value, path, out);
      return;
    case 'string': {
      if (typeof value !== 'string') typeError(path, 'a string');
      const s = value as string;
      const show = shown(() => `'${s}'`);
      // The cheap constraints first; the pattern last, and only on a value within its length.
      const length = codePointLength(s);
      const tooLong = fact.max !== undefined && length > fact.max;
      if (fact.min !== undefined && length < fact.min) add(out, path, 1, show, `Member must have length greater than or equal to ${fact.min}`);
      if (tooLong) add(out, path, 2, show, `Member must have length less than or equal to ${fact.max}`);
      if (fact.enum !== undefined && !fact.enum.includes(s)) add(out, path, 3, show, `Member must satisfy enum value set: [${fact.enum.join(', ')}]`);
      // AWS reports every constraint a value breaks (a too-short password gets both its length
      // and its pattern violation: cognito-facts.md §1.10), so it would also report the pattern
      // of a value that is too long. We skip the pattern there: such a value gets only its
      // length violation (the request is refused all the same, the message format is unchanged),
      // and pattern work stays bounded by the model's maxima instead of the body size.
      if (!tooLong && fact.pattern !== undefined && !modelPattern(fact.jsPattern ?? fact.pattern).test(s)) {
        add(out, path, 4, show, `Member must satisfy regular expression pattern: ${printablePattern(fact.pattern)}`);
      }
      return;
    }
    case 'integer':
    case 'long':
    case 'double':
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value)) typeError(path, 'a number');
      const n = value as number;
      if ((fact.type === 'integer' || fact.type === 'long') && !Number.isInteger(n)) typeError(path, 'a whole number');
      const show = shown(() => `'${n}'`);
      if (fact.min !== undefined && n < fact.min) add(out, path, 1, show, `Member must have value greater than or equal to ${fact.min}`);
      if (fact.max !== undefined && n > fact.max) add(out, path, 2, show, `Member must have value less than or equal to ${fact.max}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') typeError(path, 'a boolean');
      return;
    case 'timestamp':
      if (typeof value !== 'number' || !Number.isFinite(value)) typeError(path, 'a timestamp in epoch seconds');
      return;
    case 'blob':
      if (typeof value !== 'string') typeError(path, 'a base64 string');
      return;
    case 'document':
      return;
    case 'list': {
      if (!Array.isArray(value)) typeError(path, 'a list');
      const list = value as unknown[];
      const show = () => shown(() => `'[${list.map((item) => javaString(redacted(fact.member, item))).join(', ')}]'`);
      if (fact.min !== undefined && list.length < fact.min) add(out, path, 1, show(), `Member must have length greater than or equal to ${fact.min}`);
      if (fact.max !== undefined && list.length > fact.max) add(out, path, 2, show(), `Member must have length less than or equal to ${fact.max}`);
      // The model's lists are dense (none is @sparse), so a null member is a violation. Cognito
      // reports it once for the list, with the list shown, e.g. for CreateManagedLoginBranding
      // `Value '[null]' at 'assets' failed to satisfy constraint: Member must satisfy constraint:
      // [Member must not be null]` (hectorvent/floci CognitoManagedLoginBrandingIntegrationTest,
      // whose messages are stated as measured against the live API); other Coral services word
      // list member constraints the same way (Lambda, captured: `... at 'cors.allowMethods' failed
      // to satisfy constraint: Member must satisfy constraint: [..., Member must not be null]`).
      // The members' other violations keep their own `list.N.member` paths (1-based), as before.
      if (list.includes(null)) add(out, path, 3, show(), `Member must satisfy constraint: [${NOT_NULL}]`);
      list.forEach((item, i) => {
        if (item === null) return;
        checkValue(fact.member, item, `${path}.${i + 1}.member`, out, sensitive);
      });
      return;
    }
    case 'map': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) typeError(path, 'a map');
      const entries = Object.entries(value as Record<string, unknown>);
      const show = () => shown(() => `'{${entries.map(([k, v]) => `${k}=${javaString(redacted(fact.value, v))}`).join(', ')}}'`);
      if (fact.min !== undefined && entries.length < fact.min) add(out, path, 1, show(), `Member must have length greater than or equal to ${fact.min}`);
      if (fact.max !== undefined && entries.length > fact.max) add(out, path, 2, show(), `Member must have length less than or equal to ${fact.max}`);
      // Keys and values are checked as members of the map; their violations name the map.
      const keyProblems: Violation[] = [];
      const valueProblems: Violation[] = [];
      let nullValue = false;
      for (const [k, v] of entries) {
        checkValue(fact.key, k, path, keyProblems, sensitive);
        if (v === null && NULL_VALUES_ABSENT.has(name)) continue;
        if (v === null) nullValue = true;
        else checkValue(fact.value, v, path, valueProblems, sensitive);
      }
      // Maps are dense too: a null value breaks the value's constraint, which Coral lists last
      // (e.g. `Map value must satisfy constraint: [Member must have value less than or equal to 1.0, ..., Member must not be null]`).
      const constraintsOf = (problems: Violation[], extra: string[] = []) => [...new Set([...problems.map((p) => p.constraint), ...extra])].join(', ');
      if (keyProblems.length > 0) add(out, path, 3, show(), `Map keys must satisfy constraint: [${constraintsOf(keyProblems)}]`);
      if (valueProblems.length > 0 || nullValue) {
        add(out, path, 4, show(), `Map value must satisfy constraint: [${constraintsOf(valueProblems, nullValue ? [NOT_NULL] : [])}]`);
      }
      return;
    }
  }
}

/** The length AWS counts (code points, as Java's codePointCount), without copying the string. */
function codePointLength(s: string): number {
  let length = 0;
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < s.length) {
      const low = s.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) i++;
    }
    length++;
  }
  return length;
}

const REDACTED = '***Sensitive Data Redacted***';

/**
 * A list or map is shown whole in a message; members the model marks sensitive inside it
 * (a user attribute's Value, a password) are shown the way AWS's Java toString shows them.
 */
function redacted(shapeName: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const fact = shape(shapeName);
  if ('sensitive' in fact && fact.sensitive === true) return REDACTED;
  if (typeof value !== 'object') return value;
  switch (fact.type) {
    case 'structure': {
      if (Array.isArray(value)) return value;
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [member, memberFact] of Object.entries(fact.members)) {
        if (!Object.prototype.hasOwnProperty.call(copy, member) || copy[member] === null) continue;
        const target = shape(memberFact.target);
        const sensitive = memberFact.sensitive === true || ('sensitive' in target && target.sensitive === true);
        copy[member] = sensitive ? REDACTED : redacted(memberFact.target, copy[member]);
      }
      return copy;
    }
    case 'list':
      return Array.isArray(value) ? value.map((item) => redacted(fact.member, item)) : value;
    case 'map': {
      if (Array.isArray(value)) return value;
      const copy: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        Object.defineProperty(copy, k, { value: redacted(fact.value, v), enumerable: true, writable: true, configurable: true });
      }
      return copy;
    }
    default:
      return value;
  }
}

function javaString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v !== 'object') return String(v);
  // Members the model does not know are not checked, so they may nest deeper than the stack.
  try {
    return JSON.stringify(v);
  } catch {
    return '{...}';
  }
}

/**
 * Maps whose null values count as absent instead of breaking the map. amazon-cognito-identity-js,
 * written against the service, sends `"DEVICE_KEY": null` in AuthParameters and ChallengeResponses
 * (its retry after a forgotten device, CognitoUser.js), so the service takes a null there as no
 * value; the values are dropped before the operation sees them (knownMembersOnly).
 */
export const NULL_VALUES_ABSENT: ReadonlySet<string> = new Set(['AuthParametersType', 'ChallengeResponsesType']);

function add(out: Violation[], path: string, order: number, value: string, constraint: string): void {
  out.push({ path, order, value, constraint });
}

/**
 * A copy of the input with only the members the model defines, at every depth. Operations
 * store parts of their input (pool and client settings), so a member AWS would ignore must
 * not reach them: it could otherwise set what the operation does not allow to change.
 */
export function knownMembersOnly(shapeName: string, value: unknown): unknown {
  const fact = shape(shapeName);
  if (value === null || value === undefined) return value;
  switch (fact.type) {
    case 'structure': {
      const object = value as Record<string, unknown>;
      const kept: Record<string, unknown> = {};
      for (const [member, memberFact] of Object.entries(fact.members)) {
        if (Object.prototype.hasOwnProperty.call(object, member) && object[member] !== undefined) {
          kept[member] = knownMembersOnly(memberFact.target, object[member]);
        }
      }
      return kept;
    }
    case 'list':
      return (value as unknown[]).map((item) => knownMembersOnly(fact.member, item));
    case 'map': {
      const kept: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (item === null && NULL_VALUES_ABSENT.has(shapeName)) continue;
        kept[key] = knownMembersOnly(fact.value, item);
      }
      return kept;
    }
    default:
      return value;
  }
}
