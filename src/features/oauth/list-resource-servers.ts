import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { resourceServerType } from '../../domain/oauth/resource-server.js';
import { decodePageToken, pageOf } from '../../domain/page-token.js';

/** The pool's resource servers by identifier, MaxResults (1-50, model-checked; default 50) at a time. */
export const listResourceServers: Operation<'ListResourceServers', 'store'> = (deps) => async (input) => {
  const scope = `resource-servers:${input.UserPoolId}`;
  const after = input.NextToken === undefined ? undefined : decodePageToken(scope, input.NextToken);
  const limit = input.MaxResults ?? 50;
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const rows = await deps.store.listResourceServers(pool.id, { limit: limit + 1, after });
  const page = pageOf(rows, limit, (s) => s.identifier, scope);
  return { ResourceServers: page.items.map(resourceServerType), ...(page.nextToken && { NextToken: page.nextToken }) };
};
