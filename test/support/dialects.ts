import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DialectName } from '../../src/storage/kysely-store.js';
import { openPostgresStore } from '../../src/storage/postgres.js';
import { openSqliteFile } from '../../src/storage/sqlite.js';
import type { Store } from '../../src/ports/store.js';

/** A fresh, empty store, and the means to reach the same data the way another process would. */
export interface OpenedStore {
  store: Store;
  /** Every instance `open` started, `store` first. */
  stores: Store[];
  /** A second store on the same data: another SQLite connection, or another PostgreSQL instance. */
  openAnother(): Promise<Store>;
  /** PostgreSQL only: the server ends every connection of these stores, as in a failover. */
  dropConnections?(): Promise<void>;
  /** Closes every store opened here and removes their data. */
  close(): Promise<void>;
}

export interface TestDialect {
  name: DialectName;
  /** Why this dialect cannot run here; the suite is then skipped with this message. */
  skip: string | undefined;
  /**
   * Opens `instances` stores on one fresh data set. PostgreSQL instances start at the same time,
   * as a fleet would; SQLite ones one after another (in one process, better-sqlite3 would wait
   * for the schema lock synchronously, blocking the very connection that holds it).
   */
  open(instances?: number): Promise<OpenedStore>;
  /** Removes what this test file created on the server; call it in `after`. */
  dispose(): Promise<void>;
}

const sqlite: TestDialect = {
  name: 'sqlite',
  skip: undefined,
  async open(instances = 1) {
    const dir = mkdtempSync(join(tmpdir(), 'userpoold-store-'));
    const file = join(dir, 'store.sqlite');
    const stores: Store[] = [];
    for (let i = 0; i < instances; i++) stores.push(await openSqliteFile(file));
    return {
      store: stores[0] as Store,
      stores: [...stores],
      async openAnother() {
        const another = await openSqliteFile(file);
        stores.push(another);
        return another;
      },
      async close() {
        for (const s of stores) await s.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  dispose: async () => undefined,
};

// Only the test suite reads this variable; the server takes --database-url.
const POSTGRES_URL = process.env.USERPOOLD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const POOL_OPTIONS = { poolSize: 4, statementTimeoutMs: 10_000 };

function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A test's administrative statement (a database or schema made or dropped, sessions ended) fails
 * with PostgreSQL's own message rather than waiting without end: a lock that some connection
 * never gives back would otherwise hold the whole run until CI's time runs out, naming nothing.
 */
export const ADMIN_LIMITS = { connectionTimeoutMillis: 10_000, lock_timeout: 30_000, statement_timeout: 60_000 } as const;

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, ...ADMIN_LIMITS });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const uniqueName = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`;

function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  // Names the connections, so a test can find and end them.
  u.searchParams.set('application_name', schema);
  return u.toString();
}

/**
 * Each test file gets its own database, created with an ICU en-US default collation where the
 * server allows it, so that anything relying on the locale's text order (where 'a' < 'B')
 * instead of bytewise order shows up; each store opened gets its own schema in it. Without the
 * right to create databases, the schemas go into the given database.
 */
function postgres(skip: string | undefined): TestDialect {
  let fileDatabase: Promise<{ url: string; created: string | undefined }> | undefined;

  const database = () =>
    (fileDatabase ??= admin(POSTGRES_URL, async (client) => {
      const name = uniqueName('userpoold_test');
      const attempts = [
        `create database ${name} template template0 encoding 'UTF8' locale_provider icu icu_locale 'en-US' locale 'C.UTF-8'`,
        `create database ${name} template template0 encoding 'UTF8'`,
      ];
      for (const statement of attempts) {
        try {
          await client.query(statement);
          const u = new URL(POSTGRES_URL);
          u.pathname = `/${name}`;
          return { url: u.toString(), created: name };
        } catch {
          // try the next, simpler way
        }
      }
      return { url: POSTGRES_URL, created: undefined };
    }));

  return {
    name: 'postgres',
    skip,
    async open(instances = 1) {
      const { url } = await database();
      const schema = uniqueName('userpoold_test');
      await admin(url, (client) => client.query(`create schema ${schema}`));
      const storeUrl = withSearchPath(url, schema);
      const stores = await Promise.all(Array.from({ length: instances }, () => openPostgresStore(storeUrl, POOL_OPTIONS)));
      return {
        store: stores[0] as Store,
        stores: [...stores],
        async openAnother() {
          const another = await openPostgresStore(storeUrl, POOL_OPTIONS);
          stores.push(another);
          return another;
        },
        async dropConnections() {
          await admin(url, (client) =>
            client.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [schema]),
          );
        },
        async close() {
          for (const s of stores) await s.close();
          await admin(url, (client) => client.query(`drop schema ${schema} cascade`));
        },
      };
    },
    async dispose() {
      if (fileDatabase === undefined) return;
      const { created } = await fileDatabase;
      if (created === undefined) return;
      await admin(POSTGRES_URL, (client) => client.query(`drop database if exists ${created} with (force)`));
    },
  };
}

const postgresSkip = (await reachable(POSTGRES_URL))
  ? undefined
  : `PostgreSQL not reachable at ${redacted(POSTGRES_URL)}; set USERPOOLD_TEST_DATABASE_URL or start it`;

export const DIALECTS: readonly TestDialect[] = [sqlite, postgres(postgresSkip)];
