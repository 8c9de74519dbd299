/**
 * The program of a module trigger's worker thread (see module-invoker.ts). One worker is one
 * warm Lambda execution environment: it imports the module once, on its first invocation, and
 * then serves invocations one at a time, each sent as { id, functionArn, event } and answered
 * as { id, ok, output | message }. Module-level state survives between invocations, as it does
 * on a warm Lambda. A failed import is not kept, so the next invocation tries again.
 * Handlers may be async, return a value, or answer through the Lambda-style callback; the
 * answer crosses back as JSON text, as it would over the wire.
 */
export const MODULE_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let loading;
function load() {
  if (!loading) loading = import(workerData.url).catch((err) => { loading = undefined; throw err; });
  return loading;
}
async function run(functionArn, event) {
  const mod = await load();
  const handler = typeof mod.handler === 'function' ? mod.handler : mod.default && mod.default.handler;
  if (typeof handler !== 'function') throw new Error(workerData.name + '.handler is undefined or not exported');
  const context = { functionName: functionArn, invokedFunctionArn: functionArn, callbackWaitsForEmptyEventLoop: false };
  const result = await new Promise((resolve, reject) => {
    let settled = false;
    const callback = (err, value) => {
      if (settled) return;
      settled = true;
      if (err !== undefined && err !== null) reject(err); else resolve(value);
    };
    let returned;
    try {
      returned = handler(event, context, callback);
    } catch (err) {
      callback(err === undefined || err === null ? new Error(String(err)) : err);
      return;
    }
    if (returned && typeof returned.then === 'function') returned.then((v) => callback(null, v), (e) => callback(e === undefined || e === null ? new Error(String(e)) : e));
    else if (handler.length < 3) callback(null, returned);
  });
  const output = JSON.stringify(result);
  return output === undefined ? 'null' : output;
}
parentPort.on('message', (call) => {
  run(call.functionArn, call.event).then(
    (output) => parentPort.postMessage({ id: call.id, ok: true, output }),
    (err) => parentPort.postMessage({ id: call.id, ok: false, message: err instanceof Error ? err.message : String(err) }),
  );
});
`;

export type ModuleWorkerCall = { id: number; functionArn: string; event: unknown };
export type ModuleWorkerAnswer = { id: number; ok: true; output: string } | { id: number; ok: false; message: string };
