import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { poolIdFromArn, tagsAfterUntagging } from '../../domain/pools/pool-tags.js';

/** Removes tags from a user pool by key; a key the pool does not have is not an error. */
export const untagResource: Operation<'UntagResource', 'config' | 'store'> = (deps) => async (input) => {
  const poolId = poolIdFromArn(input.ResourceArn, deps.config.region, deps.config.accountId);
  await deps.store.transaction(async (tx) => {
    const { pool, settings } = await loadPool(tx, poolId);
    await tx.updatePool({ ...pool, settings: { ...settings, UserPoolTags: tagsAfterUntagging(settings.UserPoolTags, input.TagKeys) } });
  });
  return {};
};
