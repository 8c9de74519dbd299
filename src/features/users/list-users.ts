import type { Operation, Output } from '../operation.js';
import { sharedAnswers } from '../../kernel/shared-answer.js';
import { loadPool } from '../../services/directory/lookups.js';
import {
  SEARCHABLE_ATTRIBUTES,
  columnValue,
  decodePaginationToken,
  encodePaginationToken,
  parseFilter,
  storeFilter,
} from '../../domain/users/list-users-filter.js';
import { userType } from '../../domain/users/user-view.js';
import { lookupKey } from '../../domain/users/username.js';
import { invalidParameter } from '../../kernel/errors.js';
import type { UserFilter, UserListing } from '../../domain/users/user.js';

const MAX_LIMIT = 60;
const UNKNOWN_ATTRIBUTES = 'One or more requested attributes do not exist.';

export const listUsers: Operation<'ListUsers'> = (deps) => async (input, ctx) => {
  const parsed = parseFilter(input.Filter);
  const { settings } = await loadPool(deps.store, input.UserPoolId);

  const only = input.AttributesToGet;
  if (only !== undefined) {
    const known = new Set(settings.SchemaAttributes.map((a) => a.Name));
    if (!only.every((name) => known.has(name))) throw invalidParameter(UNKNOWN_ATTRIBUTES);
  }

  const filter = parsed === undefined ? undefined : storeFilter(parsed, (name) => lookupKey(settings, name));
  if (filter === 'none') return { Users: [] };

  let position;
  if (input.PaginationToken !== undefined) {
    position = decodePaginationToken(input.PaginationToken, filter);
    if (position === undefined) throw invalidParameter(`Paging marker ${input.PaginationToken} is invalid for request ${ctx.requestId}`);
  }

  // Zero is allowed by the model; it is taken as "no limit given".
  const limit = input.Limit === undefined || input.Limit === 0 ? MAX_LIMIT : input.Limit;
  // One more than asked tells whether another page exists, so the last page carries no token.
  const rows = await deps.store.listUsers(input.UserPoolId, {
    filter,
    limit: limit + 1,
    after: position?.after,
    afterValue: position?.afterValue,
  });
  // Built once per page the store shares (the same frozen rows until a write to users), for
  // each AttributesToGet (kernel/shared-answer.ts).
  return answers(rows, only === undefined ? undefined : only.join('\u0000'), () => listing(rows, limit, only, filter));
};

const answers = sharedAnswers<readonly UserListing[], Output<'ListUsers'>>();

/** The answer: the page, and a token when there is more. */
function listing(rows: readonly UserListing[], limit: number, only: readonly string[] | undefined, filter: UserFilter | undefined): Output<'ListUsers'> {
  const page = rows.slice(0, limit);
  if (only !== undefined) requireValues(page, only);

  const last = page[page.length - 1];
  const byValue = filter !== undefined && filter.op === '^=' && filter.column !== 'username' && filter.column !== 'enabled';
  const next =
    rows.length > limit && last !== undefined
      ? encodePaginationToken(
          { after: last.usernameKey, afterValue: byValue && filter ? columnValue(last, filter.column) : undefined },
          filter,
        )
      : undefined;
  return { Users: page.map((user) => userType(user, only)), ...(next === undefined ? {} : { PaginationToken: next }) };
}

/**
 * AWS documents that an attribute nobody can filter on (a custom one, say) must have a value in
 * every listed user, or the request fails.
 */
function requireValues(users: readonly UserListing[], only: readonly string[]): void {
  const strict = only.filter((name) => !SEARCHABLE_ATTRIBUTES.has(name));
  for (const user of users) {
    if (strict.some((name) => user.attributes[name] === undefined)) throw invalidParameter(UNKNOWN_ATTRIBUTES);
  }
}
