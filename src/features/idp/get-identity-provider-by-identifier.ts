import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { IDP_MESSAGES } from '../../domain/idp/identity-provider.js';
import { resourceNotFound } from '../../kernel/errors.js';
import { providerView } from './provider-secrets.js';

/** The provider whose IdpIdentifiers include the identifier (each names at most one provider). */
export const getIdentityProviderByIdentifier: Operation<'GetIdentityProviderByIdentifier', 'store' | 'secrets'> = (deps) => async (input) => {
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const record = await deps.store.identityProviderByIdentifier(pool.id, input.IdpIdentifier);
  if (!record) throw resourceNotFound(IDP_MESSAGES.identifierNotFound(input.IdpIdentifier));
  return { IdentityProvider: providerView(deps.secrets, record) };
};
