import type { PoolSettings } from '../pools/user-pool.js';
import type { AliasKind } from './user.js';

/**
 * How a pool finds its users: by username (case-folded when the pool is case-insensitive),
 * by an active alias (email, phone_number, preferred_username), or by `sub`.
 */

/** Pools are case-sensitive unless UsernameConfiguration.CaseSensitive is false. */
export function isCaseInsensitive(settings: PoolSettings): boolean {
  return settings.UsernameConfiguration?.CaseSensitive === false;
}

export function lookupKey(settings: PoolSettings, value: string): string {
  return isCaseInsensitive(settings) ? value.toLowerCase() : value;
}

const ALIAS_KINDS: readonly AliasKind[] = ['email', 'phone_number', 'preferred_username'];

/**
 * Which attributes sign a user in besides the username. With UsernameAttributes the email or
 * phone is the sign-in name whether verified or not; with AliasAttributes an email or phone
 * counts only once verified, and preferred_username always.
 */
export function activeAliases(settings: PoolSettings, attributes: Record<string, string>): Record<AliasKind, string | null> {
  const result: Record<AliasKind, string | null> = { email: null, phone_number: null, preferred_username: null };
  for (const kind of ALIAS_KINDS) {
    const value = attributes[kind];
    if (value === undefined || value === '') continue;
    const asUsername = (settings.UsernameAttributes as readonly string[] | undefined)?.includes(kind) ?? false;
    const asAlias = (settings.AliasAttributes as readonly string[] | undefined)?.includes(kind) ?? false;
    const verified = kind === 'preferred_username' || attributes[`${kind}_verified`] === 'true';
    if (asUsername || (asAlias && verified)) result[kind] = lookupKey(settings, value);
  }
  return result;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

/** Whether a name has the form of a `sub` (a UUID), so a lookup may also try it as one. */
export function looksLikeSub(name: string): boolean {
  return UUID.test(name);
}
