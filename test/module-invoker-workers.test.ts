import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { buildCustomMessageEvent } from '../src/services/triggers/custom-message-runner.js';
import type { CustomMessageEvent } from '../src/services/triggers/custom-message.js';
import { createModuleInvoker, type ModuleInvoker } from '../src/services/triggers/module-invoker.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const COUNTER = join(FIXTURES, 'warm-counter-fn.mjs');
const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:warm';
const TIMEOUT = 'CustomMessage invocation failed due to error Socket timeout while invoking Lambda function.';

function event(mode?: string): CustomMessageEvent {
  return buildCustomMessageEvent({
    triggerSource: 'CustomMessage_ForgotPassword',
    region: 'eu-west-1',
    poolId: 'eu-west-1_AbCdEf123',
    user: { username: 'alice', attributes: { sub: '11111111-2222-3333-4444-555555555555' }, status: 'CONFIRMED' },
    clientId: 'client123',
    clientMetadata: mode === undefined ? {} : { mode },
  });
}

/** The fixture's answer: how many calls its module instance has served, and on which thread. */
async function served(invoker: ModuleInvoker, mode?: string): Promise<{ count: number; thread: number }> {
  const answered = (await invoker.invoke(ARN, event(mode))) as CustomMessageEvent;
  const [count, thread] = String(answered.response.smsMessage).split(' ').map(Number);
  return { count: count as number, thread: thread as number };
}

async function rejectsWith(promise: Promise<unknown>, name: string, message: string): Promise<void> {
  await assert.rejects(promise, (err: Error) => {
    assert.equal(err.name, name);
    assert.equal(err.message, message);
    return true;
  });
}

describe('module invoker: warm workers', () => {
  const invokers: ModuleInvoker[] = [];
  const make = (path: string, timeoutMs: number, maxWorkers?: number) => {
    const invoker = createModuleInvoker(path, timeoutMs, maxWorkers);
    invokers.push(invoker);
    return invoker;
  };
  after(async () => {
    await Promise.all(invokers.map((i) => i.close()));
  });

  it('imports the module once and serves later calls from the same worker', async () => {
    const invoker = make(COUNTER, 2000);
    const first = await served(invoker);
    const second = await served(invoker);
    assert.equal(first.count, 1);
    assert.deepEqual(second, { count: 2, thread: first.thread });
    assert.equal(invoker.liveWorkers(), 1);
  });

  it('keeps the worker after the function throws, as a warm Lambda does', async () => {
    const invoker = make(COUNTER, 2000);
    const first = await served(invoker);
    await rejectsWith(served(invoker, 'throw'), 'UserLambdaValidationException', 'CustomMessage failed with error Asked to fail.');
    assert.deepEqual(await served(invoker), { count: 2, thread: first.thread });
  });

  it('terminates a worker that times out and starts a fresh one for the next call', async () => {
    // The limit covers the fresh worker's start too, so it leaves room for a loaded machine.
    const invoker = make(COUNTER, 1500);
    const first = await served(invoker);
    const started = Date.now();
    await rejectsWith(served(invoker, 'loop'), 'UnexpectedLambdaException', TIMEOUT);
    assert.ok(Date.now() - started < 6000, 'the timeout ends the wait');
    const next = await served(invoker);
    assert.equal(next.count, 1, 'a fresh import');
    assert.notEqual(next.thread, first.thread);
    assert.equal(invoker.liveWorkers(), 1);
  });

  it('replaces a worker whose thread exits', async () => {
    const invoker = make(COUNTER, 2000);
    const first = await served(invoker);
    await rejectsWith(served(invoker, 'exit'), 'UserLambdaValidationException', 'CustomMessage failed with error Runtime exited with error: exit status 3.');
    const next = await served(invoker);
    assert.equal(next.count, 1);
    assert.notEqual(next.thread, first.thread);
  });

  it('runs concurrent calls in separate workers, up to the limit, then queues them', async () => {
    const two = make(COUNTER, 2000, 2);
    const [a, b] = await Promise.all([served(two, 'slow'), served(two, 'slow')]);
    assert.notEqual(a.thread, b.thread);
    assert.equal(two.liveWorkers(), 2);

    const one = make(COUNTER, 2000, 1);
    const [c, d] = await Promise.all([served(one, 'slow'), served(one, 'slow')]);
    assert.equal(c.thread, d.thread);
    assert.deepEqual([c.count, d.count].sort(), [1, 2]);
    assert.equal(one.liveWorkers(), 1);
  });

  it('counts the wait for a busy worker in the time limit', async () => {
    // The limit covers the replacement worker's start too (the last call): 250 ms was exceeded
    // by a fresh worker's start with four test files running on two cores.
    const invoker = make(COUNTER, 1000, 1);
    const looping = served(invoker, 'loop');
    const waiting = served(invoker);
    await rejectsWith(looping, 'UnexpectedLambdaException', TIMEOUT);
    await rejectsWith(waiting, 'UnexpectedLambdaException', TIMEOUT);
    assert.equal((await served(invoker)).count, 1);
  });

  it('re-imports the module when its file changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'userpoold-module-'));
    try {
      const path = join(dir, 'fn.mjs');
      const write = (text: string, mtime: number) => {
        writeFileSync(path, `export const handler = (event) => { event.response.smsMessage = '${text}'; return event; };\n`);
        utimesSync(path, mtime, mtime);
      };
      write('first', 1_700_000_000);
      const invoker = make(path, 2000);
      const say = async () => ((await invoker.invoke(ARN, event())) as CustomMessageEvent).response.smsMessage;
      assert.equal(await say(), 'first');
      write('second', 1_700_000_100);
      assert.equal(await say(), 'second');
      assert.equal(invoker.liveWorkers(), 1, 'the worker of the old file is gone');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('close() terminates the workers: the call in flight fails and later calls are refused', async () => {
    const invoker = make(COUNTER, 2000);
    await served(invoker);
    const inFlight = served(invoker, 'slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await invoker.close();
    assert.equal(invoker.liveWorkers(), 0);
    await rejectsWith(inFlight, 'UserLambdaValidationException', 'CustomMessage failed with error Runtime exited with error: exit status 1.');
    await rejectsWith(served(invoker), 'UnexpectedLambdaException', 'CustomMessage invocation failed due to error ServiceException.');
  });

  it('never keeps the process alive with an idle worker, even when close() is not called', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'userpoold-idle-'));
    try {
      const script = join(dir, 'idle.mts');
      const invoker = pathToFileURL(join(ROOT, 'src/services/triggers/module-invoker.ts')).href;
      writeFileSync(
        script,
        `import { createModuleInvoker } from ${JSON.stringify(invoker)};\n` +
          `const invoker = createModuleInvoker(${JSON.stringify(COUNTER)}, 2000);\n` +
          `const answered = await invoker.invoke('arn', { triggerSource: 'CustomMessage_SignUp', request: {}, response: {} });\n` +
          `console.log(answered.response.smsMessage.split(' ')[0], invoker.liveWorkers());\n`,
      );
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, timeout: 20_000 });
      assert.equal(stdout.trim(), '1 1', 'served, with its worker still alive, and then the process ended');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
