import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createKyselyStore } from './kysely-store.js';
import { migrationProvider } from './migrations/index.js';
import { startChangeFeed } from './pg-change-feed.js';
import { reportingPostgresDialect } from './pg-reporting-dialect.js';
import { withOwnSchemaIntrospection } from './pg-own-schema-introspector.js';
import type { TableChanged } from './written-table.js';
import type { Database } from './schema.js';
import type { Store } from '../ports/store.js';

export interface PostgresOptions {
  /** Connections this instance may hold at once. */
  poolSize: number;
  /** The server cancels any statement running longer than this (0: never). */
  statementTimeoutMs: number;
}

const INT8_OID = 20;

/**
 * The store on PostgreSQL, for several instances sharing one database. Every instance migrates
 * on start; the first one does the work and the others find it done. Pools, users, MFA settings,
 * "any credentials?" and ListUsers pages are kept in memory, kept exact across instances by
 * NOTIFY and a barrier per burst of requests (pg-change-feed.ts); this instance's connections
 * report its own writes as they return (pg-reporting-dialect.ts).
 */
export async function openPostgresStore(url: string, options: PostgresOptions): Promise<Store> {
  let changed: TableChanged = () => {};
  const { db, connection } = await openMigrated(url, options, (table) => changed(table));
  let feed;
  try {
    feed = await startChangeFeed(connection);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  changed = feed.changed;
  return createKyselyStore(db, 'postgres', { readCache: feed.cache, onClose: feed.close });
}

/** The migrated database without the repositories, for whole-table work (export and import). */
export async function openPostgresDatabase(url: string, options: PostgresOptions): Promise<Kysely<Database>> {
  return (await openMigrated(url, options)).db;
}

async function openMigrated(url: string, options: PostgresOptions, onChange?: TableChanged): Promise<{ db: Kysely<Database>; connection: pg.ClientConfig }> {
  const connection: pg.ClientConfig = {
    connectionString: url,
    statement_timeout: options.statementTimeoutMs,
    // Times are bigint epoch milliseconds; pg returns int8 as strings unless told otherwise.
    // Set on this store's connections only, so other users of pg in the process are unaffected.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
    },
  };
  const pool = new pg.Pool({ ...connection, max: options.poolSize });
  // An idle connection the server dropped is removed from the pool; without a listener the
  // error event would end the process.
  pool.on('error', () => undefined);
  // Likewise for a connection lost while checked out (a failover mid-transaction): the query
  // in flight, or the next one, fails and the request gets an error, but the process lives.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const dialect = onChange ? reportingPostgresDialect({ pool }, onChange) : new PostgresDialect({ pool });
  const db = new Kysely<Database>({ dialect: withOwnSchemaIntrospection(dialect) });
  try {
    await migrateOnce(db, connection);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { db, connection };
}

/**
 * Runs the migrations under a session advisory lock held on a connection of its own (not one
 * from the pool, which may have a single connection), so instances starting together migrate
 * one at a time, Kysely's bookkeeping tables included. The lock is per schema, so databases
 * holding several schemas (tests) do not wait on each other.
 */
async function migrateOnce(db: Kysely<Database>, connection: pg.ClientConfig): Promise<void> {
  const lockHolder = new pg.Client(connection);
  lockHolder.on('error', () => undefined);
  await lockHolder.connect();
  try {
    const lockKey = "hashtext('userpoold.migrate.' || current_schema())";
    const { rows } = await lockHolder.query<{ schema: string | null }>(`select current_schema() as schema, pg_advisory_lock(${lockKey})`);
    const schema = rows[0]?.schema;
    if (!schema) throw new Error('PostgreSQL: no schema of the search_path exists to hold the tables');
    try {
      // Named, so that Kysely creates and finds its bookkeeping tables in our schema (the
      // introspection sees no other: pg-own-schema-introspector.ts).
      const { error } = await new Migrator({ db, provider: migrationProvider, migrationTableSchema: schema }).migrateToLatest();
      if (error !== undefined) throw error;
    } finally {
      await lockHolder.query(`select pg_advisory_unlock(${lockKey})`);
    }
  } finally {
    await lockHolder.end();
  }
}
