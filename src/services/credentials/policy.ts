/**
 * IAM-style identity policies, the subset userpoold honours: statements with Effect, Action or
 * NotAction, Resource or NotResource. A statement with anything else (Condition, Principal, ...)
 * is refused when the policy is loaded: ignoring a condition would grant more than was written.
 * Evaluation is IAM's: an explicit Deny wins, then an Allow, else the request is denied.
 */
export interface Policy {
  statements: readonly Statement[];
}

interface Statement {
  effect: 'Allow' | 'Deny';
  actions: Matcher;
  resources: Matcher;
}

interface Matcher {
  patterns: readonly RegExp[];
  /** NotAction / NotResource: the statement applies to everything the patterns do not match. */
  negated: boolean;
}

export type Decision = 'allow' | 'deny';

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource']);

export class PolicyError extends Error {}

/** Parses a policy document (`{ Version?, Statement: [...] | {...} }`); throws PolicyError. */
export function parsePolicy(doc: unknown, where: string): Policy {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new PolicyError(`${where}: a policy must be an object with a Statement`);
  const { Statement: raw, ...rest } = doc as Record<string, unknown>;
  for (const key of Object.keys(rest)) {
    if (key !== 'Version' && key !== 'Id') throw new PolicyError(`${where}: unsupported policy key "${key}"`);
  }
  if (raw === undefined) throw new PolicyError(`${where}: a policy must have a Statement`);
  const list = Array.isArray(raw) ? raw : [raw];
  return { statements: list.map((s, i) => parseStatement(s, `${where}.Statement[${i}]`)) };
}

function parseStatement(raw: unknown, where: string): Statement {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new PolicyError(`${where}: a statement must be an object`);
  const s = raw as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (!STATEMENT_KEYS.has(key)) throw new PolicyError(`${where}: unsupported statement key "${key}" (userpoold honours Effect, Action, NotAction, Resource, NotResource)`);
  }
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new PolicyError(`${where}: Effect must be Allow or Deny`);
  return {
    effect: s.Effect,
    actions: matcher(s, 'Action', 'NotAction', where, 'i'),
    resources: matcher(s, 'Resource', 'NotResource', where, ''),
  };
}

function matcher(s: Record<string, unknown>, key: string, notKey: string, where: string, flags: string): Matcher {
  const has = s[key] !== undefined;
  const hasNot = s[notKey] !== undefined;
  if (has === hasNot) throw new PolicyError(`${where}: exactly one of ${key} and ${notKey} is required`);
  const raw = has ? s[key] : s[notKey];
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0 || !list.every((p): p is string => typeof p === 'string' && p !== '')) {
    throw new PolicyError(`${where}: ${has ? key : notKey} must be a non-empty string or list of strings`);
  }
  return { patterns: list.map((p) => wildcard(p, flags)), negated: hasNot };
}

/** IAM wildcards: `*` any run of characters (slashes and colons included), `?` any one character. */
function wildcard(pattern: string, flags: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, `s${flags}`);
}

function applies(m: Matcher, value: string): boolean {
  const hit = m.patterns.some((p) => p.test(value));
  return m.negated ? !hit : hit;
}

/** IAM's rule: any matching Deny denies; otherwise any matching Allow allows; otherwise deny. */
export function evaluate(policy: Policy, action: string, resource: string): Decision {
  let allowed = false;
  for (const s of policy.statements) {
    if (!applies(s.actions, action) || !applies(s.resources, resource)) continue;
    if (s.effect === 'Deny') return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'deny';
}
