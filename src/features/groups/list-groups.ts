import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { groupType } from '../../domain/groups/group.js';
import { decodePageToken, pageOf } from '../../domain/page-token.js';
import { pageLimit } from './paging.js';

/** The pool's groups by name (AWS documents no order; unverified), Limit at a time. */
export const listGroups: Operation<'ListGroups', 'store'> = (deps) => async (input) => {
  const scope = `groups:${input.UserPoolId}`;
  const after = input.NextToken === undefined ? undefined : decodePageToken(scope, input.NextToken);
  const limit = pageLimit(input.Limit);
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const rows = await deps.store.listGroups(pool.id, { limit: limit + 1, after });
  const page = pageOf(rows, limit, (g) => g.name, scope);
  return { Groups: page.items.map(groupType), ...(page.nextToken && { NextToken: page.nextToken }) };
};
