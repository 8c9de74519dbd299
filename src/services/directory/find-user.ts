import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { AliasKind, UserRecord } from '../../domain/users/user.js';
import { lookupKey } from '../../domain/users/username.js';
import type { StoreTx } from '../../ports/store.js';

/** The alias kind a sign-in name would be, by its form. */
function aliasKindOf(name: string): AliasKind {
  if (name.includes('@')) return 'email';
  if (/^\+\d+$/.test(name)) return 'phone_number';
  return 'preferred_username';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Finds a user by username, alias or sub, the way Cognito resolves a `Username` parameter. */
export async function findUser(tx: Pick<StoreTx, 'getUserByUsernameKey' | 'getUserByAlias' | 'getUserBySub'>, poolId: string, settings: PoolSettings, name: string): Promise<UserRecord | undefined> {
  const byName = await tx.getUserByUsernameKey(poolId, lookupKey(settings, name));
  if (byName) return byName;
  if (settings.UsernameAttributes?.length || settings.AliasAttributes?.length) {
    const byAlias = await tx.getUserByAlias(poolId, aliasKindOf(name), lookupKey(settings, name));
    if (byAlias) return byAlias;
  }
  if (UUID.test(name)) return tx.getUserBySub(poolId, name.toLowerCase());
  return undefined;
}
