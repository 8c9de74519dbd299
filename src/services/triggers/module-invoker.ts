import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LambdaInvoker } from './custom-message.js';
import type { TriggerEvent } from './trigger-event.js';
import { TIMEOUT_CAUSE, functionFailed, invocationFailed, parseLambdaOutput } from './lambda-outcome.js';

/**
 * The worker's program. It runs in its own thread so a function that loops forever can be
 * stopped (terminate) without stopping the server, and it imports the module afresh every
 * time, like a cold start. Handlers may be async, return a value, or answer through the
 * Lambda-style callback; the answer crosses back as JSON text, as it would over the wire.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  try {
    const mod = await import(workerData.url);
    const handler = typeof mod.handler === 'function' ? mod.handler : mod.default && mod.default.handler;
    if (typeof handler !== 'function') throw new Error(workerData.name + '.handler is undefined or not exported');
    const context = { functionName: workerData.functionArn, invokedFunctionArn: workerData.functionArn, callbackWaitsForEmptyEventLoop: false };
    const result = await new Promise((resolve, reject) => {
      let settled = false;
      const callback = (err, value) => {
        if (settled) return;
        settled = true;
        if (err !== undefined && err !== null) reject(err); else resolve(value);
      };
      let returned;
      try {
        returned = handler(workerData.event, context, callback);
      } catch (err) {
        callback(err === undefined || err === null ? new Error(String(err)) : err);
        return;
      }
      if (returned && typeof returned.then === 'function') returned.then((v) => callback(null, v), (e) => callback(e === undefined || e === null ? new Error(String(e)) : e));
      else if (handler.length < 3) callback(null, returned);
    });
    const output = JSON.stringify(result);
    parentPort.postMessage({ ok: true, output: output === undefined ? 'null' : output });
  } catch (err) {
    parentPort.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
  }
})();
`;

type WorkerAnswer = { ok: true; output: string } | { ok: false; message: string };

/** A local ES module exporting `handler(event)`, run in a worker thread with a time limit. */
export function createModuleInvoker(modulePath: string, timeoutMs: number): LambdaInvoker {
  const url = pathToFileURL(modulePath).href;
  const name = modulePath.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  return {
    invoke(functionArn: string, event: TriggerEvent): Promise<TriggerEvent> {
      return new Promise<TriggerEvent>((resolve, reject) => {
        const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { url, name, functionArn, event } });
        let done = false;
        const finish = (settle: () => void) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          settle();
          void worker.terminate();
        };
        const timer = setTimeout(() => finish(() => reject(invocationFailed(event, TIMEOUT_CAUSE))), timeoutMs);
        worker.once('message', (answer: WorkerAnswer) =>
          finish(() => {
            if (!answer.ok) return reject(functionFailed(event, answer.message));
            try {
              resolve(parseLambdaOutput(answer.output));
            } catch (err) {
              reject(err);
            }
          }),
        );
        // An error thrown outside the handler's promise (a stray timer) ends the run, as in Lambda.
        worker.once('error', (err: Error) => finish(() => reject(functionFailed(event, err.message))));
        worker.once('exit', (code) => finish(() => reject(functionFailed(event, `Runtime exited with error: exit status ${code}`))));
      });
    },
  };
}
