import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { clientDescription } from '../../domain/clients/app-client.js';
import { decodePageToken, pageOf } from '../../domain/page-token.js';

/** Page size when MaxResults is omitted (AWS's own default is not documented; unverified). */
const DEFAULT_PAGE = 60;

export const listUserPoolClients: Operation<'ListUserPoolClients', 'store'> = (deps) => async (input) => {
  const scope = `clients:${input.UserPoolId}`;
  const after = input.NextToken === undefined ? undefined : decodePageToken(scope, input.NextToken);
  const limit = input.MaxResults ?? DEFAULT_PAGE;
  const rows = await deps.store.transaction(async (tx) => {
    await loadPool(tx, input.UserPoolId);
    return tx.listClients(input.UserPoolId, { limit: limit + 1, after });
  });
  const page = pageOf(rows, limit, (c) => c.id, scope);
  return { UserPoolClients: page.items.map(clientDescription), ...(page.nextToken && { NextToken: page.nextToken }) };
};
