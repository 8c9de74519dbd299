import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { loadGroup } from './load-group.js';

/**
 * Deletes the group with its memberships, members or not: the current DeleteGroup text says the
 * group simply leaves its members' token claims (cognito-facts-areas.md §1.1, [MODEL API:DeleteGroup];
 * the 2023 guide's "only empty groups" is older).
 */
export const deleteGroup: Operation<'DeleteGroup', 'store'> = (deps) => async (input) => {
  await deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    await loadGroup(tx, pool.id, input.GroupName);
    await tx.deleteGroup(pool.id, input.GroupName);
  });
  return {};
};
