import type { Operation } from '../operation.js';
import { newPoolId } from '../../domain/ids.js';
import { describePool, poolArn, poolSettingsFromRequest } from '../../domain/pools/user-pool.js';

export const createUserPool: Operation<'CreateUserPool', 'clock' | 'config' | 'random' | 'store'> = (deps) => async (input) => {
  const { PoolName, ...rest } = input;
  const settings = poolSettingsFromRequest(rest);
  const now = deps.clock.nowMs();
  const pool = { id: newPoolId(deps.random, deps.config.region), name: PoolName, settings, createdAt: now, updatedAt: now };
  await deps.store.insertPool(pool);
  return { UserPool: describePool(pool, poolArn(deps.config.region, deps.config.accountId, pool.id), 0) };
};
