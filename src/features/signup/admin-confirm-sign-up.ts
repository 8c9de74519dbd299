import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { assertUnconfirmed } from '../../domain/users/verification.js';
import { runPostConfirmation } from '../../services/triggers/post-confirmation.js';

/**
 * An administrator confirms a signed-up user without a code. Nothing becomes verified: the
 * user's email or phone was not proven, so it does not become a sign-in alias either.
 */
export const adminConfirmSignUp: Operation<'AdminConfirmSignUp'> = (deps) => async (input) => {
  const done = await deps.store.transaction(async (tx) => {
    const { pool, settings } = await loadPool(tx, input.UserPoolId);
    const user = await loadUser(tx, pool, input.Username);
    assertUnconfirmed(user.status);
    const confirmed = { ...user, status: 'CONFIRMED' as const, updatedAt: deps.clock.nowMs() };
    await tx.updateUser(confirmed);
    return { settings, user: confirmed };
  });
  // AdminConfirmSignUp passes its ClientMetadata to PostConfirmation (cognito-facts-areas.md §2.2),
  // with the ConfirmSignUp source: it is a sign-up confirmation made by an administrator.
  await runPostConfirmation(deps, done.settings, done.user, 'PostConfirmation_ConfirmSignUp', undefined, input.ClientMetadata);
  return {};
};
