import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestArrived } from '../src/kernel/request-epoch.js';
import { createReadCache } from '../src/storage/read-cache.js';

// The SQLite read cache checks for other processes' commits once for all the requests of a turn,
// in its check phase (read-cache.ts, shareRequestChecks). It must stay exact: every request is
// answered after every commit acknowledged before it arrived, whether it arrived before the
// shared check was scheduled, while it waited, or after it ran; and a failing check fails the
// reads that wait for it instead of leaving them waiting.
describe('read cache: one check for the requests of a turn', () => {
  const setup = (share = true) => {
    let counter = 0;
    let asked = 0;
    let failing = false;
    /** What the database holds; another process's commit changes it and moves the counter. */
    const rows = new Map<string, string>([['alice', 'v1']]);
    const cache = createReadCache(
      () => {
        asked++;
        if (failing) throw new Error('disk I/O error');
        return counter;
      },
      undefined,
      share,
    );
    const read = (key: string) => cache.read('users', key, async () => rows.get(key));
    return {
      read,
      asked: () => asked,
      foreignCommit: (key: string, value: string) => {
        rows.set(key, value);
        counter++;
      },
      fail: (on: boolean) => {
        failing = on;
      },
    };
  };
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('asks once for all the requests that arrived in a turn', async () => {
    const { read, asked } = setup();
    await nextTurn();
    const before = asked();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => {
        requestArrived();
        return read('alice');
      }),
    );
    assert.deepEqual(answers, Array(8).fill('v1'));
    assert.equal(asked() - before, 1);
  });

  it('answers a request after a commit acknowledged before it arrived, though the cache held the old value', async () => {
    const { read, foreignCommit } = setup();
    requestArrived();
    assert.equal(await read('alice'), 'v1');
    await nextTurn();
    requestArrived();
    assert.equal(await read('alice'), 'v1', 'cached');
    // Another process commits and acknowledges; then a request arrives here, in the same turn.
    foreignCommit('alice', 'v2');
    requestArrived();
    assert.equal(await read('alice'), 'v2');
  });

  it('covers a request that arrived while the shared check was waiting, and checks again for one that arrived after it ran', async () => {
    const { read, foreignCommit, asked } = setup();
    requestArrived();
    assert.equal(await read('alice'), 'v1');
    await nextTurn();
    requestArrived();
    const first = read('alice');
    foreignCommit('alice', 'v2');
    requestArrived();
    const second = read('alice');
    assert.deepEqual(await Promise.all([first, second]), ['v2', 'v2']);
    const after = asked();
    foreignCommit('alice', 'v3');
    requestArrived();
    assert.equal(await read('alice'), 'v3');
    assert.equal(asked() - after, 1);
  });

  it('keeps reads that no request asked for to one check per turn', async () => {
    const { read, asked } = setup();
    await nextTurn();
    const before = asked();
    // A timer's or a worker's reads: no request arrived, so no shared check, and no wait.
    assert.equal(await read('alice'), 'v1');
    assert.equal(await read('alice'), 'v1');
    assert.equal(asked() - before, 1);
  });

  it('fails the reads that wait for a check that fails, and checks again next time', async () => {
    const { read, fail } = setup();
    await nextTurn();
    fail(true);
    requestArrived();
    const outcomes = await Promise.allSettled([read('alice'), read('alice')]);
    assert.ok(outcomes.every((o) => o.status === 'rejected' && /disk I\/O error/.test(String(o.reason))));
    fail(false);
    requestArrived();
    assert.equal(await read('alice'), 'v1');
  });

  it('without sharing, checks at each request as it arrives', async () => {
    const { read, asked } = setup(false);
    await nextTurn();
    const before = asked();
    for (let i = 0; i < 4; i++) {
      requestArrived();
      await read('alice');
    }
    assert.equal(asked() - before, 4);
  });
});
