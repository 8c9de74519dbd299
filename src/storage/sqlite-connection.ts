import type BetterSqlite3 from 'better-sqlite3';
import { fsync, openSync } from 'node:fs';
import { SqliteDialect, SqliteDriver, type SqliteDatabase, type SqliteDialectConfig, type SqliteStatement } from 'kysely';

/**
 * The SQLite connection as Kysely sees it, with two changes that keep SQLite's guarantees and
 * remove its two largest costs on the request path (measured with bench/, see its RESULTS.md):
 *
 * - Prepared statements are kept and reused: Kysely prepares every query anew, which cost more
 *   CPU than running it.
 * - Group commit. With synchronous=FULL, SQLite fsyncs the WAL inside every COMMIT, on the event
 *   loop (about 2.3 ms here), so writes were capped near 400/s and every other request waited
 *   behind them. Instead the connection runs with synchronous=NORMAL (a commit writes the WAL
 *   but does not fsync it) and, once the connection is released after a write, the WAL file is
 *   fsynced on libuv's thread pool before the caller continues. One fsync covers every commit
 *   made before it started, so concurrent writers share it. Nothing is acknowledged before it
 *   is on disk, as with FULL. (NORMAL still syncs the WAL before each checkpoint and the
 *   database after it.)
 */
export function durableSqliteDialect(database: BetterSqlite3.Database, walPath: string): SqliteDialect {
  let wrote = false;
  const statements = new Map<string, SqliteStatement>();
  const cached: SqliteDatabase = {
    close: () => database.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        const prepared = database.prepare(sql);
        // Statements that can write (INSERT ... RETURNING reads too) note that a sync is due.
        statement = prepared.readonly
          ? prepared
          : {
              reader: prepared.reader,
              all(parameters) {
                wrote = true;
                return prepared.all(parameters as unknown[]);
              },
              iterate(parameters) {
                wrote = true;
                return prepared.iterate(parameters as unknown[]);
              },
              run(parameters) {
                wrote = true;
                return prepared.run(parameters as unknown[]);
              },
            };
        // Queries built with variable IN lists differ in text; keep the cache bounded.
        if (statements.size >= 1_000) statements.clear();
        statements.set(sql, statement);
      }
      return statement;
    },
  };
  const syncWal = groupFsync(walPath);
  const afterRelease = async () => {
    if (!wrote || database.inTransaction) return;
    wrote = false;
    await syncWal();
  };
  const config: SqliteDialectConfig = { database: cached };
  return new (class extends SqliteDialect {
    override createDriver() {
      return new (class extends SqliteDriver {
        override async releaseConnection(): Promise<void> {
          await super.releaseConnection();
          await afterRelease();
        }
      })(config);
    }
  })(config);
}

/** fsync of one file, shared by every caller that arrives while none is waiting to start. */
function groupFsync(path: string): () => Promise<void> {
  let fd: number | undefined;
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const once = () =>
    new Promise<void>((resolve, reject) => {
      fd ??= openSync(path, 'r');
      fsync(fd, (err) => (err ? reject(err) : resolve()));
    });
  const sync = (): Promise<void> => {
    if (running === undefined) {
      running = once().finally(() => {
        running = undefined;
      });
      return running;
    }
    // The fsync under way may have started before this caller's commit: wait for the next one.
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return sync();
      });
    return next;
  };
  return sync;
}
