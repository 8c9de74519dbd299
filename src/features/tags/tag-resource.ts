import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { poolIdFromArn, tagsAfterTagging } from '../../domain/pools/pool-tags.js';

/** Adds tags to a user pool, or gives existing keys new values; the pool's settings are otherwise unchanged. */
export const tagResource: Operation<'TagResource', 'config' | 'store'> = (deps) => async (input) => {
  const poolId = poolIdFromArn(input.ResourceArn, deps.config.region, deps.config.accountId);
  await deps.store.transaction(async (tx) => {
    const { pool, settings } = await loadPool(tx, poolId);
    await tx.updatePool({ ...pool, settings: { ...settings, UserPoolTags: tagsAfterTagging(settings.UserPoolTags, input.Tags ?? {}) } });
  });
  return {};
};
