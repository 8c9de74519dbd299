import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';

/** Deletes the user with its codes and refresh tokens. */
export const adminDeleteUser: Operation<'AdminDeleteUser'> = (deps) => async (input) => {
  await deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const user = await loadUser(tx, pool, input.Username);
    await tx.deleteUser(pool.id, user.sub);
  });
  return {};
};
