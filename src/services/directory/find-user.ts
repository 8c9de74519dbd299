import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { AliasKind, UserRecord } from '../../domain/users/user.js';
import { lookupKey, looksLikeSub } from '../../domain/users/username.js';
import type { StoreTx } from '../../ports/store.js';

/** The alias kind a sign-in name would be, by its form. */
function aliasKindOf(name: string): AliasKind {
  if (name.includes('@')) return 'email';
  if (/^\+\d+$/.test(name)) return 'phone_number';
  return 'preferred_username';
}

/**
 * Finds a user by sub, username or alias, the way Cognito resolves a `Username` parameter.
 * When one name matches two users, the claim that cannot have come later wins, so a later user
 * never shadows an earlier one (security review finding 10):
 * - the `sub` first: it is random and fixed at creation, so a username equal to another user's
 *   sub was chosen after that user existed (new ones are refused: assertUsernameAvailable);
 * - then the username, before aliases: an alias is an attribute its holder may change at any
 *   time, and must not capture another user's fixed username (claimAliases refuses that too).
 * Only a name of the form of a sub costs the extra read; in pools whose usernames are subs
 * (UsernameAttributes) it replaces the username read.
 */
export async function findUser(tx: Pick<StoreTx, 'getUserByUsernameKey' | 'getUserByAlias' | 'getUserBySub'>, poolId: string, settings: PoolSettings, name: string): Promise<UserRecord | undefined> {
  if (looksLikeSub(name)) {
    const bySub = await tx.getUserBySub(poolId, name.toLowerCase());
    if (bySub) return bySub;
  }
  const byName = await tx.getUserByUsernameKey(poolId, lookupKey(settings, name));
  if (byName) return byName;
  if (settings.UsernameAttributes?.length || settings.AliasAttributes?.length) {
    return tx.getUserByAlias(poolId, aliasKindOf(name), lookupKey(settings, name));
  }
  return undefined;
}
