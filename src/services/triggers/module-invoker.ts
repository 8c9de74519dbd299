import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LambdaInvoker } from './custom-message.js';
import type { TriggerEvent } from './trigger-event.js';
import { TIMEOUT_CAUSE, functionFailed, invocationFailed, parseLambdaOutput } from './lambda-outcome.js';
import { MODULE_WORKER_SOURCE, type ModuleWorkerAnswer, type ModuleWorkerCall } from './module-worker-source.js';

/** Workers per module: concurrent invocations beyond this wait (inside their time limit) for one to be free. */
export const DEFAULT_MAX_WORKERS = 4;

/** Said in place of a cause when the invoker has been closed (the server is stopping). */
const CLOSED_CAUSE = 'ServiceException';

/** A module trigger's invoker; liveWorkers() is for tests and diagnostics. */
export interface ModuleInvoker extends LambdaInvoker {
  close(): Promise<void>;
  liveWorkers(): number;
}

/** One worker thread: a warm execution environment serving one invocation at a time. */
interface Slot {
  worker: Worker;
  /** The module file's version this worker imported (or will import). */
  version: string;
  call?: Call;
  dead: boolean;
}

interface Call {
  id: number;
  functionArn: string;
  event: TriggerEvent;
  resolve(event: TriggerEvent): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
  slot?: Slot;
  done: boolean;
}

/**
 * A local ES module exporting `handler(event)`, run in worker threads with a time limit.
 *
 * Importing a module in a fresh worker costs tens of milliseconds, so workers are kept warm, as
 * Lambda keeps execution environments: each imports the module once and then serves invocations
 * by message, one at a time (at most `maxWorkers` of them, started as concurrency needs them).
 * The guarantees of a worker per call remain where they matter:
 * - a call that outlives `timeoutMs` fails with Cognito's timeout error and its worker is
 *   terminated (a function that loops forever cannot be stopped any other way); the next call
 *   gets a fresh worker, so a fresh import;
 * - a worker that dies (an error thrown outside the handler's promise, process.exit) fails the
 *   call it was running and is replaced;
 * - when the module file changes (mtime or size), workers that imported the old file are retired
 *   and the next call imports the new one, so editing a trigger takes effect without a restart.
 *   Only the file named in the triggers file is watched; files it imports are fresh in the new
 *   worker too, but changing only them does not retire the warm ones.
 * Workers are unref'd, so idle ones never keep the process alive; close() terminates them all.
 */
export function createModuleInvoker(modulePath: string, timeoutMs: number, maxWorkers = DEFAULT_MAX_WORKERS): ModuleInvoker {
  const url = pathToFileURL(modulePath).href;
  const name = modulePath.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  const slots = new Set<Slot>();
  const queue: Call[] = [];
  let version = '';
  let nextId = 0;
  let closed = false;

  // A stat per call (microseconds) is what lets an edited file take effect.
  const fileVersion = (): string => {
    const stats = statSync(modulePath, { throwIfNoEntry: false });
    return stats ? `${stats.mtimeMs}:${stats.size}` : 'missing';
  };

  const settle = (call: Call, outcome: { event: TriggerEvent } | { error: unknown }) => {
    if (call.done) return;
    call.done = true;
    clearTimeout(call.timer);
    if ('event' in outcome) call.resolve(outcome.event);
    else call.reject(outcome.error);
  };

  const retire = (slot: Slot) => {
    if (slot.dead) return;
    slot.dead = true;
    slots.delete(slot);
    void slot.worker.terminate();
  };

  /** The worker ended (or must end) while running `slot.call`: that call fails with `error`. */
  const lose = (slot: Slot, error: (event: TriggerEvent) => unknown) => {
    const call = slot.call;
    slot.call = undefined;
    retire(slot);
    if (call) settle(call, { error: error(call.event) });
    pump();
  };

  const spawn = (): Slot => {
    const worker = new Worker(MODULE_WORKER_SOURCE, { eval: true, workerData: { url, name } });
    const slot: Slot = { worker, version, dead: false };
    slots.add(slot);
    worker.on('message', (answer: ModuleWorkerAnswer) => {
      const call = slot.call;
      if (!call || call.id !== answer.id) return;
      slot.call = undefined;
      if (!answer.ok) settle(call, { error: functionFailed(call.event, answer.message) });
      else {
        try {
          settle(call, { event: parseLambdaOutput(answer.output) });
        } catch (err) {
          settle(call, { error: err });
        }
      }
      // A worker of an older version of the file finishes its call, then goes.
      if (slot.version !== version || closed) retire(slot);
      pump();
    });
    // An error thrown outside the handler's promise (a stray timer) ends the run, as in Lambda.
    worker.on('error', (err: Error) => lose(slot, (event) => functionFailed(event, err.message)));
    worker.on('exit', (code) => lose(slot, (event) => functionFailed(event, `Runtime exited with error: exit status ${code}`)));
    // After the listeners: adding a 'message' listener refs the worker again. A call in flight
    // keeps the process alive through its timer.
    worker.unref();
    return slot;
  };

  /** Hands waiting calls to idle current workers, starting workers while under the limit. */
  function pump(): void {
    while (queue.length > 0 && !closed) {
      let slot: Slot | undefined;
      for (const s of slots) {
        if (!s.call && !s.dead && s.version === version) {
          slot = s;
          break;
        }
      }
      if (!slot && slots.size < maxWorkers) slot = spawn();
      if (!slot) return;
      const call = queue.shift() as Call;
      slot.call = call;
      call.slot = slot;
      const message: ModuleWorkerCall = { id: call.id, functionArn: call.functionArn, event: call.event };
      try {
        slot.worker.postMessage(message);
      } catch (err) {
        // The event could not be copied to the worker (not plain data): nothing ran.
        slot.call = undefined;
        settle(call, { error: err });
      }
    }
  }

  return {
    invoke(functionArn: string, event: TriggerEvent): Promise<TriggerEvent> {
      if (closed) return Promise.reject(invocationFailed(event, CLOSED_CAUSE));
      const current = fileVersion();
      if (current !== version) {
        version = current;
        for (const slot of [...slots]) if (!slot.call) retire(slot);
      }
      return new Promise<TriggerEvent>((resolve, reject) => {
        const call: Call = {
          id: ++nextId,
          functionArn,
          event,
          resolve,
          reject,
          done: false,
          // The limit covers any wait for a free worker, as Cognito's wait covers the whole call.
          timer: setTimeout(() => {
            const waiting = queue.indexOf(call);
            if (waiting >= 0) queue.splice(waiting, 1);
            settle(call, { error: invocationFailed(event, TIMEOUT_CAUSE) });
            if (call.slot && call.slot.call === call) lose(call.slot, () => undefined);
          }, timeoutMs),
        };
        queue.push(call);
        pump();
      });
    },
    liveWorkers: () => slots.size,
    async close() {
      closed = true;
      for (const call of queue.splice(0)) settle(call, { error: invocationFailed(call.event, CLOSED_CAUSE) });
      const workers = [...slots].map((s) => s.worker);
      for (const slot of [...slots]) {
        // Calls still running fail as if the runtime went away; the exit handler says so.
        slot.dead = true;
        slots.delete(slot);
      }
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
