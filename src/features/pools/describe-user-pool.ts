import type { Operation } from '../operation.js';
import { describePool, poolArn } from '../../domain/pools/user-pool.js';
import { poolNotFound } from '../../kernel/errors.js';

export const describeUserPool: Operation<'DescribeUserPool', 'config' | 'store'> = (deps) => async (input) => {
  const pool = await deps.store.getPool(input.UserPoolId);
  if (!pool) throw poolNotFound(input.UserPoolId);
  const users = await deps.store.countUsers(pool.id);
  return { UserPool: describePool(pool, poolArn(deps.config.region, deps.config.accountId, pool.id), users) };
};
