import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { attributesAfterDeletion } from '../../domain/users/attributes.js';
import { activeAliases } from '../../domain/users/username.js';

/** Removes attributes; a removed email or phone takes its verification flag and alias with it. */
export const adminDeleteUserAttributes: Operation<'AdminDeleteUserAttributes'> = (deps) => async (input) => {
  const now = deps.clock.nowMs();
  await deps.store.transaction(async (tx) => {
    const { pool, settings } = await loadPool(tx, input.UserPoolId);
    const user = await loadUser(tx, pool, input.Username);
    const attributes = attributesAfterDeletion(settings, user.attributes, input.UserAttributeNames);
    await tx.updateUser({ ...user, attributes, aliases: activeAliases(settings, attributes), updatedAt: now });
  });
  return {};
};
