import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../src/ports/store.js';
import type { OpenedStore } from '../support/dialects.js';
import { T0, storeContract } from './contract.js';

storeContract((onOpen) => {
  let opened: OpenedStore;
  let store: Store;
  onOpen((o) => {
    opened = o;
    store = o.store;
  });

  describe('counters', () => {
    it('counts within a window and restarts in a new one', async () => {
      const w1 = T0;
      const w2 = T0 + 3_600_000;
      assert.equal(await store.getCounter('k', w1), 0);
      assert.equal(await store.readCounter('k'), undefined);
      assert.equal(await store.incrementCounter('k', w1), 1);
      assert.equal(await store.incrementCounter('k', w1), 2);
      assert.equal(await store.incrementCounter('other', w1), 1);
      assert.equal(await store.getCounter('k', w1), 2);
      assert.deepEqual(await store.readCounter('k'), { windowStart: w1, count: 2 });
      assert.equal(await store.getCounter('k', w2), 0, 'another window reads as empty');
      assert.equal(await store.incrementCounter('k', w2), 1);
      assert.equal(await store.getCounter('k', w1), 0);
      assert.deepEqual(await store.readCounter('k'), { windowStart: w2, count: 1 });
      await store.resetCounter('k');
      assert.equal(await store.readCounter('k'), undefined);
      assert.equal(await store.getCounter('other', w1), 1);
    });

    it('sets a counter whatever it held, in a transaction and outside one', async () => {
      await store.setCounter('s', T0, 7);
      assert.deepEqual(await store.readCounter('s'), { windowStart: T0, count: 7 });
      await store.incrementCounter('s', T0, 2);
      await store.setCounter('s', T0 + 5, 1);
      assert.deepEqual(await store.readCounter('s'), { windowStart: T0 + 5, count: 1 }, 'the window moves with the value');
      await store.transaction(async (tx) => {
        await tx.setCounter('s', T0 + 9, 4);
        await tx.setCounter('t', T0, 3);
      });
      assert.deepEqual(await store.readCounter('s'), { windowStart: T0 + 9, count: 4 });
      assert.equal(await store.getCounter('t', T0), 3);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.setCounter('s', T0, 100);
          throw new Error('rolled back');
        }),
      );
      assert.deepEqual(await store.readCounter('s'), { windowStart: T0 + 9, count: 4 }, 'a rolled-back set leaves the counter as it was');
      const other = await opened.openAnother();
      assert.deepEqual(await other.readCounter('s'), { windowStart: T0 + 9, count: 4 });
    });

    it('loses no concurrent increments', async () => {
      const other = await opened.openAnother();
      const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : other).incrementCounter('k', T0)));
      assert.deepEqual([...counts].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
    });
  });
});
