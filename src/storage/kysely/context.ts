import type { Kysely, Transaction } from 'kysely';
import type { DialectSql } from '../dialect-sql.js';
import type { BatchWriter } from '../batch-writer.js';
import type { HotQueries } from '../hot-queries.js';
import type { ReadCache } from '../read-cache.js';
import type { Database } from '../schema.js';

/** The store's database, or one of its transactions. */
export type Db = Kysely<Database> | Transaction<Database>;

/** What a store and all its transactions share, made once per store. */
export interface StoreShared {
  dialect: DialectSql;
  /** Compiled once per store: the SQL differs between dialects. */
  q: HotQueries;
  /** Pools, "any credentials?", users, MFA settings and ListUsers pages in memory (read-cache.ts; PostgreSQL: pg-change-feed.ts). */
  cache: ReadCache | undefined;
  /** Large write transactions off the request path (SQLite files only: sqlite-writer.ts). */
  writer: BatchWriter | undefined;
}

/**
 * What every port implementation works over. Each port in this folder is a class extending this
 * one and adds only methods; kysely-store.ts copies the methods of all of them onto one class
 * (combine.ts), so a store or a transaction is a single object of one shape, built with one
 * allocation, whose methods read these fields directly. A port therefore keeps no state of its
 * own, no fields and no private helpers that could clash with another port's: helpers are
 * module functions.
 */
export abstract class KyselyContext {
  protected readonly dialect: DialectSql;
  protected readonly q: HotQueries;
  /**
   * Read inside transactions too (only SQLite has one, whose transactions hold the write lock:
   * once the counter is asked, exactly, no other connection can change a pool until the
   * transaction ends), but filled only outside them.
   */
  protected readonly cache: ReadCache | undefined;
  protected readonly writer: BatchWriter | undefined;

  constructor(
    protected readonly db: Db,
    shared: StoreShared,
    protected readonly inTransaction: boolean,
  ) {
    this.dialect = shared.dialect;
    this.q = shared.q;
    this.cache = shared.cache;
    this.writer = shared.writer;
  }
}

/** A port implementation: a class over the context, constructed the same way. */
export type PortClass = new (db: Db, shared: StoreShared, inTransaction: boolean) => KyselyContext;
