import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';

export const adminUserGlobalSignOut: Operation<'AdminUserGlobalSignOut', 'store' | 'clock'> = (deps) => async (input) => {
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const user = await loadUser(deps.store, pool, input.Username);
  await deps.store.revokeUserRefreshTokens(user.sub, deps.clock.nowMs());
  return {};
};
