import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { providerDescription } from '../../domain/idp/identity-provider.js';
import { decodePageToken, pageOf } from '../../domain/page-token.js';

/** The pool's providers by name, MaxResults (0-60, model-checked; 0 or absent: 60) at a time. */
export const listIdentityProviders: Operation<'ListIdentityProviders', 'store'> = (deps) => async (input) => {
  const scope = `identity-providers:${input.UserPoolId}`;
  const after = input.NextToken === undefined ? undefined : decodePageToken(scope, input.NextToken);
  const limit = input.MaxResults === undefined || input.MaxResults === 0 ? 60 : input.MaxResults;
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const rows = await deps.store.listIdentityProviders(pool.id, { limit: limit + 1, after });
  const page = pageOf(rows, limit, (p) => p.name, scope);
  return { Providers: page.items.map(providerDescription), ...(page.nextToken && { NextToken: page.nextToken }) };
};
