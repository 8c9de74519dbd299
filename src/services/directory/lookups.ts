import { MESSAGES, clientNotFound, poolNotFound, userNotFound } from '../../kernel/errors.js';
import { findUser } from './find-user.js';
import { settingsOf, type PoolSettings } from '../../domain/pools/user-pool.js';
import type { ClientRecord } from '../../domain/clients/client.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { StoreTx } from '../../ports/store.js';
import type { UserRecord } from '../../domain/users/user.js';

/** Lookups every operation starts with, each failing with AWS's error when nothing is found. */

export async function loadPool(tx: StoreTx, poolId: string): Promise<{ pool: PoolRecord; settings: PoolSettings }> {
  const pool = await tx.getPool(poolId);
  if (!pool) throw poolNotFound(poolId);
  return { pool, settings: settingsOf(pool) };
}

/** A client of the given pool (when poolId is given, a client of another pool is not found). */
export async function loadClient(tx: StoreTx, clientId: string, poolId?: string): Promise<ClientRecord> {
  const client = await tx.getClient(clientId);
  if (!client || (poolId !== undefined && client.poolId !== poolId)) throw clientNotFound(clientId);
  return client;
}

/** For admin operations: `User does not exist.` when the name resolves to nobody. */
export async function loadUser(tx: StoreTx, pool: PoolRecord, username: string): Promise<UserRecord> {
  const user = await findUser(tx, pool.id, settingsOf(pool), username);
  if (!user) throw userNotFound(MESSAGES.userDoesNotExist);
  return user;
}
