import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { poolSettingsForUpdate } from '../../domain/pools/pool-update.js';

/** Replaces the pool's settings: what the request omits takes its default (see domain/pool-update.ts). */
export const updateUserPool: Operation<'UpdateUserPool', 'clock' | 'store'> = (deps) => async (input) => {
  const { UserPoolId, PoolName, ...update } = input;
  await deps.store.transaction(async (tx) => {
    const { pool, settings } = await loadPool(tx, UserPoolId);
    await tx.updatePool({
      ...pool,
      name: PoolName ?? pool.name,
      settings: poolSettingsForUpdate(settings, update),
      updatedAt: deps.clock.nowMs(),
    });
  });
  return {};
};
