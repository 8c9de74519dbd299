import type BetterSqlite3 from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { groupFsync } from './group-fsync.js';
import { type TableChanged, writtenTable } from './written-table.js';
import { SqliteDialect, SqliteDriver, type CompiledQuery, type DatabaseConnection, type QueryResult, type SqliteDatabase, type SqliteDialectConfig, type SqliteStatement } from 'kysely';

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
 *   fsynced on a thread of its own before the caller continues. One fsync covers every commit
 *   made before it started, so concurrent writers share it. Nothing is acknowledged before it
 *   is on disk, as with FULL. (NORMAL still syncs the WAL before each checkpoint and the
 *   database after it.)
 */
export function durableSqliteDialect(database: BetterSqlite3.Database, path: string, onChange: TableChanged = () => {}): SqliteDialect {
  let wrote = false;
  const statements = new Map<string, SqliteStatement>();
  // The statements that take the write lock by themselves when run outside a transaction.
  const writers = new WeakSet<SqliteStatement>();
  // An in-memory database has no file to make durable.
  const wal = path === ':memory:' ? { sync: async () => {}, close: () => {} } : groupFsync(`${path}-wal`);
  const cached: SqliteDatabase = {
    close() {
      wal.close();
      database.close();
    },
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        const prepared = database.prepare(sql);
        // Statements that changed something note that a sync is due. Transaction control
        // (BEGIN, COMMIT, ROLLBACK) changes nothing itself, and a statement that matched no
        // row needs no sync: an idle server's outbox polls then cost no fsync.
        const control = /^\s*(begin|commit|rollback|end)\b/i.test(sql);
        // The table a statement writes, told to the read cache whenever it changes rows.
        const table = writtenTable(sql);
        statement =
          prepared.readonly || control
            ? prepared
            : {
                reader: prepared.reader,
                all(parameters) {
                  const rows = prepared.all(parameters as unknown[]);
                  if (rows.length > 0) {
                    wrote = true;
                    onChange(table);
                  }
                  return rows;
                },
                iterate(parameters) {
                  wrote = true;
                  onChange(table);
                  return prepared.iterate(parameters as unknown[]);
                },
                run(parameters) {
                  const result = prepared.run(parameters as unknown[]);
                  if (result.changes > 0) {
                    wrote = true;
                    onChange(table);
                  }
                  return result;
                },
              };
        // Savepoints (which open a deferred transaction), pragmas and statements that cannot run
        // in a transaction are left as they are.
        if (!prepared.readonly && !control && !/^\s*(savepoint|release|pragma|vacuum|attach|detach)\b/i.test(sql)) writers.add(statement);
        // Queries built with variable IN lists differ in text; keep the cache bounded.
        if (statements.size >= 1_000) statements.clear();
        statements.set(sql, statement);
      }
      return statement;
    },
  };
  const config: SqliteDialectConfig = { database: cached };
  return new (class extends SqliteDialect {
    override createDriver() {
      return new (class extends SqliteDriver {
        override async acquireConnection(): Promise<DatabaseConnection> {
          return lockingWrites(database, await super.acquireConnection(), (sql) => writers.has(cached.prepare(sql)));
        }

        override async releaseConnection(): Promise<void> {
          // Decided before the connection passes on: the next holder may open a transaction.
          const due = wrote && !database.inTransaction;
          if (due) wrote = false;
          await super.releaseConnection();
          if (due) await wal.sync();
        }
      })(config);
    }
  })(config);
}

/** How long a write outside a transaction waits for another connection's write lock before failing. */
const LOCK_WAIT_MS = 5000;
/** The longest pause between two tries for the lock. */
const MAX_PAUSE_MS = 10;

/**
 * The connection, with every write made outside a transaction (an UPDATE ... RETURNING that
 * claims outbox rows, a counter reset) run in a BEGIN IMMEDIATE ... COMMIT of its own, the lock
 * waited for asynchronously. Left to itself, such a statement would wait for a busy lock inside
 * SQLite (busy_timeout), synchronously: the event loop stalls for as long as another process or
 * the import writer thread (sqlite-writer.ts) holds the lock, and when the holder is another
 * connection of this same thread (a transaction between two of its statements, waiting for the
 * event loop) it can never finish: the wait ends in SQLITE_BUSY. Since the transactions give
 * their connection back between tries for the lock (sqlite-transactions.ts), such writes run
 * exactly while the lock is taken. Statements inside a transaction need no wait of their own:
 * BEGIN IMMEDIATE took the lock before them.
 */
function lockingWrites(database: BetterSqlite3.Database, connection: DatabaseConnection, writes: (sql: string) => boolean): WriteLockConnection {
  return {
    tryWriteLock: (last) => tryBeginImmediate(database, last),
    executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      if (database.inTransaction || !writes(query.sql)) return connection.executeQuery<R>(query);
      return (async () => {
        await beginImmediate(database);
        try {
          const result = await connection.executeQuery<R>(query);
          lockStatementsOf(database).commit.run();
          return result;
        } catch (err) {
          if (database.inTransaction) lockStatementsOf(database).rollback.run();
          throw err;
        }
      })();
    },
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  };
}

/**
 * The connection as this dialect hands it out: it also takes the write lock for a batch of
 * transactions (sqlite-transactions.ts), the same way it takes it for a write of its own.
 */
export interface WriteLockConnection extends DatabaseConnection {
  /** One try at BEGIN IMMEDIATE (tryBeginImmediate): true when taken, false when busy; on the `last` try busy is an error. */
  tryWriteLock(last: boolean): boolean;
}

/** What tryBeginImmediate runs, made once per database. */
interface LockStatements {
  /** The connection's busy_timeout as configured, to put back. */
  restore: string;
  begin: BetterSqlite3.Statement;
  commit: BetterSqlite3.Statement;
  rollback: BetterSqlite3.Statement;
}
const lockStatements = new WeakMap<BetterSqlite3.Database, LockStatements>();

/**
 * Made once per database: BEGIN and COMMIT prepared anew at every write outside a transaction,
 * and the busy_timeout read back each time, were a twentieth of a password sign-in's event-loop
 * time (bench/RESULTS.md, session 7). The configured busy_timeout is read once: only
 * tryBeginImmediate changes it, and it always puts it back. The pragmas that change it are not
 * kept prepared: SQLite applies busy_timeout when the statement is compiled, so a kept
 * statement's first run after another pragma changed it would change nothing. They are run with
 * exec, which compiles and runs them without making a Statement object: a quarter of the cost of
 * `pragma()` (2 µs against 8 µs a pair on this machine, bench/RESULTS.md, session 8), paid by
 * every write.
 */
function lockStatementsOf(database: BetterSqlite3.Database): LockStatements {
  let statements = lockStatements.get(database);
  if (statements === undefined) {
    statements = {
      restore: `PRAGMA busy_timeout = ${Math.trunc(database.pragma('busy_timeout', { simple: true }) as number)}`,
      begin: database.prepare('begin immediate'),
      commit: database.prepare('commit'),
      rollback: database.prepare('rollback'),
    };
    lockStatements.set(database, statements);
  }
  return statements;
}

/**
 * BEGIN IMMEDIATE takes the write lock at once, so two processes sharing the file serialize
 * their read-modify-write transactions instead of failing at commit. better-sqlite3 waits for a
 * busy lock synchronously, which would stall this process's event loop (and deadlock against
 * another connection of the same process), so it is tried without waiting: false when the lock
 * is busy (the caller waits asynchronously and tries again), an error on the `last` try.
 */
function tryBeginImmediate(database: BetterSqlite3.Database, last: boolean): boolean {
  const { restore, begin } = lockStatementsOf(database);
  database.exec('PRAGMA busy_timeout = 0');
  try {
    begin.run();
    return true;
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_BUSY' || last) throw err;
    return false;
  } finally {
    database.exec(restore);
  }
}

/** Takes the write lock for a write of its own: tries, and pauses asynchronously between tries. */
async function beginImmediate(database: BetterSqlite3.Database): Promise<void> {
  const deadline = performance.now() + LOCK_WAIT_MS;
  for (let pauseMs = 1; !tryBeginImmediate(database, performance.now() >= deadline); pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS)) {
    await sleep(pauseMs);
  }
}
