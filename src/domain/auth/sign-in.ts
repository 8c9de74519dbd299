import type { SchemaAttributeType } from '../../model/generated/types.js';
import type { ClientSettings } from '../clients/app-client.js';
import { missingRequiredAttributes } from '../users/attributes.js';
import type { PoolSettings } from '../pools/user-pool.js';
import type { UserRecord } from '../users/user.js';

/** Rules of password sign-in and token lifetimes: values in, decisions out. */

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** How long a challenge Session lives: AuthSessionValidity minutes (3 to 15), 3 by default. */
export function authSessionValidityMs(settings: ClientSettings): number {
  return (settings.AuthSessionValidity ?? 3) * MINUTE;
}

/** Attributes the client may read (all when ReadAttributes is not set). */
export function readableAttributes(settings: ClientSettings, attributes: Record<string, string>): Record<string, string> {
  const allowed = settings.ReadAttributes;
  if (!allowed || allowed.length === 0) return { ...attributes };
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => allowed.includes(name)));
}

/**
 * Whether the client may write an attribute in a challenge answer: it must be in the pool's
 * schema, mutable, not developer-only, and in WriteAttributes when the client lists them.
 */
export function isWritableAttribute(settings: ClientSettings, schema: readonly SchemaAttributeType[], name: string): boolean {
  if (name === 'sub' || name === 'email_verified' || name === 'phone_number_verified') return false;
  const attr = schema.find((a) => a.Name === name);
  if (!attr || attr.Mutable === false || attr.DeveloperOnlyAttribute) return false;
  const allowed = settings.WriteAttributes;
  return !allowed || allowed.length === 0 || allowed.includes(name);
}

/** The NEW_PASSWORD_REQUIRED challenge parameters: attributes as JSON text, required ones prefixed. */
export function newPasswordChallengeParameters(user: UserRecord, settings: PoolSettings): Record<string, string> {
  const { sub: _sub, ...visible } = user.attributes;
  return {
    USER_ID_FOR_SRP: user.username,
    requiredAttributes: JSON.stringify(missingRequiredAttributes(settings, user.attributes).map((n) => `userAttributes.${n}`)),
    userAttributes: JSON.stringify(visible),
  };
}

/**
 * Sign-in lockout, after Cognito's documented behaviour: five failures are free; after that
 * each failure starts a lockout of 1 s, doubling per further failure up to 15 minutes, during
 * which attempts are refused unchecked. 15 minutes without a failure forgets the streak.
 */
export const FREE_FAILURES = 5;
export const LOCKOUT_CAP_MS = 15 * MINUTE;
export const STREAK_RESET_MS = 15 * MINUTE;

export interface FailureStreak {
  failures: number;
  lastFailureAt: number;
}

export function activeStreak(streak: FailureStreak | undefined, nowMs: number): FailureStreak | undefined {
  if (!streak || nowMs - streak.lastFailureAt >= STREAK_RESET_MS) return undefined;
  return streak;
}

export function lockoutMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(SECOND * 2 ** (failures - FREE_FAILURES), LOCKOUT_CAP_MS);
}

/** Until when sign-in is refused (epoch ms), or undefined when it is not. */
export function lockedUntil(streak: FailureStreak | undefined, nowMs: number): number | undefined {
  const live = activeStreak(streak, nowMs);
  if (!live) return undefined;
  const until = live.lastFailureAt + lockoutMs(live.failures);
  return nowMs < until ? until : undefined;
}

/** The name sign-in failures are counted under: the pool and the name as typed, case-folded. */
export function failureKey(poolId: string, username: string): string {
  return `signin-failures:${poolId}:${username.toLowerCase()}`;
}

/** Standard claims Cognito types as booleans in ID tokens. */
const BOOLEAN_CLAIMS = new Set(['email_verified', 'phone_number_verified']);

/** User attributes as ID-token claims (sub is a claim of its own). */
export function attributeClaims(attributes: Record<string, string>): Record<string, string | boolean> {
  const claims: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'sub') continue;
    claims[name] = BOOLEAN_CLAIMS.has(name) ? value === 'true' : value;
  }
  return claims;
}
