import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { assertPasswordMeetsPolicy } from '../../domain/pools/password-policy.js';
import { MESSAGES, userNotFound } from '../../kernel/errors.js';
import { derivePasswordSecrets } from '../../services/passwords/password-secrets.js';

/**
 * Sets a permanent password (the user becomes CONFIRMED, also out of RESET_REQUIRED) or a
 * temporary one (FORCE_CHANGE_PASSWORD, with a fresh validity period). A pending reset code
 * no longer applies and is deleted.
 */
export const adminSetUserPassword: Operation<'AdminSetUserPassword'> = (deps) => async (input) => {
  const { pool, settings } = await loadPool(deps.store, input.UserPoolId);
  const found = await loadUser(deps.store, pool, input.Username);
  assertPasswordMeetsPolicy(settings, input.Password);
  const { passwordHash, srp } = await derivePasswordSecrets(deps, pool, found.username, input.Password);

  const now = deps.clock.nowMs();
  await deps.store.transaction(async (tx) => {
    const user = await tx.getUserBySub(pool.id, found.sub);
    if (!user) throw userNotFound(MESSAGES.userDoesNotExist);
    const status = input.Permanent === true ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
    await tx.updateUser({ ...user, status, passwordHash, srp, passwordUpdatedAt: now, updatedAt: now });
    await tx.deleteCodes(user.sub);
  });
  return {};
};
