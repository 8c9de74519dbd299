import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { cryptoRandom } from '../src/kernel/random.js';
import { loadOrCreateServerKey } from '../src/kernel/secret-box.js';
import { openPostgresDatabase, openPostgresStore } from '../src/storage/postgres.js';
import type { Database, UsersTable } from '../src/storage/schema.js';
import { openSqliteStore } from '../src/storage/sqlite.js';
import type { Store } from '../src/ports/store.js';

export type BenchDialect = 'sqlite' | 'postgres';

/**
 * Where the benchmark's server keeps its data, with the two things seeding needs besides the
 * store: a bulk path for users (setup, not measured) and the server key, since codes and SRP
 * verifiers are sealed or keyed with it and the servers must hold the same one.
 */
export interface BenchDatabase {
  dialect: BenchDialect;
  serverKey: Buffer;
  /** The server's flags for this database (several instances may share them). */
  serverArgs: readonly string[];
  openStore(): Promise<Store>;
  /** Adds users in large transactions, with durability relaxed: a crash only loses the benchmark's setup. */
  insertUsers(batches: AsyncIterable<UsersTable[]>): Promise<void>;
  /** The bytes the data takes (SQLite: the files; PostgreSQL: tables and indexes). */
  bytes(): Promise<number>;
  /** Drops whatever was created for the run. */
  drop(): Promise<void>;
}

export function sqliteDatabase(dataDir: string): BenchDatabase {
  const file = join(dataDir, 'userpoold.sqlite');
  return {
    dialect: 'sqlite',
    serverKey: loadOrCreateServerKey(dataDir, cryptoRandom),
    serverArgs: ['--data-dir', dataDir],
    openStore: () => openSqliteStore(dataDir),
    async insertUsers(batches) {
      const database = new BetterSqlite3(file);
      try {
        database.pragma('journal_mode = WAL');
        database.pragma('synchronous = OFF');
        let insert: BetterSqlite3.Statement | undefined;
        for await (const rows of batches) {
          const first = rows[0];
          if (!first) continue;
          // The SQL Kysely compiles for the users table, prepared once.
          insert ??= database.prepare(new Kysely<Database>({ dialect: new SqliteDialect({ database }) }).insertInto('users').values(first).compile().sql);
          const statement = insert;
          database.transaction(() => {
            for (const row of rows) statement.run(...Object.values(row));
          })();
        }
        database.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        database.close();
      }
    },
    async bytes() {
      return fileSize(file) + fileSize(`${file}-wal`);
    },
    async drop() {
      // The caller removes the data folder.
    },
  };
}

const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** Rows per INSERT statement: 22 parameters each, well under PostgreSQL's 65,535. */
const ROWS_PER_STATEMENT = 1_000;

/**
 * A database of its own for the run, created through `adminUrl` (any database on the server)
 * and dropped at the end, so that nothing of an earlier run (dead rows, statistics) is measured.
 */
export async function postgresDatabase(adminUrl = process.env.USERPOOLD_BENCH_DATABASE_URL ?? POSTGRES_URL): Promise<BenchDatabase> {
  const name = `userpoold_bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const serverKey = randomBytes(32);
  const options = { poolSize: 2, statementTimeoutMs: 0 };
  return {
    dialect: 'postgres',
    serverKey,
    // The same key and issuer on every instance, as docs/deployment.md asks.
    serverArgs: ['--database-url', url, '--server-key', serverKey.toString('base64'), '--public-url', 'http://userpoold-bench.invalid'],
    openStore: () => openPostgresStore(url, options),
    async insertUsers(batches) {
      const db = await openPostgresDatabase(url, options);
      try {
        for await (const rows of batches) {
          await db.transaction().execute(async (trx) => {
            await sql`set local synchronous_commit = off`.execute(trx);
            for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
              await trx.insertInto('users').values(rows.slice(i, i + ROWS_PER_STATEMENT)).execute();
            }
          });
        }
        // Fresh statistics, as autovacuum would eventually make: the planner picks the indexes.
        await sql`analyze`.execute(db);
      } finally {
        await db.destroy();
      }
    },
    async bytes() {
      const { rows } = await adminQuery<{ bytes: string }>(
        url,
        "select coalesce(sum(pg_total_relation_size(c.oid)), 0) as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname = 'public'",
      );
      return Number(rows[0]?.bytes ?? 0);
    },
    async drop() {
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery<T extends pg.QueryResultRow>(url: string, text: string): Promise<pg.QueryResult<T>> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.query<T>(text);
  } finally {
    await client.end();
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
