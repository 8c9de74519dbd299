import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ADMIN_LIMITS, DIALECTS } from './dialects.js';

/** The dialects every end-to-end story runs on. */
export const E2E_DIALECTS = ['sqlite', 'postgres'] as const;
export type E2eDialect = (typeof E2E_DIALECTS)[number];

// Only the test suite reads this variable; the server takes --database-url.
const POSTGRES_URL = process.env.USERPOOLD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why PostgreSQL tests cannot run here ("PostgreSQL not reachable at ..."), or undefined. */
export const postgresSkip: string | undefined = DIALECTS.find((d) => d.name === 'postgres')?.skip;

/** The `skip` option of a describe() for a dialect: a message when it cannot run here. */
export function skipFor(dialect: E2eDialect): string | false {
  return dialect === 'postgres' ? (postgresSkip ?? false) : false;
}

export interface TestSchema {
  /** A database URL whose connections use only this schema, and carry its name as application_name. */
  url: string;
  schema: string;
  /** Ends every connection of this schema's servers (the others' tests are untouched), as a failover would. */
  terminateConnections(): Promise<number>;
  drop(): Promise<void>;
}

export async function adminQuery<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<T>> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, ...ADMIN_LIMITS });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.query<T>(text, values);
  } finally {
    await client.end();
  }
}

/** A fresh schema in the test database for one server (or several sharing it). */
export async function createTestSchema(): Promise<TestSchema> {
  const schema = `userpoold_e2e_${randomBytes(5).toString('hex')}`;
  await adminQuery(`create schema ${schema}`);
  const u = new URL(POSTGRES_URL);
  u.searchParams.set('options', `-c search_path=${schema}`);
  u.searchParams.set('application_name', schema);
  return {
    url: u.toString(),
    schema,
    async terminateConnections() {
      const { rows } = await adminQuery<{ ended: boolean }>(
        'select pg_terminate_backend(pid) as ended from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
        [schema],
      );
      return rows.filter((r) => r.ended).length;
    },
    async drop() {
      await adminQuery(`drop schema if exists ${schema} cascade`);
    },
  };
}
