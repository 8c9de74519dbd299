import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { decodePageToken, pageOf } from '../../domain/page-token.js';
import { userType } from '../../domain/users/user-view.js';
import { pageLimit } from './paging.js';
import { loadGroup } from './load-group.js';

/** The group's members in username order (as ListUsers lists them), Limit at a time. */
export const listUsersInGroup: Operation<'ListUsersInGroup', 'store'> = (deps) => async (input) => {
  const scope = `group-users:${input.UserPoolId}:${input.GroupName}`;
  const after = input.NextToken === undefined ? undefined : decodePageToken(scope, input.NextToken);
  const limit = pageLimit(input.Limit);
  const rows = await deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    await loadGroup(tx, pool.id, input.GroupName);
    return tx.listGroupMembers(pool.id, input.GroupName, { limit: limit + 1, after });
  });
  const page = pageOf(rows, limit, (u) => u.usernameKey, scope);
  return { Users: page.items.map((u) => userType(u)), ...(page.nextToken && { NextToken: page.nextToken }) };
};
