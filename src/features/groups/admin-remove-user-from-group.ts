import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { loadGroup } from './load-group.js';

/**
 * Ends the user's membership; a user who is not a member is no error (unverified). Checks as
 * AdminAddUserToGroup: pool, group, then user. Tokens already issued keep their claims until
 * they expire; the next sign-in or refresh leaves the group out.
 */
export const adminRemoveUserFromGroup: Operation<'AdminRemoveUserFromGroup', 'store'> = (deps) => async (input) => {
  await deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const group = await loadGroup(tx, pool.id, input.GroupName);
    const user = await loadUser(tx, pool, input.Username);
    await tx.removeGroupMember(pool.id, group.name, user.sub);
  });
  return {};
};
