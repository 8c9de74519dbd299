import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { claimAliases, uniquely } from '../../services/directory/user-writes.js';
import { checkAttributeWrites, updatedAttributes } from '../../domain/users/attributes.js';
import { activeAliases } from '../../domain/users/username.js';

/**
 * Sets (or, with an empty value, removes) attributes as an administrator, developer-only ones
 * included. Verification codes for a changed email or phone are another operation's business:
 * none is sent here.
 */
export const adminUpdateUserAttributes: Operation<'AdminUpdateUserAttributes'> = (deps) => async (input) => {
  const { settings } = await loadPool(deps.store, input.UserPoolId);
  checkAttributeWrites(settings, input.UserAttributes, 'update');
  const now = deps.clock.nowMs();
  await deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const user = await loadUser(tx, pool, input.Username);
    const attributes = updatedAttributes(settings, user.attributes, input.UserAttributes);
    const next = { ...user, attributes, aliases: activeAliases(settings, attributes), updatedAt: now };
    await claimAliases(tx, settings, next, false, 'update', now);
    await uniquely(settings, 'update', () => tx.updateUser(next, user));
  });
  return {};
};
