import { createRequire } from 'node:module';
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { BatchWriter, WriteStatement } from './batch-writer.js';

/**
 * A second SQLite connection on a thread of its own, for the large write transactions of user
 * imports. better-sqlite3 runs every statement synchronously, so on the server's connection a
 * transaction of thousands of inserts (with the users table's fifteen indexes, about 30 µs a
 * row) and its COMMIT (the WAL write, the checkpoints) would hold the event loop and the one
 * connection that every request needs: AdminGetUser waited hundreds of milliseconds behind
 * import batches (bench/RESULTS.md, "User import"). Here the thread does that work; the
 * server's connection keeps reading (WAL: readers never wait for the writer) and its own writes
 * wait for the write lock asynchronously (sqlite-transactions.ts). Other connections' commits
 * (this one's, for the server's connection) move PRAGMA data_version, so its read cache sees them.
 *
 * Durability: synchronous=NORMAL, so a COMMIT here writes the WAL without an fsync (checkpoints
 * still sync). A killed process loses nothing (the OS has the writes); a power loss may lose the
 * last batches, and then it loses them whole, with the job's progress written in the same
 * transaction, so the job resumes before them: no row twice, none lost, counts exact. No client
 * is answered on the strength of these commits, and the server's own commits still fsync the
 * WAL (sqlite-connection.ts), which covers every frame written before theirs. An fsync per
 * batch cost more wall time than the batch itself on a busy disk.
 *
 * The thread's code is plain CommonJS evaluated in the worker (like the fsync thread of
 * sqlite-connection.ts), so it runs the same from the sources, from dist/ and from a bundle;
 * the driver is resolved here and passed in.
 *
 * Throughput and memory (docs/import.md, "Throughput and memory"): the batches waiting when the
 * thread begins a transaction share it (up to groupBatches, each in a savepoint of its own): an import's index pages are then written to
 * the WAL once per group, not once per batch, and the thread checkpoints every checkpointPages
 * instead of SQLite's 1,000, so a page rewritten by several groups is copied to the database
 * file once. Its page cache and V8 young generation are bounded, for the process's RSS.
 */
const WRITER_THREAD = `
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('cache_size = -' + workerData.cacheKiB);
db.pragma('wal_autocheckpoint = ' + workerData.checkpointPages);
// The server's connection may hold the write lock (for a few milliseconds: its transactions are
// short). SQLite's own busy handler sleeps ever longer (up to 100 ms a try), so this thread
// tries every millisecond itself; the sleep blocks this thread only.
db.pragma('busy_timeout = 0');
const pause = new Int32Array(new SharedArrayBuffer(4));
const begin = () => {
  const deadline = Date.now() + workerData.busyTimeoutMs;
  for (;;) {
    try {
      prepare('begin immediate').run();
      return;
    } catch (err) {
      if (!err || err.code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw err;
    }
    Atomics.wait(pause, 0, 0, 1);
  }
};
const statements = new Map();
const prepare = (sql) => {
  let s = statements.get(sql);
  if (s === undefined) {
    if (statements.size >= 200) statements.clear();
    s = db.prepare(sql);
    statements.set(sql, s);
  }
  return s;
};
const failure = (err) => ({ message: String(err && err.message), code: err && err.code });
// One batch in the transaction begun, in a savepoint of its own: its guard (the first statement)
// changing no row, or a statement failing, undoes this batch alone.
const runBatch = (batch) => {
  prepare('savepoint batch').run();
  try {
    for (let i = 0; i < batch.sql.length; i++) {
      if (prepare(batch.sql[i]).run(batch.values[i]).changes === 0 && i === 0) {
        prepare('rollback to batch').run();
        prepare('release batch').run();
        return { id: batch.id, ok: false };
      }
    }
    prepare('release batch').run();
    return { id: batch.id, ok: true };
  } catch (err) {
    // A constraint failure leaves the transaction open: this batch is undone alone. When SQLite
    // itself ended the transaction (disk full, I/O error), the batches before it are gone too.
    if (!db.inTransaction) throw err;
    prepare('rollback to batch').run();
    prepare('release batch').run();
    return { id: batch.id, error: failure(err) };
  }
};
// The values as JSON, not as themselves: structured-cloning 40,000 values cost the event loop
// more than writing and copying one string (measured: 12 µs a row against about 3). Decoded
// before the transaction begins: the server's connection gets the write lock in between.
const decoded = (m) => ({ id: m.id, sql: m.sql, values: m.values.map((text) => JSON.parse(text)) });
let closing = false;
const close = () => {
  db.close();
  parentPort.close();
};
// Group commit: the batches already waiting join the first one's transaction, up to
// groupBatches. A COMMIT writes every page the transaction changed to the WAL; the pages of the
// indexes that every batch touches are then written once per group instead of once per batch.
// Nobody hears back before the COMMIT; if it fails, no batch of the group is stored.
const runGroup = (first) => {
  const group = [first];
  while (!closing && group.length < workerData.groupBatches) {
    const next = receiveMessageOnPort(parentPort);
    if (next === undefined) break;
    if (next.message === 'close') closing = true;
    // Asked to checkpoint before this work came: the imports go on, so not now.
    else if (next.message === 'checkpoint') parentPort.postMessage({ id: -1, checkpointed: false });
    else group.push(next.message);
  }
  const answers = [];
  try {
    const batches = group.map(decoded);
    begin();
    for (const batch of batches) answers.push(runBatch(batch));
    // Those arriving meanwhile wait for the next transaction: letting them join made the
    // server's own writes wait twice as long for the lock (p50 40 ms against 20), for no
    // throughput that could be told apart from the machine's noise.
    prepare('commit').run();
  } catch (err) {
    if (db.inTransaction) prepare('rollback').run();
    const error = failure(err);
    for (const m of group) parentPort.postMessage({ id: m.id, error });
    return;
  }
  for (const a of answers) parentPort.postMessage(a);
};
parentPort.on('message', (m) => {
  if (m === 'close') return close();
  if (m === 'checkpoint') {
    // Asked when the imports pause: what the WAL holds goes to the database file here, not in
    // the server connection's next commit, on the event loop.
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or failing: the server's own checkpoints will do it.
    }
    parentPort.postMessage({ id: -1, checkpointed: true });
    return;
  }
  try {
    runGroup(m);
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: failure(err) });
  }
  if (closing) close();
});
`;

interface Answer {
  id: number;
  ok?: boolean;
  error?: { message: string; code?: string };
  checkpointed?: boolean;
}

/** Told when the thread begins working and when it has nothing left to do. */
export interface WriterActivity {
  busy(): void;
  idle(): void;
}

/**
 * The thread's connection. Measured with bench/run.ts --only import (bench/RESULTS.md, "User
 * import"); see docs/import.md, "Throughput and memory".
 */
const TUNING = {
  /** Batches waiting when one is done join its transaction (group commit), up to this many. */
  groupBatches: 4,
  /** WAL pages after which a commit of the thread checkpoints (SQLite's default: 1,000). */
  checkpointPages: 4000,
  /** The connection's page cache (KiB). */
  cacheKiB: 8000,
  /** Idle this long, the thread checkpoints before the server's connection takes that back. */
  idleCheckpointMs: 200,
  /** The thread's V8 young generation (MB). */
  youngGenerationMb: 2,
};

/** The event loop's share of a write runs in slices of about this long between yields. */
const SLICE_MS = 4;

export function sqliteWriter(path: string, activity?: WriterActivity, busyTimeoutMs = 5000): BatchWriter {
  let thread: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (ok: boolean) => void; reject: (err: Error) => void }>();
  /** Between activity.busy() and activity.idle(). */
  let busy = false;
  let idleTimer: NodeJS.Timeout | undefined;
  /** When the last write begun was handed to the thread. */
  let handedOver = Promise.resolve();
  const tuning = TUNING;
  const setIdle = () => {
    if (!busy) return;
    busy = false;
    activity?.idle();
  };
  const fail = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    clearTimeout(idleTimer);
    setIdle();
    thread = undefined;
  };
  const started = (): Worker => {
    if (thread) return thread;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const t = new Worker(WRITER_THREAD, {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: tuning.youngGenerationMb },
      workerData: { path, driver, busyTimeoutMs, groupBatches: tuning.groupBatches, checkpointPages: tuning.checkpointPages, cacheKiB: tuning.cacheKiB },
    });
    t.on('message', (answer: Answer) => {
      if (answer.checkpointed !== undefined) {
        if (pending.size === 0) setIdle();
        return;
      }
      const p = pending.get(answer.id);
      if (!p) return;
      pending.delete(answer.id);
      if (pending.size === 0) {
        t.unref();
        // Not at once: between two batches of an import the queue empties for a moment.
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => {
          if (pending.size === 0 && thread === t) t.postMessage('checkpoint');
        }, tuning.idleCheckpointMs);
        idleTimer.unref();
      }
      if (answer.error) p.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
      else p.resolve(answer.ok === true);
    });
    t.on('error', (err) => fail(err));
    t.on('exit', () => fail(new Error('the SQLite writer thread exited')));
    t.unref();
    thread = t;
    return t;
  };
  return {
    async write(statements: readonly WriteStatement[]): Promise<boolean> {
      // A statement at a time, yielding when a slice's time is up, so that requests run in
      // between. Not after every statement: the batch's values would then live through the
      // yields, and with several batches in flight, the young generation's collections copied
      // and promoted them (measured: twice the garbage collector's time).
      const sql: string[] = [];
      const values: string[] = [];
      // Transactions are handed to the thread in the order `write` was called (a later call
      // with less to encode would otherwise overtake).
      const before = handedOver;
      let done = () => {};
      handedOver = new Promise<void>((resolve) => (done = resolve));
      try {
        let sliceFrom = performance.now();
        for (const statement of statements) {
          sql.push(statement.sql);
          values.push(JSON.stringify(statement.parameters));
          if (performance.now() - sliceFrom >= SLICE_MS) {
            await yieldToOthers();
            sliceFrom = performance.now();
          }
        }
        await before;
        const t = started();
        const id = nextId++;
        return await new Promise<boolean>((resolve, reject) => {
          clearTimeout(idleTimer);
          if (!busy) {
            busy = true;
            activity?.busy();
          }
          pending.set(id, { resolve, reject });
          // Busy, the thread keeps the process alive until it answers; idle, it must not.
          t.ref();
          t.postMessage({ id, sql, values });
          done();
        });
      } finally {
        done();
      }
    },
    async close() {
      const t = thread;
      if (!t) return;
      thread = undefined;
      clearTimeout(idleTimer);
      await new Promise<void>((resolve) => {
        t.once('exit', () => resolve());
        t.ref();
        t.postMessage('close');
      });
    },
  };
}
