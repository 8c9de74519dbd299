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
  /**
   * Throws UniqueViolation when an alias is taken by another user of the pool. `stored`: the
   * user as read earlier in this same transaction, when the caller has it; the update then
   * writes the columns that differ from it without reading the row again (a read per update on
   * the busiest write paths). Ignored outside a transaction, where the row may have changed since.
   */
  updateUser(user: UserRecord, stored?: UserRecord): Promise<void>;
  deleteUser(poolId: string, sub: string): Promise<void>;
  listUsers(poolId: string, query: UserQuery): Promise<UserListing[]>;
  countUsers(poolId: string): Promise<number>;
}
