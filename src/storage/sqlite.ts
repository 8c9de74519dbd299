import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator } from 'kysely';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createKyselyStore } from './kysely-store.js';
import { migrationProvider } from './migrations/index.js';
import { durableSqliteDialect } from './sqlite-connection.js';
import type { TableChanged } from './written-table.js';
import { sqliteWriter } from './sqlite-writer.js';
import { sqliteChangeCounter } from './sqlite-change-counter.js';
import type { Database } from './schema.js';
import { ensurePrivateDir, ensurePrivateFile, makePrivate } from '../kernel/private-files.js';
import type { Store } from '../ports/store.js';
import { cannotUse } from '../kernel/startup-errors.js';

/**
 * The embedded default: one SQLite file in the data folder. WAL, with each commit fsynced before
 * it is acknowledged (fsyncs shared by concurrent commits: sqlite-connection.ts), makes every
 * acknowledged commit survive a killed process or a power loss; busy_timeout lets a second
 * process on the same file wait for the write lock instead of failing.
 */
export async function openSqliteStore(dataDir: string): Promise<Store> {
  // `--data-dir :memory:` (and the embedded API's storage 'memory'): a database that lives and
  // dies with the process, for tests; nothing is written to disk.
  if (dataDir === MEMORY) return openSqliteFile(MEMORY);
  try {
    ensurePrivateDir(dataDir);
  } catch (err) {
    throw cannotUse('the data folder', dataDir, err);
  }
  return openSqliteFile(join(dataDir, 'userpoold.sqlite'));
}

/** SQLite's default: a checkpoint once the WAL holds this many pages. */
const DEFAULT_AUTOCHECKPOINT = 1000;

/** The data folder name that keeps the SQLite database in memory. */
export const MEMORY = ':memory:';

export async function openSqliteFile(path: string): Promise<Store> {
  // The connection tells the store's read cache of every row it changes, by table.
  let changed: TableChanged = () => {};
  const { db, database } = await openMigrated(path, (table) => changed(table));
  // Moves when another connection (another process, a CLI command) commits to the file.
  const dataVersion = database.prepare('PRAGMA data_version').pluck();
  const counter = sqliteChangeCounter(() => dataVersion.get() as number, path === MEMORY ? undefined : `${path}-shm`);
  return createKyselyStore(db, 'sqlite', {
    changeCounter: counter.read,
    onClose: async () => counter.close(),
    onTableChanged: (listener) => {
      changed = listener;
    },
    // An in-memory database is this connection's alone: its imports write on the event loop.
    // While the writer thread works, it alone checkpoints (after each of its commits): this
    // connection's commits would otherwise copy the writer's pages and fsync on the event loop.
    writer:
      path === MEMORY
        ? undefined
        : sqliteWriter(path, {
            busy: () => database.pragma('wal_autocheckpoint = 0'),
            idle: () => database.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`),
          }),
  });
}

/** The migrated database without the repositories, for whole-table work (export and import). */
export async function openSqliteDatabase(path: string): Promise<Kysely<Database>> {
  return (await openMigrated(path)).db;
}

async function openMigrated(path: string, onChange?: TableChanged): Promise<{ db: Kysely<Database>; database: BetterSqlite3.Database }> {
  try {
    return await openAndMigrate(path, onChange);
  } catch (err) {
    // A migration that fails for its own reasons is a bug to see whole; the file's faults are said in one line.
    if ((err as { code?: string }).code === undefined) throw err;
    throw cannotUse('the database', path, err);
  }
}

async function openAndMigrate(path: string, onChange?: TableChanged): Promise<{ db: Kysely<Database>; database: BetterSqlite3.Database }> {
  // SQLite would create the file with 0644 under the usual umask: anyone on the machine could
  // read every user's record. Made here first, owner-only; an existing file keeps its mode.
  const created = path !== MEMORY && ensurePrivateFile(path);
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  // Commits are made durable by the group fsync in sqlite-connection.ts, not inside COMMIT.
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: durableSqliteDialect(database, path, onChange) });
  await migrate(db);
  // SQLite gives -wal and -shm the mode of the database file (findCreateFileMode in its unix
  // VFS); set once more here, now that the migration made them, so the mode never hangs on it.
  if (created) for (const sidecar of [`${path}-wal`, `${path}-shm`]) if (existsSync(sidecar)) makePrivate(sidecar);
  return { db, database };
}

async function migrate(db: Kysely<Database>): Promise<void> {
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) throw error;
}
