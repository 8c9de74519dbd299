import type { Operation } from '../operation.js';
import { poolIdFromArn } from '../../domain/pools/pool-tags.js';
import { settingsOf } from '../../domain/pools/user-pool.js';
import { poolNotFound } from '../../kernel/errors.js';

/** The pool's tags, the same set DescribeUserPool reports as UserPoolTags. */
export const listTagsForResource: Operation<'ListTagsForResource', 'config' | 'store'> = (deps) => async (input) => {
  const poolId = poolIdFromArn(input.ResourceArn, deps.config.region, deps.config.accountId);
  const pool = await deps.store.getPool(poolId);
  if (!pool) throw poolNotFound(poolId);
  return { Tags: settingsOf(pool).UserPoolTags ?? {} };
};
