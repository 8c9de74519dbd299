import { closeSync, openSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * The state word the two threads share: the event loop sets REQUESTED and wakes the thread,
 * which fsyncs and sets DONE or FAILED (the error's code in the bytes after the word).
 */
const IDLE = 0;
const REQUESTED = 1;
const DONE = 2;
const FAILED = 3;
const ERROR_BYTES = 60;

/**
 * The fsync runs on a thread of its own: on libuv's pool it would wait behind the argon2
 * hashes that fill that pool during a sign-in burst (measured: update p99 from 40 ms to 470 ms).
 * The two threads meet on a shared word (Atomics) rather than by messages: a postMessage and its
 * answer were 7% of a password sign-in's event-loop time, and a share of every write's
 * (bench/RESULTS.md, session 7).
 *
 * fdatasync, PostgreSQL's default for its own WAL on Linux (wal_sync_method; pg_test_fsync says
 * "fdatasync is Linux's default"): it makes the data durable and the metadata needed to read it
 * back (the file's size, POSIX's "synchronized I/O data integrity"), and skips the timestamps,
 * which saved a fifth to a third of each sync's CPU on this machine's ext4 (45–85 µs against
 * 58–99 µs per 8 KiB write and sync; bench/RESULTS.md, session 7). SQLite built without
 * HAVE_FDATASYNC, as better-sqlite3 builds it, calls fsync for its own syncs (checkpoints).
 */
const FSYNC_THREAD = `
const { workerData } = require('node:worker_threads');
const { fdatasyncSync } = require('node:fs');
const state = new Int32Array(workerData.shared, 0, 1);
const error = new Uint8Array(workerData.shared, 4);
for (;;) {
  const now = Atomics.load(state, 0);
  if (now !== ${REQUESTED}) {
    Atomics.wait(state, 0, now);
    continue;
  }
  let outcome = ${DONE};
  try {
    fdatasyncSync(workerData.fd);
  } catch (err) {
    outcome = ${FAILED};
    const text = String((err && err.code) || err).slice(0, ${ERROR_BYTES});
    error.fill(0);
    for (let i = 0; i < text.length; i++) error[i] = text.charCodeAt(i) & 0x7f;
  }
  Atomics.store(state, 0, outcome);
  Atomics.notify(state, 0);
}
`;

/** The error code the thread wrote (ASCII, zero-padded). */
function errorText(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return String.fromCharCode(...bytes.slice(0, end < 0 ? bytes.length : end));
}

export interface GroupFsync {
  /** Resolves once an fsync that started after this call has finished. */
  sync(): Promise<void>;
  close(): void;
}

/** fsync of one file, shared by every caller that arrives while none is waiting to start. */
export function groupFsync(path: string): GroupFsync {
  let fd: number | undefined;
  let thread: { worker: Worker; state: Int32Array; error: Uint8Array } | undefined;
  let waiting: ((error: string | null) => void) | undefined;
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;

  const start = () => {
    fd ??= openSync(path, 'r');
    const shared = new SharedArrayBuffer(4 + ERROR_BYTES);
    // Plain CommonJS whatever the process was started with (a loader, --input-type=module).
    const worker = new Worker(FSYNC_THREAD, { eval: true, workerData: { shared, fd }, execArgv: [] });
    const started = { worker, state: new Int32Array(shared, 0, 1), error: new Uint8Array(shared, 4) };
    // A thread that died takes its fsync with it; the next one starts a new thread.
    const lost = (reason: string) => {
      if (thread === started) thread = undefined;
      waiting?.(reason);
    };
    worker.on('error', (err) => lost(String(err)));
    worker.on('exit', (code) => lost(`the fsync thread stopped (${code})`));
    worker.unref();
    return started;
  };

  const once = () =>
    new Promise<void>((resolve, reject) => {
      const current = (thread ??= start());
      waiting = (error) => {
        waiting = undefined;
        // Idle, the thread must not keep the process alive; busy, it must.
        current.worker.unref();
        Atomics.store(current.state, 0, IDLE);
        if (error === null) resolve();
        else reject(new Error(`fsync of ${path} failed: ${error}`));
      };
      current.worker.ref();
      Atomics.store(current.state, 0, REQUESTED);
      Atomics.notify(current.state, 0);
      const answered = () => {
        if (waiting === undefined || thread !== current) return;
        const outcome = Atomics.load(current.state, 0);
        if (outcome === DONE) waiting(null);
        else if (outcome === FAILED) waiting(errorText(current.error));
      };
      const wait = Atomics.waitAsync(current.state, 0, REQUESTED);
      if (wait.async) void wait.value.then(answered);
      else answered();
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

  return {
    sync,
    close() {
      const closing = thread;
      thread = undefined;
      void closing?.worker.terminate();
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
