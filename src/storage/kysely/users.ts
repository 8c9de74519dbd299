import { sql, type Kysely, type Selectable } from 'kysely';
import type { AliasKind, UserListing, UserRecord } from '../../domain/users/user.js';
import type { UserQuery, UsersPort } from '../../ports/users.js';
import type { DialectSql } from '../dialect-sql.js';
import type { HotQueries } from '../hot-queries.js';
import type { Database, UsersTable } from '../schema.js';
import { KyselyContext, type Db } from './context.js';
import { unique } from './unique.js';
import { precompiled, type Precompiled } from '../precompiled.js';
import type { ReadCache } from '../read-cache.js';

export class KyselyUsers extends KyselyContext implements UsersPort {
  async insertUser(user: UserRecord): Promise<void> {
    await unique(this.dialect, this.db, () => this.db.insertInto('users').values(userRow(user)).execute());
  }

  // Users read by key, sub or alias, and ListUsers pages, are kept by the read cache (SQLite
  // only; read-cache.ts): any change to the users table, by any path of this process or by
  // another connection, forgets them, except that an update of one user read in the same
  // transaction forgets only that user's entries and the pages (writeChangedColumns). Kept
  // values are frozen and shared.

  async getUserByUsernameKey(poolId: string, usernameKey: string): Promise<UserRecord | undefined> {
    const load = async () => {
      const [row] = (await this.q.userByUsernameKey(this.db, { poolId, usernameKey })).rows;
      return row && userFromRow(row);
    };
    return this.cache ? this.cache.read('users', byUsernameKey(poolId, usernameKey), load, this.inTransaction) : load();
  }

  async getUserBySub(poolId: string, sub: string): Promise<UserRecord | undefined> {
    const load = async () => {
      const [row] = (await this.q.userBySub(this.db, { poolId, sub })).rows;
      return row && userFromRow(row);
    };
    return this.cache ? this.cache.read('users', bySub(poolId, sub), load, this.inTransaction) : load();
  }

  async getUserByAlias(poolId: string, alias: AliasKind, key: string): Promise<UserRecord | undefined> {
    const load = async () => {
      const [row] = (await this.q.userByAlias[alias](this.db, { poolId, key })).rows;
      return row && userFromRow(row);
    };
    return this.cache ? this.cache.read('users', byAlias(alias, poolId, key), load, this.inTransaction) : load();
  }

  async updateUser(user: UserRecord, stored?: UserRecord): Promise<void> {
    // Read and write must be one transaction, or two racing updates could each write only their
    // own columns and leave a row that is neither.
    if (this.inTransaction) return writeChangedColumns(this.dialect, this.q, this.db, user, stored, this.cache);
    const { dialect, q } = this;
    return dialect.transaction(this.db as Kysely<Database>, (trx) => writeChangedColumns(dialect, q, trx, user, undefined));
  }

  async deleteUser(poolId: string, sub: string): Promise<void> {
    await this.db.deleteFrom('codes').where('user_sub', '=', sub).execute();
    await this.db.deleteFrom('refresh_tokens').where('user_sub', '=', sub).execute();
    await this.db.deleteFrom('group_members').where('pool_id', '=', poolId).where('user_sub', '=', sub).execute();
    await this.db.deleteFrom('user_mfa').where('pool_id', '=', poolId).where('user_sub', '=', sub).execute();
    await this.db.deleteFrom('webauthn_credentials').where('pool_id', '=', poolId).where('user_sub', '=', sub).execute();
    await this.db.deleteFrom('devices').where('pool_id', '=', poolId).where('user_sub', '=', sub).execute();
    await this.db.deleteFrom('provider_links').where('pool_id', '=', poolId).where('user_sub', '=', sub).execute();
    await this.db.deleteFrom('auth_events').where('pool_id', '=', poolId).where('user_sub', '=', sub).execute();
    await this.db.deleteFrom('users').where('pool_id', '=', poolId).where('sub', '=', sub).execute();
  }

  async listUsers(poolId: string, query: UserQuery): Promise<UserListing[]> {
    const load = () => readListing(this.db, this.q, poolId, query);
    if (!this.cache) return load();
    return (await this.cache.read('user_listings', `l:${poolId}:${JSON.stringify(query)}`, load, this.inTransaction)) ?? [];
  }

  async countUsers(poolId: string): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('pool_id', '=', poolId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

/** One page of ListUsers, read from the database. */
async function readListing(db: Db, hot: HotQueries, poolId: string, query: UserQuery): Promise<UserListing[]> {
  const filter = query.filter;
  // The first page of an `=` or `^=` filter, compiled once (hot-queries.ts; the same SQL as below).
  if (filter !== undefined && filter.column !== 'enabled' && query.after === undefined) {
    const column = filter.column === 'username' ? 'username_key' : filter.column;
    if (filter.op === '=') {
      return (await hot.listingEquals(column)(db, { poolId, value: filter.value, limit: query.limit })).rows.map(userListingFromRow);
    }
    const upper = prefixUpperBound(filter.value);
    if (column !== 'username_key' && upper !== undefined) {
      const values = { poolId, from: filter.value, upper, length: [...filter.value].length, prefix: filter.value, limit: query.limit };
      return (await hot.listingPrefix(column)(db, values)).rows.map(userListingFromRow);
    }
  }
  let q = db.selectFrom('users').select(LISTING_COLUMNS).where('pool_id', '=', poolId);
  // Username filters compare lookup keys (the caller folds the value for case-insensitive pools).
  const column = filter === undefined ? undefined : filter.column === 'username' ? 'username_key' : filter.column;
  let byValue: Exclude<typeof column, 'username_key' | 'enabled' | undefined> | undefined;
  if (filter !== undefined && column !== undefined) {
    if (column === 'enabled') {
      q = q.where('enabled', '=', filter.value === 'Enabled' ? 1 : 0);
    } else if (filter.op === '=') {
      q = q.where(column, '=', filter.value);
    } else {
      // A prefix as a range, so the (pool_id, column, username_key) index serves it. The range
      // is exact in code-point (byte) order; substr guards collations that order otherwise.
      // A later page starts the range at the last value seen, so deep pages do not rescan.
      const from = column !== 'username_key' && query.afterValue !== undefined && query.afterValue > filter.value ? query.afterValue : filter.value;
      q = q.where(column, '>=', from);
      const upper = prefixUpperBound(filter.value);
      if (upper !== undefined) q = q.where(column, '<', upper);
      q = q.where(sql<string>`substr(${sql.ref(column)}, 1, ${[...filter.value].length})`, '=', filter.value);
      if (column !== 'username_key') byValue = column;
    }
  }
  if (byValue !== undefined) {
    if (query.after !== undefined && query.afterValue !== undefined) {
      const [value, key] = [query.afterValue, query.after];
      q = q.where(({ eb, refTuple, tuple }) => eb(refTuple(byValue, 'username_key'), '>', tuple(value, key)));
    }
    q = q.orderBy(byValue).orderBy('username_key');
  } else {
    if (query.after !== undefined) q = q.where('username_key', '>', query.after);
    q = q.orderBy('username_key');
  }
  const rows = await q.limit(query.limit).execute();
  return rows.map(userListingFromRow);
}

/** updateUser's read and write, inside a transaction. */
async function writeChangedColumns(dialect: DialectSql, q: HotQueries, db: Db, user: UserRecord, stored: UserRecord | undefined, cache?: ReadCache): Promise<void> {
  // Only the columns whose values change: SQLite rewrites the entry of every index on a
  // column named in SET, changed or not, and users carry eleven indexes (measured: 366 µs
  // for the whole row against 96 µs for the changed columns, bench/RESULTS.md). The caller's
  // record read in this transaction is the row as stored: compared field by field.
  let changes: Partial<UsersTable>;
  // Known as stored: the cache entries the row had and will have (narrowed below).
  let keys: string[] | undefined;
  if (stored !== undefined && stored.sub === user.sub && stored.poolId === user.poolId) {
    changes = changedUserColumns(stored, user);
    keys = cacheKeysOf(stored, user);
  } else {
    const { sub: _sub, pool_id: _pool, created_at: _created, ...row } = userRow(user);
    const current = (await q.userBySub(db, { poolId: user.poolId, sub: user.sub })).rows[0];
    changes = current === undefined ? row : changedColumns(current, row);
  }
  const columns = Object.keys(changes).sort();
  if (columns.length === 0) return;
  const update = userUpdate(dialect, columns);
  const narrowing = keys !== undefined && cache?.narrowChange !== undefined ? { table: 'users' as const, keys } : undefined;
  await unique(dialect, db, () => {
    if (narrowing === undefined) return update(db, { ...changes, whereSub: user.sub });
    // The UPDATE runs within this call when the transaction holds its connection (a SQLite
    // batch, held-connection.ts), so its report of the change is narrowed to this user; run
    // later (any other way), it is reported after the narrowing is lifted, for the whole table.
    cache?.narrowChange?.(narrowing);
    try {
      return update(db, { ...changes, whereSub: user.sub });
    } finally {
      cache?.narrowChange?.(undefined);
    }
  });
  // The row is now `user` (created_at aside, which no update changes): kept once the batch
  // commits, so the next read of this user (the next reset of it, say) needs no SELECT.
  if (narrowing !== undefined && stored !== undefined) cache?.keepAfterCommit?.('users', keysOf(user), asStored(user, stored));
}

/** The read cache's keys of a user (reads above, and the narrowing of writeChangedColumns). */
const bySub = (poolId: string, sub: string) => `s:${poolId}:${sub}`;
const byUsernameKey = (poolId: string, usernameKey: string) => `k:${poolId}:${usernameKey}`;
const byAlias = (alias: AliasKind, poolId: string, key: string) => `a:${alias}:${poolId}:${key}`;
const ALIAS_KINDS: readonly AliasKind[] = ['email', 'phone_number', 'preferred_username'];

/** The entries the user's row answers. */
function keysOf(user: UserRecord): string[] {
  const keys = [bySub(user.poolId, user.sub), byUsernameKey(user.poolId, user.usernameKey)];
  for (const alias of ALIAS_KINDS) {
    const value = user.aliases[alias];
    if (value !== null) keys.push(byAlias(alias, user.poolId, value));
  }
  return keys;
}

/**
 * The record a read of the row just written returns (userFromRow), built from what was written:
 * the caller's objects are copied, never kept (the cache freezes what it keeps), and attributes
 * that changed go through JSON as the column did.
 */
function asStored(user: UserRecord, stored: UserRecord): UserRecord {
  return {
    poolId: stored.poolId,
    sub: stored.sub,
    username: user.username,
    usernameKey: user.usernameKey,
    status: user.status,
    enabled: user.enabled,
    attributes: user.attributes === stored.attributes ? { ...stored.attributes } : (JSON.parse(JSON.stringify(user.attributes)) as Record<string, string>),
    createdAt: stored.createdAt,
    updatedAt: user.updatedAt,
    passwordHash: user.passwordHash,
    passwordUpdatedAt: user.passwordUpdatedAt,
    srp: user.srp ? { saltHex: user.srp.saltHex, verifierSealed: user.srp.verifierSealed } : null,
    aliases: { email: user.aliases.email, phone_number: user.aliases.phone_number, preferred_username: user.aliases.preferred_username },
  };
}

/** Every entry the user's row answers, before the update and after. */
function cacheKeysOf(stored: UserRecord, user: UserRecord): string[] {
  return [...new Set([...keysOf(stored), ...keysOf(user)])];
}

/**
 * The UPDATE of one set of changed columns, compiled once per dialect and set: a reset changes
 * updated_at alone, an attribute update its column and updated_at, and Kysely building the
 * statement anew for each was a tenth of their server CPU. Few sets occur; the map is bounded
 * all the same.
 */
const userUpdates = new Map<string, Precompiled<Record<string, unknown>, never>>();
function userUpdate(dialect: DialectSql, columns: readonly string[]): Precompiled<Record<string, unknown>, never> {
  const key = `${dialect.name}:${columns.join(',')}`;
  let update = userUpdates.get(key);
  if (update === undefined) {
    if (userUpdates.size >= 200) userUpdates.clear();
    update = precompiled<Record<string, unknown>, never>((db, v) =>
      db
        .updateTable('users')
        .set(Object.fromEntries(columns.map((column) => [column, v[column]])))
        .where('sub', '=', v.whereSub as string),
    );
    userUpdates.set(key, update);
  }
  return update;
}

/**
 * The columns of `user` whose values differ from `stored`, as userRow would write them, without
 * serializing the attributes of either unless they are another object: a reset changes one
 * column, and making both rows (and the attributes' JSON twice) was a tenth of its JavaScript.
 */
function changedUserColumns(stored: UserRecord, user: UserRecord): Partial<UsersTable> {
  const { sub: _sub, pool_id: _pool, created_at: _created, ...now } = userScalarColumns(user);
  const changes: Partial<UsersTable> = changedColumns(userScalarColumns(stored), now);
  if (user.attributes !== stored.attributes) {
    const json = JSON.stringify(user.attributes);
    if (json !== JSON.stringify(stored.attributes)) {
      changes.attributes = json;
      for (const name of FILTER_COPIES) {
        const value = user.attributes[name] ?? null;
        if (value !== (stored.attributes[name] ?? null)) changes[name] = value;
      }
    }
  }
  return changes;
}

/** The members of `next` that differ from `current` (PostgreSQL returns bigint columns as text). */
function changedColumns<T extends Record<string, unknown>>(current: object, next: T): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T & string)[]) {
    const [was, now] = [(current as Record<string, unknown>)[key], next[key]];
    const same = was === now || (was !== null && now !== null && was !== undefined && now !== undefined && String(was) === String(now));
    if (!same) changes[key] = now;
  }
  return changes;
}

/** The least string greater than every string starting with `prefix`, in code-point order. */
function prefixUpperBound(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length > 0) {
    const last = (points.pop() as string).codePointAt(0) as number;
    let next = last + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
    if (next <= 0x10ffff) return points.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

// ---- row mapping

/** Attribute copies kept as columns for ListUsers filters. */
const FILTER_COPIES = ['email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username'] as const;

export function userRow(user: UserRecord): UsersTable {
  const copies = Object.fromEntries(FILTER_COPIES.map((name) => [name, user.attributes[name] ?? null])) as Pick<UsersTable, FilterCopy>;
  return { ...userScalarColumns(user), attributes: JSON.stringify(user.attributes), ...copies };
}

type FilterCopy = (typeof FILTER_COPIES)[number];

/** Every column of the user's row but its attributes and their filter copies: cheap to make. */
function userScalarColumns(user: UserRecord): Omit<UsersTable, 'attributes' | FilterCopy> {
  return {
    sub: user.sub,
    pool_id: user.poolId,
    username: user.username,
    username_key: user.usernameKey,
    status: user.status,
    enabled: user.enabled ? 1 : 0,
    password_hash: user.passwordHash,
    password_updated_at: user.passwordUpdatedAt,
    srp_salt: user.srp?.saltHex ?? null,
    srp_verifier_sealed: user.srp?.verifierSealed ?? null,
    alias_email: user.aliases.email,
    alias_phone: user.aliases.phone_number,
    alias_preferred_username: user.aliases.preferred_username,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

/** The columns of a UserListing (also what ListUsersInGroup reads, storage/kysely/groups.ts). */
export const LISTING_COLUMNS = ['pool_id', 'sub', 'username', 'username_key', 'status', 'enabled', 'attributes', 'created_at', 'updated_at'] as const;

export function userListingFromRow(row: Pick<Selectable<UsersTable>, (typeof LISTING_COLUMNS)[number]>): UserListing {
  return {
    poolId: row.pool_id,
    sub: row.sub,
    username: row.username,
    usernameKey: row.username_key,
    status: row.status as UserRecord['status'],
    enabled: Number(row.enabled) === 1,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function userFromRow(row: Selectable<UsersTable>): UserRecord {
  return {
    ...userListingFromRow(row),
    passwordHash: row.password_hash,
    passwordUpdatedAt: row.password_updated_at === null ? null : Number(row.password_updated_at),
    srp: row.srp_salt !== null && row.srp_verifier_sealed !== null ? { saltHex: row.srp_salt, verifierSealed: row.srp_verifier_sealed } : null,
    aliases: { email: row.alias_email, phone_number: row.alias_phone, preferred_username: row.alias_preferred_username },
  };
}
