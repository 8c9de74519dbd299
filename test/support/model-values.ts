import { NULL_VALUES_ABSENT, RELAXED_MEMBERS } from '../../src/http/api/validate.js';
import fc from 'fast-check';
import { modelPattern } from '../../src/http/api/model-patterns.js';
import { PATTERN_FLAGS, SHAPES, type MemberFact, type ShapeFact } from '../../src/model/generated/shapes.js';

/**
 * Values built from the model's shape facts, for the fuzzer: type-correct values with hostile
 * contents (now and then a null list member or map value), values that break exactly one
 * constraint (among them nulls in lists and maps, and long values made of what a pattern
 * accepts), values of the wrong JSON type, one deterministic valid value per shape (for
 * "valid request, missing resource" checks), and pattern-adversarial strings.
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
      return fc.array(orNull(typedValue(fact.member, options, depth + 1)), { maxLength: depth >= maxDepth ? 0 : 4 });
    case 'map': {
      const keys = fc.oneof(typedValue(fact.key, options, depth + 1) as fc.Arbitrary<string>, fc.constantFrom(...PROTOTYPE_KEYS));
      return fc
        .array(fc.tuple(keys, orNull(typedValue(fact.value, options, depth + 1))), { maxLength: depth >= maxDepth ? 0 : 4 })
        .map((pairs) => {
          const out: Record<string, unknown> = {};
          for (const [k, v] of pairs) setOwn(out, k, v);
          return out;
        });
    }
  }
}

/** Now and then a null where a list member or map value belongs: the model's lists and maps are dense. */
function orNull(item: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 9, arbitrary: item }, { weight: 1, arbitrary: fc.constant(null) });
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
export function violationFor(member: MemberFact, key?: string): unknown[] {
  const fact = shapeFact(member.target);
  const out: unknown[] = [];
  if (member.required) out.push(null);
  // The server checks these members by its own rule instead of the model's (validate.ts).
  if (key !== undefined && key in RELAXED_MEMBERS) return out;
  switch (fact.type) {
    case 'string':
      if (fact.max !== undefined && fact.max < 200_000) out.push('y'.repeat(fact.max + 1));
      if (fact.min !== undefined && fact.min > 0) out.push('');
      if (fact.enum) out.push('NOT_A_MODEL_ENUM_VALUE');
      if (fact.pattern !== undefined) {
        // Built from what the pattern accepts, so a backtracking engine would work hardest.
        const units = adversarialUnits(member.target);
        const max = fact.max;
        if (max !== undefined && max < 200_000) out.push(...units.slice(0, 2).map((unit) => repeatTo(unit, max + 1)));
        const long = Math.min(fact.max ?? 4_096, 4_096);
        for (const unit of units.slice(0, 3)) {
          for (const tail of REJECTED_TAILS) {
            const value = repeatTo(unit, long - tail.length) + tail;
            if (!stringSatisfies(fact, value)) out.push(value);
          }
        }
      }
      break;
    case 'integer':
    case 'long':
      if (fact.min !== undefined) out.push(fact.min - 1);
      if (fact.max !== undefined) out.push(fact.max + 1);
      break;
    case 'list':
      if (fact.min !== undefined && fact.min > 0) out.push([]);
      out.push([null]);
      break;
    case 'map':
      if (fact.min !== undefined && fact.min > 0) out.push({});
      if (!NULL_VALUES_ABSENT.has(member.target)) out.push({ key: null });
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
  // RE2, as the server: V8 could take seconds on the long hostile values built here.
  const pattern = fact.jsPattern ?? fact.pattern;
  if (pattern !== undefined && !modelPattern(pattern).test(s)) return false;
  return true;
}

/** Runs of literal text outside character classes, e.g. `arn:`, `{##`, `##}`, `@`: the separators a pattern backtracks over. */
export function literalRuns(source: string): string[] {
  const runs: string[] = [];
  let run = '';
  let inClass = false;
  const flush = () => {
    if (run !== '') runs.push(run);
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (inClass) {
      if (c === '\\') i++;
      else if (c === ']') inClass = false;
      continue;
    }
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      i++;
      if (/[^A-Za-z0-9]/.test(next)) run += next;
      else flush();
    } else if (c === '[') {
      flush();
      inClass = true;
    } else if ('^$()|?*+{}.'.includes(c)) {
      flush();
    } else {
      run += c;
    }
  }
  flush();
  return runs;
}

/** Short values the pattern accepts (fast-check cannot generate for lookbehinds: those are sampled without them and filtered). */
export function patternSamples(source: string): string[] {
  const re = new RegExp(source, PATTERN_FLAGS);
  const generator = new RegExp(source.replace(/\(\?<[=!][^)]*\)/g, ''), PATTERN_FLAGS);
  const samples = fc.sample(fc.stringMatching(generator, { size: 'small' }), { numRuns: 30, seed: 7 });
  return [...new Set(samples.filter((s) => s.length > 0 && s.length < 40 && re.test(s)))].slice(0, 4);
}

/** Characters the model's classes accept or refuse; pattern-adversarial runs are built from them. */
const ADVERSARIAL_ALPHABET = ['a', 'Z', '0', '_', '-', '.', '@', ':', '/', '=', '+', '#', '{', '}', ' ', '\t', '\n', 'é', '\u0301', '€', '😀', '\u00a0'];
/** Ends that the model's patterns refuse, put after a long accepted run to force a full scan (or backtracking). */
export const REJECTED_TAILS = ['\u0000', '\u2028', ' !'];

const unitCache = new Map<string, string[]>();

/**
 * The units that hostile values for a patterned string shape repeat: the pattern's literal
 * separators, short valid values, valid values followed by a separator, then single accepted
 * characters. Repeated up to the maximum length (and past it), and ended with a rejected
 * character, they make a backtracking engine try every way to split the run.
 */
export function adversarialUnits(shapeName: string): string[] {
  const cached = unitCache.get(shapeName);
  if (cached) return cached;
  const fact = shapeFact(shapeName);
  if (fact.type !== 'string' || fact.pattern === undefined) throw new Error(`${shapeName} is not a patterned string`);
  const source = fact.jsPattern ?? fact.pattern;
  const compiled = new RegExp(source, PATTERN_FLAGS);
  const samples = patternSamples(source);
  const runs = literalRuns(source);
  const accepted = ADVERSARIAL_ALPHABET.filter((c) => compiled.test(c.repeat(3)) || samples.some((s) => compiled.test(s + c + s)));
  const units = [...new Set([...runs, ...samples.flatMap((s) => runs.map((r) => s + r)), ...samples, ...accepted.slice(0, 6), 'a', '\u0000'])].slice(0, 10);
  unitCache.set(shapeName, units);
  return units;
}

/** `unit` repeated to exactly `length` code points (the length the model's constraints count). */
export function repeatTo(unit: string, length: number): string {
  const points = [...unit];
  if (points.length === unit.length) return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  const whole = Math.floor(length / points.length);
  return unit.repeat(whole) + points.slice(0, length - whole * points.length).join('');
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

/** One step from a shape towards a value inside it. */
export type PathStep = { kind: 'member'; name: string } | { kind: 'item' } | { kind: 'key' } | { kind: 'value' };

/** Every way down from `shapeName` (at most `depth` steps) to a string shape that has a pattern, with that shape's name. */
export function patternedPaths(shapeName: string, depth = 6): { steps: PathStep[]; target: string }[] {
  const fact = shapeFact(shapeName);
  const below = (step: PathStep, target: string) => patternedPaths(target, depth - 1).map((p) => ({ steps: [step, ...p.steps], target: p.target }));
  if (fact.type === 'string') return fact.pattern !== undefined ? [{ steps: [], target: shapeName }] : [];
  if (depth <= 0) return [];
  switch (fact.type) {
    case 'structure':
      return Object.entries(fact.members).flatMap(([name, member]) => below({ kind: 'member', name }, member.target));
    case 'list':
      return below({ kind: 'item' }, fact.member);
    case 'map':
      return [...below({ kind: 'key' }, fact.key), ...below({ kind: 'value' }, fact.value)];
    default:
      return [];
  }
}

/** A valid value of `shapeName` (required members only) with `value` put at the end of `steps`. */
export function placeAt(shapeName: string, steps: readonly PathStep[], value: unknown, memberName = ''): unknown {
  const [step, ...rest] = steps;
  if (step === undefined) return value;
  const fact = shapeFact(shapeName);
  if (step.kind === 'member' && fact.type === 'structure') {
    const member = fact.members[step.name];
    if (!member) throw new Error(`${shapeName} has no member ${step.name}`);
    const base = validValue(shapeName, memberName) as Record<string, unknown>;
    // A union takes exactly one member: the one on the path.
    const out = fact.union ? {} : base;
    return { ...out, [step.name]: placeAt(member.target, rest, value, step.name) };
  }
  if (step.kind === 'item' && fact.type === 'list') return [placeAt(fact.member, rest, value, memberName)];
  if (step.kind === 'value' && fact.type === 'map') return { k: placeAt(fact.value, rest, value, memberName) };
  if (step.kind === 'key' && fact.type === 'map' && rest.length === 0) {
    const out: Record<string, unknown> = {};
    setOwn(out, String(value), validValue(fact.value, memberName));
    return out;
  }
  throw new Error(`cannot follow ${JSON.stringify(step)} into ${shapeName}`);
}
