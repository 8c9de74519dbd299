import { setTimeout as sleep } from 'node:timers/promises';
import { CompiledQuery, type DatabaseConnection, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import { holdConnection, releaseConnection } from './held-connection.js';
import type { BatchListener } from './read-cache.js';
import type { WriteLockConnection } from './sqlite-connection.js';

/**
 * SQLite transactions, several to one COMMIT. The transactions that are waiting when the
 * connection comes free run one after another inside a single BEGIN IMMEDIATE ... COMMIT, each
 * in a SAVEPOINT of its own: one that throws is rolled back alone and its caller gets the
 * error; the others are unaffected. Nobody hears back before the COMMIT (and the group fsync
 * that follows it, sqlite-connection.ts) has succeeded; if the COMMIT fails, every transaction
 * of the batch gets that error, as none of them is stored.
 *
 * Why: a COMMIT writes each changed page to the WAL, and the pages that every reset or sign-up
 * touches (the outbox's, the codes', their indexes') are shared by the whole batch, so they
 * are written once per batch instead of once per request; BEGIN and COMMIT are paid once too.
 * They serialized on the one connection before as well, so isolation is unchanged.
 */
export type RunTransaction = <T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>) => Promise<T>;

/** A bound on how long reads outside transactions wait behind one batch. */
const MAX_BATCH = 16;

/** How long a SQLite transaction waits for another connection's write lock before failing. */
const LOCK_WAIT_MS = 5000;
/** The longest pause between two tries for the lock. */
const MAX_PAUSE_MS = 10;

interface Waiting {
  fn: (trx: Transaction<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export function batchedSqliteTransactions(): RunTransaction {
  const queue: Waiting[] = [];
  let draining = false;

  const drain = async (db: Kysely<Database>): Promise<void> => {
    draining = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, MAX_BATCH);
        let outcomes: Outcome[];
        try {
          outcomes = await runWhenUnlocked(db, batch);
        } catch (err) {
          outcomes = batch.map(() => ({ ok: false, error: err }));
        }
        batch.forEach((waiting, i) => {
          const outcome = outcomes[i] as Outcome;
          if (outcome.ok) waiting.resolve(outcome.value);
          else waiting.reject(outcome.error);
        });
      }
    } finally {
      draining = false;
    }
  };

  return <T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!draining) void drain(db);
    });
}

/**
 * The store's read cache, told where each batch and each of its transactions end (its
 * write-through waits for the COMMIT: read-cache.ts keepAfterCommit), by the Kysely instance
 * the store's transactions are begun on.
 */
const listeners = new WeakMap<object, BatchListener>();

export function listenToBatches(db: Kysely<Database>, listener: BatchListener): void {
  listeners.set(db, listener);
}

/**
 * Runs the batch once this connection has the write lock. While another connection holds it (a
 * CLI command, another process, the import writer thread: sqlite-writer.ts), the connection is
 * given back between tries, so this process's reads go on meanwhile instead of queueing behind
 * a transaction that waits (AdminGetUser waited whole import batches, bench/RESULTS.md). The
 * writes it lets run meanwhile outside transactions wait for the lock asynchronously as well
 * (sqlite-connection.ts): SQLite's own synchronous wait would hold the event loop, and with it
 * the holder when that is another connection of this process.
 */
async function runWhenUnlocked(db: Kysely<Database>, batch: readonly Waiting[]): Promise<Outcome[]> {
  const deadline = performance.now() + LOCK_WAIT_MS;
  for (let pauseMs = 1; ; pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS)) {
    const last = performance.now() >= deadline;
    const outcomes = await db.connection().execute(async (conn) => {
      // The connection this Kysely instance holds, for the precompiled statements of the batch
      // and the control statements of runBatch (held-connection.ts).
      const connection = await conn.getExecutor().provideConnection(async (c) => c);
      return takeWriteLock(connection, last) ? runBatch(conn, connection, batch, listeners.get(db)) : undefined;
    });
    if (outcomes) return outcomes;
    await sleep(pauseMs);
  }
}

/**
 * The transaction control statements, compiled once: built from a template on every call they
 * cost Kysely's parse and compile each time, two per request and the COMMIT per batch (BEGIN
 * IMMEDIATE is the connection's own: sqlite-connection.ts tryWriteLock).
 */
const SAVEPOINT = CompiledQuery.raw('savepoint batched');
const RELEASE = CompiledQuery.raw('release batched');
const ROLLBACK_TO = CompiledQuery.raw('rollback to batched');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');

/** Runs the batch in the transaction just begun; throws (so that all fail) when it cannot commit. */
async function runBatch(conn: Kysely<Database>, connection: DatabaseConnection, batch: readonly Waiting[], listener: BatchListener | undefined): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  listener?.batchBegan();
  holdConnection(conn, connection);
  try {
    for (const waiting of batch) {
      await connection.executeQuery(SAVEPOINT);
      try {
        // The connection is in a transaction that Kysely did not open; the repositories only
        // need its query methods.
        const value = await waiting.fn(conn as unknown as Transaction<Database>);
        await connection.executeQuery(RELEASE);
        listener?.transactionEnded(true);
        outcomes.push({ ok: true, value });
      } catch (error) {
        listener?.transactionEnded(false);
        // If SQLite itself ended the transaction (disk full, I/O error), this throws and the
        // whole batch fails: what the others did is gone with it.
        await connection.executeQuery(ROLLBACK_TO);
        await connection.executeQuery(RELEASE);
        outcomes.push({ ok: false, error });
      }
    }
    releaseConnection(conn);
    await connection.executeQuery(COMMIT);
    listener?.batchEnded(true);
    return outcomes;
  } catch (err) {
    listener?.batchEnded(false);
    releaseConnection(conn);
    await connection.executeQuery(ROLLBACK).catch(() => undefined);
    throw err;
  }
}

let lockEpoch = 0;

/**
 * Moves each time a batch of this process has taken SQLite's write lock. While a batch holds it
 * no other connection can commit, so the read cache asks PRAGMA data_version once per epoch
 * inside transactions instead of at every read (read-cache.ts). One counter for every store of
 * the process: another store's batch only makes the next check come sooner.
 */
export function writeLockEpoch(): number {
  return lockEpoch;
}

/**
 * The write lock for a batch, taken by the connection as it takes it for a write of its own
 * (sqlite-connection.ts tryWriteLock): one try, false when another connection holds it.
 */
function takeWriteLock(connection: DatabaseConnection, last: boolean): boolean {
  const taken = (connection as WriteLockConnection).tryWriteLock(last);
  if (taken) lockEpoch++;
  return taken;
}
