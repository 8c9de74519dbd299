import { CreateUserPoolCommand, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { killRunningChildren, startChildServer, stopChildServer, type ChildServer } from './support/child-server.js';
import { sdkClient } from './support/server.js';

/** Starts the server as a separate process on the given data folder and waits for its port. */
const startChild = (dataDir: string) => startChildServer(['--data-dir', dataDir]);

describe('durability', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-durability-'));
  const children: ChildServer[] = [];
  after(() => {
    killRunningChildren(children);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write when the process is killed with SIGKILL mid-stream', async (t) => {
    const first = await startChild(dataDir);
    children.push(first);
    const client = sdkClient(first.url);

    const WORKERS = 8;
    const KILL_AFTER = 60;
    const acknowledged = new Map<string, string>(); // pool id -> name
    let inFlight = 0;
    let inFlightAtKill = -1;
    let failedAfterKill = 0;
    let killed = false;

    const worker = async (w: number) => {
      for (let i = 0; ; i++) {
        const name = `w${w}-${i}`;
        inFlight++;
        try {
          const res = await client.send(new CreateUserPoolCommand({ PoolName: name }));
          acknowledged.set(res.UserPool?.Id as string, name);
        } catch (err) {
          // After the kill every outstanding or new request fails: that ends this writer.
          assert.ok(killed, `a write failed before the kill: ${String(err)}`);
          failedAfterKill++;
          return;
        } finally {
          inFlight--;
        }
        if (!killed && acknowledged.size >= KILL_AFTER) {
          killed = true;
          inFlightAtKill = inFlight;
          first.process.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    client.destroy();

    const { signal } = await first.exited;
    assert.equal(signal, 'SIGKILL');
    assert.ok(inFlightAtKill > 0, `no request was in flight at the kill (${inFlightAtKill})`);
    assert.equal(failedAfterKill, WORKERS, 'every writer should have seen a failure after the kill');
    assert.ok(acknowledged.size >= KILL_AFTER);
    t.diagnostic(`${acknowledged.size} acknowledged, ${inFlightAtKill} in flight at the kill, ${failedAfterKill} failed after it`);

    const second = await startChild(dataDir);
    children.push(second);
    const again = sdkClient(second.url);
    try {
      for (const [id, name] of acknowledged) {
        const described = await again.send(new DescribeUserPoolCommand({ UserPoolId: id }));
        assert.equal(described.UserPool?.Name, name, `pool ${id}`);
      }
    } finally {
      again.destroy();
      await stopChildServer(second);
    }
  });
});
