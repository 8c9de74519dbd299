import { CreateUserPoolCommand, DescribeUserPoolCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqliteFile } from '../src/storage/sqlite.js';
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

  it('keeps every audit row at a clean stop, and after SIGKILL every row older than the flush interval', async (t) => {
    const auditDir = mkdtempSync(join(tmpdir(), 'userpoold-durability-audit-'));
    const server = await startChild(auditDir);
    children.push(server);
    const client = sdkClient(server.url);
    // Reads, each with its audit row, from 8 callers at once: 1,200 rows are more than two
    // whole batches (500), so rows keep arriving while batches are being written.
    const poolId = (await client.send(new CreateUserPoolCommand({ PoolName: 'audited' }))).UserPool?.Id as string;
    const described = (n: number) => describeMany(client, poolId, n);
    const before = await described(1_200);
    // Longer than the flush interval (200 ms) and the writing of what it flushes.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const last = await described(100);
    server.process.kill('SIGKILL');
    client.destroy();
    assert.equal((await server.exited).signal, 'SIGKILL');

    const store = await openSqliteFile(join(auditDir, 'userpoold.sqlite'));
    try {
      const kept = new Set((await store.listAudit({ limit: 10_000, poolId })).map((r) => r.requestId));
      assert.deepEqual(before.filter((id) => !kept.has(id)), [], 'rows recorded over 1.5 s before the kill');
      t.diagnostic(`of the last 100 rows, recorded just before the kill, ${last.filter((id) => kept.has(id)).length} were written`);
    } finally {
      await store.close();
    }

    // A clean stop writes every row, those of the last requests included.
    const again = await startChild(auditDir);
    children.push(again);
    const second = sdkClient(again.url);
    const cleanly = await describeMany(second, poolId, 700);
    second.destroy();
    assert.equal((await stopChildServer(again)).code, 0);
    const reopened = await openSqliteFile(join(auditDir, 'userpoold.sqlite'));
    try {
      const kept = new Set((await reopened.listAudit({ limit: 10_000, poolId })).map((r) => r.requestId));
      assert.deepEqual(cleanly.filter((id) => !kept.has(id)), [], 'rows recorded before a clean stop');
    } finally {
      await reopened.close();
      rmSync(auditDir, { recursive: true, force: true });
    }
  });
});

/** `n` DescribeUserPool calls from 8 callers at once; the request ids the server answered with. */
async function describeMany(client: CognitoIdentityProviderClient, poolId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const caller = async () => {
    while (next < n) {
      next++;
      const answer = await client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      ids.push(answer.$metadata.requestId as string);
    }
  };
  await Promise.all(Array.from({ length: 8 }, caller));
  assert.equal(new Set(ids).size, n);
  return ids;
}
