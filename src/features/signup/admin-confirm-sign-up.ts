import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { assertUnconfirmed } from '../../domain/users/verification.js';

/**
 * An administrator confirms a signed-up user without a code. Nothing becomes verified: the
 * user's email or phone was not proven, so it does not become a sign-in alias either.
 */
export const adminConfirmSignUp: Operation<'AdminConfirmSignUp'> = (deps) => async (input) => {
  await deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const user = await loadUser(tx, pool, input.Username);
    assertUnconfirmed(user.status);
    await tx.updateUser({ ...user, status: 'CONFIRMED', updatedAt: deps.clock.nowMs() });
  });
  return {};
};
