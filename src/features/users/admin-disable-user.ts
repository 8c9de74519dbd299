import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';

/** Disables sign-in; the user's refresh tokens stop working at once. */
export const adminDisableUser: Operation<'AdminDisableUser'> = (deps) => async (input) => {
  const now = deps.clock.nowMs();
  await deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const user = await loadUser(tx, pool, input.Username);
    await tx.updateUser({ ...user, enabled: false, updatedAt: now });
    await tx.revokeUserRefreshTokens(user.sub, now);
  });
  return {};
};
