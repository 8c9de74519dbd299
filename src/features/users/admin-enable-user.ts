import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';

/** Allows sign-in again. Refresh tokens revoked by the disable stay revoked. */
export const adminEnableUser: Operation<'AdminEnableUser'> = (deps) => async (input) => {
  const now = deps.clock.nowMs();
  await deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const user = await loadUser(tx, pool, input.Username);
    await tx.updateUser({ ...user, enabled: true, updatedAt: now });
  });
  return {};
};
