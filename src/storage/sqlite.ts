import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator } from 'kysely';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createKyselyStore } from './kysely-store.js';
import { migrationProvider } from './migrations/index.js';
import { durableSqliteDialect } from './sqlite-connection.js';
import type { Database } from './schema.js';
import type { Store } from '../ports/store.js';

/**
 * The embedded default: one SQLite file in the data folder. WAL, with each commit fsynced before
 * it is acknowledged (fsyncs shared by concurrent commits: sqlite-connection.ts), makes every
 * acknowledged commit survive a killed process or a power loss; busy_timeout lets a second
 * process on the same file wait for the write lock instead of failing.
 */
export async function openSqliteStore(dataDir: string): Promise<Store> {
  mkdirSync(dataDir, { recursive: true });
  return openSqliteFile(join(dataDir, 'userpoold.sqlite'));
}

export async function openSqliteFile(path: string): Promise<Store> {
  const { db, database } = await openMigrated(path);
  // Moves when another connection (another process, a CLI command) commits to the file.
  const dataVersion = database.prepare('PRAGMA data_version').pluck();
  return createKyselyStore(db, 'sqlite', { changeCounter: () => dataVersion.get() as number });
}

/** The migrated database without the repositories, for whole-table work (export and import). */
export async function openSqliteDatabase(path: string): Promise<Kysely<Database>> {
  return (await openMigrated(path)).db;
}

async function openMigrated(path: string): Promise<{ db: Kysely<Database>; database: BetterSqlite3.Database }> {
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  // Commits are made durable by the group fsync in sqlite-connection.ts, not inside COMMIT.
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: durableSqliteDialect(database, path) });
  await migrate(db);
  return { db, database };
}

async function migrate(db: Kysely<Database>): Promise<void> {
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) throw error;
}
