import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints on a thread of their own. SQLite checkpoints automatically inside the COMMIT
 * that pushes the WAL past 1,000 pages: it copies those pages into the database file and
 * fsyncs both, on the event loop, which stalled every request for tens of milliseconds several
 * times a second under write load (bench/RESULTS.md). The connection that serves requests turns
 * that off (wal_autocheckpoint = 0), and this thread, with a connection of its own, runs a
 * PASSIVE checkpoint (which never waits for readers or writers) whenever commits were made
 * since the last one, at most every INTERVAL_MS.
 */
export interface Checkpointer {
  /** Notes that a commit was made: cheap, called after every write transaction. */
  committed(): void;
  close(): void;
}

const INTERVAL_MS = 100;

const CHECKPOINT_THREAD = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const commits = new Int32Array(workerData.counter);
let seen = 0;
setInterval(() => {
  const now = Atomics.load(commits, 0);
  if (now === seen) return;
  seen = now;
  try {
    checkpoint.run();
  } catch {
    // Busy or failing now: the next interval tries again, and SQLite checkpoints on close.
  }
}, workerData.intervalMs);
`;

export function startCheckpointer(path: string): Checkpointer {
  const counter = new SharedArrayBuffer(4);
  const commits = new Int32Array(counter);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const thread = new Worker(CHECKPOINT_THREAD, { eval: true, workerData: { path, driver, counter, intervalMs: INTERVAL_MS } });
  // It must never keep the process alive, nor take it down: a failed checkpointer leaves the
  // WAL growing until the next start, when SQLite checkpoints.
  thread.unref();
  thread.on('error', () => undefined);
  return {
    committed: () => void Atomics.add(commits, 0, 1),
    close: () => void thread.terminate(),
  };
}
