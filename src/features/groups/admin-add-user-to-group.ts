import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { loadGroup } from './load-group.js';

/**
 * Adds the user (by username, alias or sub, as admin operations accept) to the group; adding a
 * member again changes nothing and succeeds. With both unknown, the group is reported first
 * (AWS's order is not documented; unverified). The membership shows in tokens from the next
 * sign-in or refresh.
 */
export const adminAddUserToGroup: Operation<'AdminAddUserToGroup', 'store'> = (deps) => async (input) => {
  await deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const group = await loadGroup(tx, pool.id, input.GroupName);
    const user = await loadUser(tx, pool, input.Username);
    await tx.addGroupMember(pool.id, group.name, user);
  });
  return {};
};
