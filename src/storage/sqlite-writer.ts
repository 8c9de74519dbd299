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
 */
const WRITER_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
// The server's connection may hold the write lock (for a few milliseconds: its transactions are
// short). SQLite's own busy handler sleeps ever longer (up to 100 ms a try), so this thread
// tries every millisecond itself; the sleep blocks this thread only.
db.pragma('busy_timeout = 0');
const X = JSON.parse(process.env.WX || '{}');
if (X.cache) db.pragma('cache_size = ' + X.cache);
if (X.ckpt) db.pragma('wal_autocheckpoint = ' + X.ckpt);
const T = { parse: 0, begin: 0, run: 0, commit: 0, n: 0 };
const now = () => performance.now();
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
parentPort.on('message', (m) => {
  if (m === 'close') {
    if (X.debug) console.error('writer', JSON.stringify(Object.fromEntries(Object.entries(T).map(([k, v]) => [k, Math.round(v)]))));
    db.close();
    parentPort.close();
    return;
  }
  try {
    // JSON, not the statements themselves: structured-cloning 40,000 values cost the event loop
    // more than writing and copying one string (measured: 12 µs a row against about 3).
    let t = now();
    const list = m.statements.map((text) => JSON.parse(text));
    T.parse += now() - t; t = now();
    begin();
    T.begin += now() - t; t = now();
    let ok = true;
    try {
      for (let i = 0; i < list.length; i++) {
        const { sql, parameters } = list[i];
        const result = prepare(sql).run(parameters);
        if (i === 0 && result.changes === 0) {
          ok = false;
          break;
        }
      }
    } catch (err) {
      if (db.inTransaction) prepare('rollback').run();
      throw err;
    }
    T.run += now() - t; t = now();
    prepare(ok ? 'commit' : 'rollback').run();
    T.commit += now() - t; T.n++;
    parentPort.postMessage({ id: m.id, ok });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: { message: String(err && err.message), code: err && err.code } });
  }
});
`;

interface Answer {
  id: number;
  ok?: boolean;
  error?: { message: string; code?: string };
}

/** Told when the thread begins working and when it has nothing left to do. */
export interface WriterActivity {
  busy(): void;
  idle(): void;
}

export function sqliteWriter(path: string, activity?: WriterActivity, busyTimeoutMs = 5000): BatchWriter {
  let thread: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (ok: boolean) => void; reject: (err: Error) => void }>();
  const fail = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    if (pending.size > 0) activity?.idle();
    pending.clear();
    thread = undefined;
  };
  const started = (): Worker => {
    if (thread) return thread;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const t = new Worker(WRITER_THREAD, { eval: true, workerData: { path, driver, busyTimeoutMs } });
    t.on('message', (answer: Answer) => {
      const p = pending.get(answer.id);
      if (!p) return;
      pending.delete(answer.id);
      if (pending.size === 0) {
        t.unref();
        activity?.idle();
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
      // A statement at a time, yielding between, so that requests run in between.
      const texts: string[] = [];
      for (const statement of statements) {
        texts.push(JSON.stringify(statement));
        await yieldToOthers();
      }
      const t = started();
      const id = nextId++;
      return new Promise<boolean>((resolve, reject) => {
        if (pending.size === 0) activity?.busy();
        pending.set(id, { resolve, reject });
        // Busy, the thread keeps the process alive until it answers; idle, it must not.
        t.ref();
        t.postMessage({ id, statements: texts });
      });
    },
    async close() {
      const t = thread;
      if (!t) return;
      thread = undefined;
      await new Promise<void>((resolve) => {
        t.once('exit', () => resolve());
        t.ref();
        t.postMessage('close');
      });
    },
  };
}
