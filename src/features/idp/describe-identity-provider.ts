import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { IDP_MESSAGES } from '../../domain/idp/identity-provider.js';
import { resourceNotFound } from '../../kernel/errors.js';
import { providerView } from './provider-secrets.js';

export const describeIdentityProvider: Operation<'DescribeIdentityProvider', 'store' | 'secrets'> = (deps) => async (input) => {
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const record = await deps.store.getIdentityProvider(pool.id, input.ProviderName);
  if (!record) throw resourceNotFound(IDP_MESSAGES.notFound(input.ProviderName));
  return { IdentityProvider: providerView(deps.secrets, record) };
};
