import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { IDP_MESSAGES } from '../../domain/idp/identity-provider.js';
import { resourceNotFound } from '../../kernel/errors.js';

/**
 * Deletes the provider. App clients that list it keep the name (AWS documents nothing else);
 * sign-in through it then fails as for any unknown provider. Users it created stay.
 */
export const deleteIdentityProvider: Operation<'DeleteIdentityProvider', 'store'> = (deps) => async (input) => {
  await deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    if (!(await tx.getIdentityProvider(pool.id, input.ProviderName))) throw resourceNotFound(IDP_MESSAGES.notFound(input.ProviderName));
    await tx.deleteIdentityProvider(pool.id, input.ProviderName);
  });
  return {};
};
