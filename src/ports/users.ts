import type { AliasKind, UserFilter, UserListing, UserRecord } from '../domain/users/user.js';
import type { Page } from './page.js';

/**
 * Users in username-key order; with a prefix filter on any column but username, in
 * (column value, username key) order, so the column's index serves both the range and the order.
 */
export interface UserQuery extends Page {
  filter?: UserFilter | undefined;
  /** With a prefix filter: the filter column's value of the last user seen (`after` is its username key). */
  afterValue?: string | undefined;
}

export interface UsersPort {
  /** Throws UniqueViolation when the username or an alias is taken in the pool. */
  insertUser(user: UserRecord): Promise<void>;
  getUserByUsernameKey(poolId: string, usernameKey: string): Promise<UserRecord | undefined>;
  getUserBySub(poolId: string, sub: string): Promise<UserRecord | undefined>;
  getUserByAlias(poolId: string, alias: AliasKind, key: string): Promise<UserRecord | undefined>;
  /** Throws UniqueViolation when an alias is taken by another user of the pool. */
  updateUser(user: UserRecord): Promise<void>;
  deleteUser(poolId: string, sub: string): Promise<void>;
  listUsers(poolId: string, query: UserQuery): Promise<UserListing[]>;
  countUsers(poolId: string): Promise<number>;
}
