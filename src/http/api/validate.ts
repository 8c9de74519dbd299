import { PATTERN_FLAGS, SHAPES, type ShapeFact } from '../../model/generated/shapes.js';
import { serialization, invalidParameter } from '../../kernel/errors.js';

/**
 * Checks a request body against the model facts, the way Cognito's front end does:
 * a value of the wrong JSON type is a SerializationException; constraint violations
 * (missing required members, lengths, ranges, patterns, enums) are collected and reported
 * together as one InvalidParameterException with AWS's wording, e.g.
 * `1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null`.
 * Members the model does not know are ignored, as AWS ignores them.
 */
export function validateInput(shapeName: string, body: Record<string, unknown>): void {
  const violations: Violation[] = [];
  checkStructure(shapeName, body, '', violations);
  if (violations.length === 0) return;
  violations.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.order - b.order));
  const n = violations.length;
  const head = `${n} validation error${n === 1 ? '' : 's'} detected: `;
  throw invalidParameter(head + violations.map((v) => v.text).join('; '));
}

interface Violation {
  path: string;
  order: number;
  text: string;
}

const patternCache = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, PATTERN_FLAGS);
    patternCache.set(pattern, re);
  }
  return re;
}

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
      if (memberFact.required) add(out, memberPath, 0, `Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    checkValue(memberFact.target, memberValue, memberPath, out, memberFact.sensitive === true);
  }
}

function checkValue(name: string, value: unknown, path: string, out: Violation[], sensitiveMember: boolean): void {
  const fact = shape(name);
  const sensitive = sensitiveMember || ('sensitive' in fact && fact.sensitive === true);
  const shown = (text: string) => (sensitive ? `Value at '${path}'` : `Value ${text} at '${path}'`);
  switch (fact.type) {
    case 'structure':
      checkStructure(name, value, path, out);
      return;
    case 'string': {
      if (typeof value !== 'string') typeError(path, 'a string');
      const s = value as string;
      const show = shown(`'${s}'`);
      const length = [...s].length;
      if (fact.min !== undefined && length < fact.min) add(out, path, 1, `${show} failed to satisfy constraint: Member must have length greater than or equal to ${fact.min}`);
      if (fact.max !== undefined && length > fact.max) add(out, path, 2, `${show} failed to satisfy constraint: Member must have length less than or equal to ${fact.max}`);
      if (fact.enum !== undefined && !fact.enum.includes(s)) add(out, path, 3, `${show} failed to satisfy constraint: Member must satisfy enum value set: [${fact.enum.join(', ')}]`);
      const pattern = fact.jsPattern ?? fact.pattern;
      if (pattern !== undefined && fact.pattern !== undefined && !compiled(pattern).test(s)) {
        add(out, path, 4, `${show} failed to satisfy constraint: Member must satisfy regular expression pattern: ${printablePattern(fact.pattern)}`);
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
      if (fact.min !== undefined && n < fact.min) add(out, path, 1, `${shown(`'${n}'`)} failed to satisfy constraint: Member must have value greater than or equal to ${fact.min}`);
      if (fact.max !== undefined && n > fact.max) add(out, path, 2, `${shown(`'${n}'`)} failed to satisfy constraint: Member must have value less than or equal to ${fact.max}`);
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
      const show = shown(`'[${list.map(javaString).join(', ')}]'`);
      if (fact.min !== undefined && list.length < fact.min) add(out, path, 1, `${show} failed to satisfy constraint: Member must have length greater than or equal to ${fact.min}`);
      if (fact.max !== undefined && list.length > fact.max) add(out, path, 2, `${show} failed to satisfy constraint: Member must have length less than or equal to ${fact.max}`);
      list.forEach((item, i) => {
        const itemPath = `${path}.${i + 1}.member`;
        if (item === null) return;
        checkValue(fact.member, item, itemPath, out, sensitive);
      });
      return;
    }
    case 'map': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) typeError(path, 'a map');
      const entries = Object.entries(value as Record<string, unknown>);
      const show = shown(`'{${entries.map(([k, v]) => `${k}=${javaString(v)}`).join(', ')}}'`);
      if (fact.min !== undefined && entries.length < fact.min) add(out, path, 1, `${show} failed to satisfy constraint: Member must have length greater than or equal to ${fact.min}`);
      if (fact.max !== undefined && entries.length > fact.max) add(out, path, 2, `${show} failed to satisfy constraint: Member must have length less than or equal to ${fact.max}`);
      // Keys and values are checked as members of the map; their violations name the map.
      const keyProblems: Violation[] = [];
      const valueProblems: Violation[] = [];
      for (const [k, v] of entries) {
        checkValue(fact.key, k, path, keyProblems, sensitive);
        if (v !== null) checkValue(fact.value, v, path, valueProblems, sensitive);
      }
      const constraintsOf = (problems: Violation[]) =>
        [...new Set(problems.map((p) => p.text.replace(/^.*failed to satisfy constraint: /, '')))].join(', ');
      if (keyProblems.length > 0) add(out, path, 3, `${show} failed to satisfy constraint: Map keys must satisfy constraint: [${constraintsOf(keyProblems)}]`);
      if (valueProblems.length > 0) add(out, path, 4, `${show} failed to satisfy constraint: Map value must satisfy constraint: [${constraintsOf(valueProblems)}]`);
      return;
    }
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

function add(out: Violation[], path: string, order: number, text: string): void {
  out.push({ path, order, text });
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
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) kept[key] = knownMembersOnly(fact.value, item);
      return kept;
    }
    default:
      return value;
  }
}
