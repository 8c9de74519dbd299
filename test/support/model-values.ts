import fc from 'fast-check';
import { PATTERN_FLAGS, SHAPES, type MemberFact, type ShapeFact } from '../../src/model/generated/shapes.js';

/**
 * Values built from the model's shape facts, for the fuzzer: type-correct values with hostile
 * contents, values that break exactly one constraint, values of the wrong JSON type, and one
 * deterministic valid value per shape (for "valid request, missing resource" checks).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'] as const;

export function shapeFact(name: string): ShapeFact {
  const fact = SHAPES[name];
  if (!fact) throw new Error(`unknown shape ${name}`);
  return fact;
}

export function structureMembers(name: string): [string, MemberFact][] {
  const fact = shapeFact(name);
  return fact.type === 'structure' ? Object.entries(fact.members) : [];
}

/** Sets an own property even for "__proto__", which plain assignment would turn into a prototype change. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

const hostileStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\uFEFF\u202E',
  '👩‍👩‍👧‍👦',
  'Ω≈ç√∫˜µ≤≥÷',
  '𝕿𝖍𝖊',
  '\uD800', // lone surrogate: JSON.stringify escapes it, the server must cope
  '../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '%s%s%n',
  'us-east-1_AAAAAAAAA',
  ...PROTOTYPE_KEYS,
);

const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 3, arbitrary: hostileStrings },
  { weight: 1, arbitrary: fc.integer({ min: 129, max: 5000 }).map((n) => 'x'.repeat(n)) },
);

const anyNumber = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e21),
);

export interface TypedOptions {
  /** Member name → arbitrary used instead of the shape's own (e.g. real pool ids). */
  hints?: Record<string, fc.Arbitrary<unknown>>;
  maxDepth?: number;
  /** Values the SDK can serialize: Dates for timestamps, bytes for blobs. */
  forSdk?: boolean;
}

/** A value of the right JSON type for the shape, constraints ignored (so usually invalid). */
export function typedValue(shapeName: string, options: TypedOptions = {}, depth = 0): fc.Arbitrary<unknown> {
  const fact = shapeFact(shapeName);
  const maxDepth = options.maxDepth ?? 4;
  switch (fact.type) {
    case 'structure': {
      const members = Object.entries(fact.members);
      if (depth >= maxDepth) return fc.constant({});
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, member] of members) {
        model[name] = options.hints?.[name] ?? typedValue(member.target, options, depth + 1);
      }
      const requiredKeys = members.filter(([, m]) => m.required).map(([n]) => n);
      return fc.record(model, { requiredKeys });
    }
    case 'string':
      if (fact.enum) return fc.oneof(fc.constantFrom(...fact.enum), anyString);
      return anyString;
    case 'integer':
    case 'long':
      return fact.min !== undefined || fact.max !== undefined
        ? fc.oneof(fc.integer({ min: Math.max(fact.min ?? -1e9, -1e9), max: Math.min(fact.max ?? 1e9, 1e9) }), anyNumber)
        : anyNumber;
    case 'double':
    case 'float':
      return fc.oneof(anyNumber, fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'boolean':
      return fc.boolean();
    case 'timestamp':
      if (options.forSdk) return fc.date({ noInvalidDate: true });
      return fc.oneof(fc.integer({ min: 0, max: 4e9 }), fc.double({ min: 0, max: 4e9, noNaN: true }));
    case 'blob':
      if (options.forSdk) return fc.uint8Array({ maxLength: 32 });
      return fc.base64String({ maxLength: 64 });
    case 'document':
      return fc.jsonValue({ maxDepth: 3 });
    case 'list':
      return fc.array(typedValue(fact.member, options, depth + 1), { maxLength: depth >= maxDepth ? 0 : 4 });
    case 'map': {
      const keys = fc.oneof(typedValue(fact.key, options, depth + 1) as fc.Arbitrary<string>, fc.constantFrom(...PROTOTYPE_KEYS));
      return fc
        .array(fc.tuple(keys, typedValue(fact.value, options, depth + 1)), { maxLength: depth >= maxDepth ? 0 : 4 })
        .map((pairs) => {
          const out: Record<string, unknown> = {};
          for (const [k, v] of pairs) setOwn(out, k, v);
          return out;
        });
    }
  }
}

/** A JSON value whose type the shape does not accept (null excluded: it means "absent"). */
export function wrongTypeValue(shapeName: string): fc.Arbitrary<unknown> | undefined {
  const fact = shapeFact(shapeName);
  const str = fc.string({ maxLength: 8 });
  const num = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
  const arr = fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 });
  const obj = fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
  switch (fact.type) {
    case 'string':
    case 'blob':
      return fc.oneof(num, fc.boolean(), arr, obj);
    case 'integer':
    case 'long':
      return fc.oneof(str, fc.boolean(), arr, obj, fc.constantFrom(0.5, -1.25));
    case 'double':
    case 'float':
    case 'timestamp':
      return fc.oneof(str, fc.boolean(), arr, obj);
    case 'boolean':
      return fc.oneof(str, num, arr, obj);
    case 'list':
      return fc.oneof(str, num, fc.boolean(), obj);
    case 'structure':
    case 'map':
      return fc.oneof(str, num, fc.boolean(), arr);
    case 'document':
      return undefined;
  }
}

/**
 * A replacement for one member that the validator must reject with InvalidParameterException,
 * or undefined when the member's shape has no constraint to break.
 */
export function violationFor(member: MemberFact): unknown[] {
  const fact = shapeFact(member.target);
  const out: unknown[] = [];
  if (member.required) out.push(null);
  switch (fact.type) {
    case 'string':
      if (fact.max !== undefined && fact.max < 200_000) out.push('y'.repeat(fact.max + 1));
      if (fact.min !== undefined && fact.min > 0) out.push('');
      if (fact.enum) out.push('NOT_A_MODEL_ENUM_VALUE');
      break;
    case 'integer':
    case 'long':
      if (fact.min !== undefined) out.push(fact.min - 1);
      if (fact.max !== undefined) out.push(fact.max + 1);
      break;
    case 'list':
      if (fact.min !== undefined && fact.min > 0) out.push([]);
      break;
    case 'map':
      if (fact.min !== undefined && fact.min > 0) out.push({});
      break;
    default:
      break;
  }
  return out;
}

const CANDIDATE_STRINGS = [
  'us-east-1_NoSuchPl1',
  'nosuchclientid0123456789ab',
  'nobody',
  'Passw0rd!Passw0rd!',
  '123456',
  'https://example.com/cb',
  'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_NoSuchPl1',
  'arn:aws:iam::000000000000:role/none',
  'nobody@example.com',
  '+15555550100',
  'name',
  'abc',
  'a',
  'A1',
  'e30.e30.c2ln',
  'e30',
];

const validStringCache = new Map<string, string>();

function stringSatisfies(fact: Extract<ShapeFact, { type: 'string' }>, s: string): boolean {
  const length = [...s].length;
  if (fact.min !== undefined && length < fact.min) return false;
  if (fact.max !== undefined && length > fact.max) return false;
  if (fact.enum && !fact.enum.includes(s)) return false;
  const pattern = fact.jsPattern ?? fact.pattern;
  if (pattern !== undefined && !new RegExp(pattern, PATTERN_FLAGS).test(s)) return false;
  return true;
}

function validString(shapeName: string, fact: Extract<ShapeFact, { type: 'string' }>, memberName: string): string {
  const cacheKey = `${memberName}:${shapeName}`;
  const cached = validStringCache.get(cacheKey);
  if (cached !== undefined) return cached;
  let found: string | undefined;
  if (fact.enum) found = fact.enum[0];
  const byName = memberName === 'ClientId' ? ['nosuchclientid0123456789ab'] : memberName === 'UserPoolId' ? ['us-east-1_NoSuchPl1'] : [];
  for (const candidate of [...byName, ...CANDIDATE_STRINGS]) {
    if (found !== undefined) break;
    if (stringSatisfies(fact, candidate)) found = candidate;
  }
  if (found === undefined && fact.min !== undefined) {
    const padded = 'a'.repeat(fact.min);
    if (stringSatisfies(fact, padded)) found = padded;
  }
  if (found === undefined && fact.pattern !== undefined) {
    const re = new RegExp(fact.jsPattern ?? fact.pattern, PATTERN_FLAGS);
    const samples = fc.sample(fc.stringMatching(re, { size: 'small' }), { numRuns: 200, seed: 42 });
    found = samples.find((s) => stringSatisfies(fact, s));
  }
  if (found === undefined) throw new Error(`cannot build a valid value for shape ${shapeName}`);
  validStringCache.set(cacheKey, found);
  return found;
}

/** A deterministic value that satisfies every constraint; only required members are filled. */
export function validValue(shapeName: string, memberName = ''): unknown {
  const fact = shapeFact(shapeName);
  switch (fact.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(fact.members)) {
        if (member.required) out[name] = validValue(member.target, name);
      }
      // A union needs exactly one member set.
      if (fact.union && Object.keys(out).length === 0) {
        const [first] = Object.entries(fact.members);
        if (first) out[first[0]] = validValue(first[1].target, first[0]);
      }
      return out;
    }
    case 'string':
      return validString(shapeName, fact, memberName);
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
      return fact.min !== undefined ? Math.max(fact.min, Math.min(1, fact.max ?? 1)) : 1;
    case 'boolean':
      return false;
    case 'timestamp':
      return 1_700_000_000;
    case 'blob':
      return 'AAAA';
    case 'document':
      return {};
    case 'list':
      return Array.from({ length: fact.min ?? 0 }, () => validValue(fact.member, memberName));
    case 'map':
      return {};
  }
}
