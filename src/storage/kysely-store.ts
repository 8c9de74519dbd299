import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { dialectSql, type DialectName, type DialectSql } from './dialect-sql.js';
import { hotQueries, type HotQueries } from './hot-queries.js';
import { createReadCache, deepFreeze, type ReadCache } from './read-cache.js';
import type { Database, OutboxTable, UsersTable } from './schema.js';
import { UniqueViolation } from '../ports/unique-violation.js';
import type { AliasKind, UserListing, UserRecord } from '../domain/users/user.js';
import type { AuditQuery, AuditRecord } from '../ports/audit.js';
import type { ClientRecord } from '../domain/clients/client.js';
import type { CodeRecord } from '../ports/codes.js';
import type { CredentialRecord } from '../ports/credentials.js';
import type { MessageQuery, OutboxRecord } from '../ports/outbox.js';
import type { Page } from '../ports/page.js';
import type { PoolRecord } from '../domain/pools/pool.js';
import type { RefreshTokenRecord } from '../ports/refresh-tokens.js';
import type { SigningKeyRecord } from '../ports/signing-keys.js';
import type { Store, StoreTx, SweepCounts, SweepPolicy } from '../ports/store.js';
import type { UserQuery } from '../ports/users.js';

export type { DialectName } from './dialect-sql.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Attribute copies kept as columns for ListUsers filters. */
const FILTER_COPIES = ['email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username'] as const;

/**
 * The one Store implementation. How a transaction begins and isolates, and row locking, differ
 * between the dialects: dialect-sql.ts holds those differences.
 */
export interface KyselyStoreOptions {
  /**
   * A number that changes whenever another connection commits (SQLite's PRAGMA data_version).
   * With it, pools and the existence of credentials are kept in memory (read-cache.ts); without
   * it (PostgreSQL, where other instances write) every request reads them.
   */
  changeCounter?: () => number;
}

/** What the store and its transactions share. */
interface StoreShared {
  dialect: DialectSql;
  q: HotQueries;
  cache: ReadCache | undefined;
}

export function createKyselyStore(db: Kysely<Database>, dialect: DialectName, options: KyselyStoreOptions = {}): Store {
  const shared: StoreShared = {
    dialect: dialectSql(dialect),
    q: hotQueries(),
    cache: options.changeCounter && createReadCache(options.changeCounter),
  };
  const repos = new Repos(db, shared, false);
  return Object.assign(Object.create(repos) as Repos, {
    transaction: <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> => shared.dialect.transaction(db, (trx) => fn(new Repos(trx, shared, true))),
    close: () => db.destroy(),
  }) as Store;
}

const poolKey = (id: string) => `pool:${id}`;
const CREDENTIALS_KEY = 'credentials:any';

class Repos implements StoreTx {
  private readonly dialect: DialectSql;
  private readonly q: HotQueries;
  /**
   * Read inside transactions too (only SQLite has one, whose transactions hold the write lock:
   * once the counter is asked, exactly, no other connection can change a pool until the
   * transaction ends), but filled only outside them.
   */
  private readonly cache: ReadCache | undefined;
  private readonly inTransaction: boolean;

  constructor(
    private readonly db: Db,
    private readonly shared: StoreShared,
    inTransaction: boolean,
  ) {
    this.dialect = shared.dialect;
    this.q = shared.q;
    this.cache = shared.cache;
    this.inTransaction = inTransaction;
  }

  // ---- user pools
  async insertPool(pool: PoolRecord): Promise<void> {
    await this.db.insertInto('user_pools').values(poolRow(pool)).execute();
  }
  async getPool(id: string): Promise<PoolRecord | undefined> {
    const load = async () => {
      const [row] = (await this.q.poolById(this.db, { id })).rows;
      // Frozen whether or not it is cached, so code that would change it fails on every dialect.
      return row && deepFreeze(poolFromRow(row));
    };
    return this.cache ? this.cache.read(poolKey(id), load, this.inTransaction) : load();
  }
  async updatePool(pool: PoolRecord): Promise<void> {
    await this.changingPool(pool.id, () => this.db.updateTable('user_pools').set(poolRow(pool)).where('id', '=', pool.id).execute());
  }
  async deletePool(id: string): Promise<void> {
    await this.changingPool(id, () => this.deletePoolRows(id));
  }
  /** Drops the cached pool once the write is done (a read that began earlier then keeps nothing). */
  private async changingPool(id: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } finally {
      this.shared.cache?.drop(poolKey(id));
    }
  }
  private async deletePoolRows(id: string): Promise<void> {
    await this.db.deleteFrom('codes').where('pool_id', '=', id).execute();
    await this.db.deleteFrom('refresh_tokens').where('pool_id', '=', id).execute();
    await this.db.deleteFrom('outbox').where('pool_id', '=', id).where('state', '=', 'pending').execute();
    await this.db.deleteFrom('users').where('pool_id', '=', id).execute();
    await this.db.deleteFrom('user_pool_clients').where('pool_id', '=', id).execute();
    await this.db.deleteFrom('signing_keys').where('pool_id', '=', id).execute();
    await this.db.deleteFrom('user_pools').where('id', '=', id).execute();
  }
  async listPools(page: Page): Promise<PoolRecord[]> {
    let q = this.db.selectFrom('user_pools').selectAll().orderBy('id').limit(page.limit);
    if (page.after !== undefined) q = q.where('id', '>', page.after);
    return (await q.execute()).map(poolFromRow);
  }

  // ---- app clients
  async insertClient(client: ClientRecord): Promise<void> {
    await this.db.insertInto('user_pool_clients').values(clientRow(client)).execute();
  }
  async getClient(id: string): Promise<ClientRecord | undefined> {
    const [row] = (await this.q.clientById(this.db, { id })).rows;
    return row && clientFromRow(row);
  }
  async updateClient(client: ClientRecord): Promise<void> {
    await this.db.updateTable('user_pool_clients').set(clientRow(client)).where('id', '=', client.id).execute();
  }
  async deleteClient(id: string): Promise<void> {
    await this.db.deleteFrom('user_pool_clients').where('id', '=', id).execute();
  }
  async listClients(poolId: string, page: Page): Promise<ClientRecord[]> {
    let q = this.db.selectFrom('user_pool_clients').selectAll().where('pool_id', '=', poolId).orderBy('id').limit(page.limit);
    if (page.after !== undefined) q = q.where('id', '>', page.after);
    return (await q.execute()).map(clientFromRow);
  }

  // ---- users
  async insertUser(user: UserRecord): Promise<void> {
    await this.unique(() => this.db.insertInto('users').values(userRow(user)).execute());
  }
  async getUserByUsernameKey(poolId: string, usernameKey: string): Promise<UserRecord | undefined> {
    const [row] = (await this.q.userByUsernameKey(this.db, { poolId, usernameKey })).rows;
    return row && userFromRow(row);
  }
  async getUserBySub(poolId: string, sub: string): Promise<UserRecord | undefined> {
    const [row] = (await this.q.userBySub(this.db, { poolId, sub })).rows;
    return row && userFromRow(row);
  }
  async getUserByAlias(poolId: string, alias: AliasKind, key: string): Promise<UserRecord | undefined> {
    const [row] = (await this.q.userByAlias[alias](this.db, { poolId, key })).rows;
    return row && userFromRow(row);
  }
  async updateUser(user: UserRecord): Promise<void> {
    // Read and write must be one transaction, or two racing updates could each write only their
    // own columns and leave a row that is neither.
    if (!this.inTransaction) {
      await this.dialect.transaction(this.db as Kysely<Database>, (trx) => new Repos(trx, this.shared, true).updateUser(user));
      return;
    }
    const { sub: _sub, pool_id: _pool, created_at: _created, ...row } = userRow(user);
    // Only the columns whose values change: SQLite rewrites the entry of every index on a
    // column named in SET, changed or not, and users carry eleven indexes (measured: 366 µs
    // for the whole row against 96 µs for the changed columns, bench/RESULTS.md).
    const [current] = (await this.q.userBySub(this.db, { poolId: user.poolId, sub: user.sub })).rows;
    const changes = current === undefined ? row : changedColumns(current, row);
    if (Object.keys(changes).length === 0) return;
    await this.unique(() => this.db.updateTable('users').set(changes).where('sub', '=', user.sub).execute());
  }
  async deleteUser(poolId: string, sub: string): Promise<void> {
    await this.db.deleteFrom('codes').where('user_sub', '=', sub).execute();
    await this.db.deleteFrom('refresh_tokens').where('user_sub', '=', sub).execute();
    await this.db.deleteFrom('users').where('pool_id', '=', poolId).where('sub', '=', sub).execute();
  }
  async listUsers(poolId: string, query: UserQuery): Promise<UserListing[]> {
    let q = this.db.selectFrom('users').select(LISTING_COLUMNS).where('pool_id', '=', poolId);
    const filter = query.filter;
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
  async countUsers(poolId: string): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('pool_id', '=', poolId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  // ---- codes
  async putCode(code: CodeRecord): Promise<void> {
    const row = {
      user_sub: code.userSub,
      purpose: code.purpose,
      pool_id: code.poolId,
      code_hash: code.codeHash,
      expires_at: code.expiresAt,
      created_at: code.createdAt,
    };
    await this.q.putCode(this.db, row);
  }
  async getCode(userSub: string, purpose: string): Promise<CodeRecord | undefined> {
    const [row] = (await this.q.codeOf(this.db, { userSub, purpose })).rows;
    return (
      row && {
        userSub: row.user_sub,
        purpose: row.purpose,
        poolId: row.pool_id,
        codeHash: row.code_hash,
        expiresAt: Number(row.expires_at),
        createdAt: Number(row.created_at),
      }
    );
  }
  async consumeCode(userSub: string, purpose: string, codeHash: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('codes')
      .where('user_sub', '=', userSub)
      .where('purpose', '=', purpose)
      .where('code_hash', '=', codeHash)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
  async deleteCodes(userSub: string): Promise<void> {
    await this.q.deleteCodes(this.db, { userSub });
  }

  // ---- counters
  async incrementCounter(key: string, windowStart: number, by = 1): Promise<number> {
    const row = await this.db
      .insertInto('counters')
      .values({ key, window_start: windowStart, count: by })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql<number>`case when counters.window_start = ${windowStart} then counters.count + ${by} else ${by} end`,
          window_start: windowStart,
        }),
      )
      .returning('count')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
  async getCounter(key: string, windowStart: number): Promise<number> {
    const row = await this.db.selectFrom('counters').selectAll().where('key', '=', key).executeTakeFirst();
    return row !== undefined && Number(row.window_start) === windowStart ? Number(row.count) : 0;
  }
  async readCounter(key: string): Promise<{ windowStart: number; count: number } | undefined> {
    const row = await this.db.selectFrom('counters').selectAll().where('key', '=', key).executeTakeFirst();
    return row && { windowStart: Number(row.window_start), count: Number(row.count) };
  }
  async resetCounter(key: string): Promise<void> {
    await this.db.deleteFrom('counters').where('key', '=', key).execute();
  }

  // ---- outbox
  async enqueueMessage(message: OutboxRecord): Promise<void> {
    await this.q.insertOutbox(this.db, outboxRow(message));
  }
  async listMessages(query: MessageQuery): Promise<OutboxRecord[]> {
    let q = this.db.selectFrom('outbox').selectAll();
    if (query.poolId !== undefined) q = q.where('pool_id', '=', query.poolId);
    if (query.username !== undefined) q = q.where('username', '=', query.username);
    if (query.afterId !== undefined) {
      const after = await this.db.selectFrom('outbox').select(['created_at', 'id']).where('id', '=', query.afterId).executeTakeFirst();
      if (after !== undefined) {
        q = q.where((eb) =>
          eb.or([
            eb('created_at', '>', after.created_at),
            eb.and([eb('created_at', '=', after.created_at), eb('id', '>', after.id)]),
          ]),
        );
      }
    }
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return rows.reverse().map(outboxFromRow);
  }
  async claimMessages(
    worker: string,
    now: number,
    claimedUntil: number,
    limit: number,
    channels?: readonly OutboxRecord['channel'][],
  ): Promise<OutboxRecord[]> {
    if (channels !== undefined && channels.length === 0) return [];
    let due = this.db
      .selectFrom('outbox')
      .select('id')
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(limit);
    if (channels !== undefined) due = due.where('channel', 'in', [...channels]);
    if (this.dialect.skipsLockedRows) due = due.forUpdate().skipLocked();
    // One statement, so that even outside a transaction two claimers cannot both pick a row
    // between one's select and its update.
    const rows = await this.db
      .updateTable('outbox')
      .set({ claimed_by: worker, claimed_until: claimedUntil })
      .where('id', 'in', due)
      .returningAll()
      .execute();
    return rows.map(outboxFromRow).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  async updateMessage(message: OutboxRecord): Promise<void> {
    const { id, ...changes } = outboxRow(message);
    await this.db.updateTable('outbox').set(changes).where('id', '=', id).execute();
  }

  // ---- refresh tokens
  async insertRefreshToken(token: RefreshTokenRecord): Promise<void> {
    await this.db
      .insertInto('refresh_tokens')
      .values({
        token_hash: token.tokenHash,
        pool_id: token.poolId,
        client_id: token.clientId,
        user_sub: token.userSub,
        origin_jti: token.originJti,
        auth_time: token.authTime,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
        revoked_at: token.revokedAt,
      })
      .execute();
  }
  async getRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const row = await this.db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && refreshTokenFromRow(row);
  }
  async getRefreshTokenByOrigin(originJti: string): Promise<RefreshTokenRecord | undefined> {
    // One query: every access-token check comes here.
    const row = await this.db.selectFrom('refresh_tokens').selectAll().where('origin_jti', '=', originJti).executeTakeFirst();
    return row && refreshTokenFromRow(row);
  }
  async revokeRefreshToken(tokenHash: string, at: number): Promise<void> {
    await this.db.updateTable('refresh_tokens').set({ revoked_at: at }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).execute();
  }
  async revokeUserRefreshTokens(userSub: string, at: number): Promise<number> {
    const result = await this.q.revokeUserRefreshTokens(this.db, { userSub, at });
    return Number(result.numAffectedRows ?? 0n);
  }

  // ---- signing keys
  // ---- one-time values
  async useOnce(key: string, expiresAt: number, nowMs: number): Promise<boolean> {
    await this.db.deleteFrom('single_use').where('expires_at', '<=', nowMs).execute();
    const result = await this.db
      .insertInto('single_use')
      .values({ key, expires_at: expiresAt })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async getSigningKey(poolId: string): Promise<SigningKeyRecord | undefined> {
    const row = await this.db.selectFrom('signing_keys').selectAll().where('pool_id', '=', poolId).executeTakeFirst();
    return (
      row && {
        poolId: row.pool_id,
        kid: row.kid,
        privateJwkSealed: row.private_jwk_sealed,
        publicJwk: row.public_jwk,
        createdAt: Number(row.created_at),
      }
    );
  }
  async putSigningKeyIfAbsent(key: SigningKeyRecord): Promise<SigningKeyRecord> {
    await this.db
      .insertInto('signing_keys')
      .values({
        pool_id: key.poolId,
        kid: key.kid,
        private_jwk_sealed: key.privateJwkSealed,
        public_jwk: key.publicJwk,
        created_at: key.createdAt,
      })
      .onConflict((oc) => oc.column('pool_id').doNothing())
      .execute();
    return (await this.getSigningKey(key.poolId)) as SigningKeyRecord;
  }

  // ---- developer credentials
  async insertCredential(c: CredentialRecord): Promise<void> {
    await this.db
      .insertInto('credentials')
      .values({ access_key_id: c.accessKeyId, name: c.name, arn: c.arn, secret_sealed: c.secretSealed, policy: c.policy, created_at: c.createdAt })
      .execute();
    this.shared.cache?.drop(CREDENTIALS_KEY);
  }
  async hasCredentials(): Promise<boolean> {
    const load = async () => (await this.q.anyCredential(this.db, {})).rows.length > 0;
    // "No" is kept too: a server without credentials (dev mode) asks on every signed request.
    return (await (this.cache ? this.cache.read(CREDENTIALS_KEY, load, this.inTransaction) : load())) ?? false;
  }
  async getCredential(accessKeyId: string): Promise<CredentialRecord | undefined> {
    const row = await this.db.selectFrom('credentials').selectAll().where('access_key_id', '=', accessKeyId).executeTakeFirst();
    return row && credentialFromRow(row);
  }
  async listCredentials(page: Page): Promise<CredentialRecord[]> {
    let q = this.db.selectFrom('credentials').selectAll().orderBy('access_key_id').limit(page.limit);
    if (page.after !== undefined) q = q.where('access_key_id', '>', page.after);
    return (await q.execute()).map(credentialFromRow);
  }

  // ---- audit log
  async appendAudit(entries: readonly AuditRecord[]): Promise<void> {
    if (entries.length === 0) return;
    // One prepared single-row INSERT per row, in one transaction: a multi-row INSERT is new SQL
    // for every batch size, compiled by Kysely and prepared by SQLite each time.
    const insert = async (db: Db) => {
      for (const entry of entries) await this.q.insertAudit(db, auditRow(entry));
    };
    if (this.inTransaction) await insert(this.db);
    else await this.dialect.transaction(this.db as Kysely<Database>, (trx) => insert(trx));
  }
  async listAudit(query: AuditQuery): Promise<AuditRecord[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (query.poolId !== undefined) q = q.where('pool_id', '=', query.poolId);
    const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return rows.reverse().map(auditFromRow);
  }

  // ---- sweeping
  // Each table is one DELETE of at most batchSize rows chosen by a subquery (the portable way to
  // bound a DELETE), in its own implicit transaction, so the SQLite write lock is held briefly.
  // PostgreSQL skips rows another sweeper or a request holds instead of waiting for them.
  async sweep(now: number, policy: SweepPolicy): Promise<SweepCounts> {
    const limit = policy.batchSize;
    const lock = <Q extends { forUpdate(): { skipLocked(): Q } }>(q: Q): Q => (this.dialect.skipsLockedRows ? q.forUpdate().skipLocked() : q);
    const deleted = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
    const tokenCutoff = now - policy.refreshTokenGraceMs;
    const counterCutoff = now - policy.counterHorizonMs;

    const refreshTokens = deleted(
      await this.db
        .deleteFrom('refresh_tokens')
        .where(
          'token_hash',
          'in',
          lock(
            this.db
              .selectFrom('refresh_tokens')
              .select('token_hash')
              .where((eb) => eb.or([eb('expires_at', '<', tokenCutoff), eb('revoked_at', '<', tokenCutoff)]))
              .limit(limit),
          ),
        )
        .executeTakeFirst(),
    );
    const codes = deleted(
      await this.db
        .deleteFrom('codes')
        .where(({ eb, refTuple }) =>
          eb(refTuple('user_sub', 'purpose'), 'in', lock(this.db.selectFrom('codes').select(['user_sub', 'purpose']).where('expires_at', '<=', now).limit(limit)).$asTuple('user_sub', 'purpose')),
        )
        .executeTakeFirst(),
    );
    const counters = deleted(
      await this.db
        .deleteFrom('counters')
        .where('key', 'in', lock(this.db.selectFrom('counters').select('key').where('window_start', '<', counterCutoff).limit(limit)))
        .executeTakeFirst(),
    );
    let outbox = 0;
    if (policy.outboxRetentionMs !== undefined) {
      const cutoff = now - policy.outboxRetentionMs;
      // A failed message records no finish time; its last try was due at next_attempt_at.
      const finished = this.db
        .selectFrom('outbox')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('state', '=', 'delivered'), eb('delivered_at', '<', cutoff)]),
            eb.and([eb('state', '=', 'failed'), eb('next_attempt_at', '<', cutoff)]),
          ]),
        )
        .limit(limit);
      outbox = deleted(await this.db.deleteFrom('outbox').where('id', 'in', lock(finished)).executeTakeFirst());
    }
    let auditLog = 0;
    if (policy.auditRetentionMs !== undefined) {
      const cutoff = now - policy.auditRetentionMs;
      const old = this.db.selectFrom('audit_log').select('id').where('at', '<', cutoff).limit(limit);
      auditLog = deleted(await this.db.deleteFrom('audit_log').where('id', 'in', lock(old)).executeTakeFirst());
    }
    const singleUse = deleted(
      await this.db
        .deleteFrom('single_use')
        .where('key', 'in', lock(this.db.selectFrom('single_use').select('key').where('expires_at', '<=', now).limit(limit)))
        .executeTakeFirst(),
    );
    return { refreshTokens, codes, counters, outbox, auditLog, singleUse };
  }

  /** Runs a write, turning the database's unique-constraint error into UniqueViolation. */
  private async unique<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await this.dialect.recoverable(this.db as Kysely<Database>, write);
    } catch (err) {
      const violation = uniqueViolationOf(err);
      if (violation) throw violation;
      throw err;
    }
  }
}

/** The members of `next` that differ from `current` (PostgreSQL returns bigint columns as text). */
function changedColumns<T extends Record<string, unknown>>(current: Record<string, unknown>, next: T): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T & string)[]) {
    const [was, now] = [current[key], next[key]];
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

function uniqueViolationOf(err: unknown): UniqueViolation | undefined {
  const e = err as { code?: string; message?: string; constraint?: string };
  const isUnique = e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === '23505';
  if (!isUnique) return undefined;
  const where = `${e.constraint ?? ''} ${e.message ?? ''}`;
  if (where.includes('alias_email')) return new UniqueViolation('email');
  if (where.includes('alias_phone')) return new UniqueViolation('phone_number');
  if (where.includes('alias_preferred_username')) return new UniqueViolation('preferred_username');
  if (where.includes('username_key') || where.includes('users_username')) return new UniqueViolation('username');
  return new UniqueViolation('other');
}

// ---- row mapping

function poolRow(pool: PoolRecord) {
  return { id: pool.id, name: pool.name, settings: JSON.stringify(pool.settings), created_at: pool.createdAt, updated_at: pool.updatedAt };
}
function poolFromRow(row: Selectable<Database['user_pools']>): PoolRecord {
  return {
    id: row.id,
    name: row.name,
    settings: JSON.parse(row.settings) as PoolRecord['settings'],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function clientRow(client: ClientRecord) {
  return {
    id: client.id,
    pool_id: client.poolId,
    name: client.name,
    secret_sealed: client.secretSealed,
    settings: JSON.stringify(client.settings),
    created_at: client.createdAt,
    updated_at: client.updatedAt,
  };
}
function clientFromRow(row: Selectable<Database['user_pool_clients']>): ClientRecord {
  return {
    id: row.id,
    poolId: row.pool_id,
    name: row.name,
    secretSealed: row.secret_sealed,
    settings: JSON.parse(row.settings) as ClientRecord['settings'],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function userRow(user: UserRecord): UsersTable {
  const copies = Object.fromEntries(FILTER_COPIES.map((name) => [name, user.attributes[name] ?? null])) as Pick<
    UsersTable,
    (typeof FILTER_COPIES)[number]
  >;
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
    attributes: JSON.stringify(user.attributes),
    alias_email: user.aliases.email,
    alias_phone: user.aliases.phone_number,
    alias_preferred_username: user.aliases.preferred_username,
    ...copies,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}
const LISTING_COLUMNS = ['pool_id', 'sub', 'username', 'username_key', 'status', 'enabled', 'attributes', 'created_at', 'updated_at'] as const;

function userListingFromRow(row: Pick<Selectable<UsersTable>, (typeof LISTING_COLUMNS)[number]>): UserListing {
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

function outboxRow(m: OutboxRecord): OutboxTable {
  return {
    id: m.id,
    pool_id: m.poolId,
    user_sub: m.userSub,
    username: m.username,
    trigger: m.trigger,
    channel: m.channel,
    destination: m.destination,
    payload_sealed: m.payloadSealed,
    state: m.state,
    attempts: m.attempts,
    next_attempt_at: m.nextAttemptAt,
    claimed_by: m.claimedBy,
    claimed_until: m.claimedUntil,
    last_error: m.lastError,
    created_at: m.createdAt,
    delivered_at: m.deliveredAt,
  };
}
function outboxFromRow(row: Selectable<OutboxTable>): OutboxRecord {
  return {
    id: row.id,
    poolId: row.pool_id,
    userSub: row.user_sub,
    username: row.username,
    trigger: row.trigger,
    channel: row.channel as OutboxRecord['channel'],
    destination: row.destination,
    payloadSealed: row.payload_sealed,
    state: row.state as OutboxRecord['state'],
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    claimedBy: row.claimed_by,
    claimedUntil: row.claimed_until === null ? null : Number(row.claimed_until),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
  };
}

function auditRow(e: AuditRecord) {
  return {
    at: e.at,
    request_id: e.requestId,
    operation: e.operation,
    principal: e.principal,
    client_id: e.clientId,
    pool_id: e.poolId,
    username: e.username,
    outcome: e.outcome,
    status: e.status,
    source_ip: e.sourceIp,
  };
}
function auditFromRow(row: Selectable<Database['audit_log']>): AuditRecord {
  return {
    at: Number(row.at),
    requestId: row.request_id,
    operation: row.operation,
    principal: row.principal,
    clientId: row.client_id,
    poolId: row.pool_id,
    username: row.username,
    outcome: row.outcome,
    status: Number(row.status),
    sourceIp: row.source_ip,
  };
}

function credentialFromRow(row: Selectable<Database['credentials']>): CredentialRecord {
  return {
    accessKeyId: row.access_key_id,
    name: row.name,
    arn: row.arn,
    secretSealed: row.secret_sealed,
    policy: row.policy,
    createdAt: Number(row.created_at),
  };
}

function refreshTokenFromRow(row: Selectable<Database['refresh_tokens']>): RefreshTokenRecord {
  return {
    tokenHash: row.token_hash,
    poolId: row.pool_id,
    clientId: row.client_id,
    userSub: row.user_sub,
    originJti: row.origin_jti,
    authTime: Number(row.auth_time),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}
