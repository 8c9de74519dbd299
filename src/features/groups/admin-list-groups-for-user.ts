import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { groupType } from '../../domain/groups/group.js';
import { decodePageToken, pageOf } from '../../domain/page-token.js';
import { pageLimit } from './paging.js';

/** The user's groups by name, Limit at a time; an unknown user is `User does not exist.`. */
export const adminListGroupsForUser: Operation<'AdminListGroupsForUser', 'store'> = (deps) => async (input) => {
  const limit = pageLimit(input.Limit);
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const user = await loadUser(deps.store, pool, input.Username);
  // Bound to the user's sub, so a token of one user's listing cannot page another's.
  const scope = `user-groups:${pool.id}:${user.sub}`;
  const after = input.NextToken === undefined ? undefined : decodePageToken(scope, input.NextToken);
  const rows = await deps.store.listGroupsOfUser(pool.id, user.sub, { limit: limit + 1, after });
  const page = pageOf(rows, limit, (g) => g.name, scope);
  return { Groups: page.items.map(groupType), ...(page.nextToken && { NextToken: page.nextToken }) };
};
