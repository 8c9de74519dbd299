import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutboxRecord } from '../../src/ports/outbox.js';
import type { Store } from '../../src/ports/store.js';
import type { OpenedStore } from '../support/dialects.js';
import { T0, message, storeContract } from './contract.js';

storeContract((onOpen) => {
  let opened: OpenedStore;
  let store: Store;
  onOpen((o) => {
    opened = o;
    store = o.store;
  });

  describe('outbox', () => {
    it('lists the newest messages oldest first, by pool, username and after an id', async () => {
      await store.enqueueMessage(message('m3', { createdAt: T0 + 2 }));
      await store.enqueueMessage(message('m1', { createdAt: T0 }));
      await store.enqueueMessage(message('m2b', { createdAt: T0 + 1 }));
      await store.enqueueMessage(message('m2a', { createdAt: T0 + 1, username: 'bob', poolId: 'p2' }));
      const ids = async (query: Parameters<Store['listMessages']>[0]) => (await store.listMessages(query)).map((m) => m.id);
      assert.deepEqual(await ids({ limit: 10 }), ['m1', 'm2a', 'm2b', 'm3']);
      assert.deepEqual(await ids({ limit: 2 }), ['m2b', 'm3']);
      assert.deepEqual(await ids({ limit: 10, afterId: 'm2a' }), ['m2b', 'm3']);
      assert.deepEqual(await ids({ limit: 10, poolId: 'p1' }), ['m1', 'm2b', 'm3']);
      assert.deepEqual(await ids({ limit: 10, username: 'bob' }), ['m2a']);
      assert.deepEqual(await store.listMessages({ limit: 1, afterId: 'm2b' }), [message('m3', { createdAt: T0 + 2 })]);
    });

    it('claims due messages until the claim expires, and not delivered ones', async () => {
      await store.enqueueMessage(message('due-sms', { channel: 'SMS', createdAt: T0 + 1 }));
      await store.enqueueMessage(message('due-email', { createdAt: T0 + 2 }));
      await store.enqueueMessage(message('later', { nextAttemptAt: T0 + 60_000 }));
      await store.enqueueMessage(message('done', { state: 'delivered', deliveredAt: T0 }));
      await store.enqueueMessage(message('failed', { state: 'failed' }));

      assert.deepEqual(await store.claimMessages('w', T0, T0 + 1000, 10, []), []);
      const emailOnly = await store.claimMessages('w1', T0, T0 + 1000, 10, ['EMAIL']);
      assert.deepEqual(emailOnly, [message('due-email', { createdAt: T0 + 2, claimedBy: 'w1', claimedUntil: T0 + 1000 })]);
      const rest = await store.claimMessages('w2', T0, T0 + 1000, 10);
      assert.deepEqual(rest.map((m) => [m.id, m.claimedBy]), [['due-sms', 'w2']]);

      assert.deepEqual(await store.claimMessages('w3', T0 + 1000, T0 + 2000, 10), [], 'claimed until 1000 inclusive');
      const reclaimed = await store.claimMessages('w3', T0 + 1001, T0 + 2000, 10);
      assert.deepEqual(reclaimed.map((m) => m.id), ['due-sms', 'due-email'], 'expired claims return, oldest first');

      const delivered = { ...(reclaimed[1] as OutboxRecord), state: 'delivered' as const, attempts: 1, deliveredAt: T0 + 1002, claimedBy: null, claimedUntil: null };
      await store.updateMessage(delivered);
      const retry = { ...(reclaimed[0] as OutboxRecord), attempts: 1, lastError: 'smtp 451', nextAttemptAt: T0 + 5000, claimedBy: null, claimedUntil: null };
      await store.updateMessage(retry);
      assert.deepEqual(await store.listMessages({ limit: 1, afterId: 'due-sms' }), [delivered]);
      assert.deepEqual(await store.claimMessages('w4', T0 + 4999, T0 + 9000, 10), []);
      assert.deepEqual((await store.claimMessages('w4', T0 + 60_000, T0 + 70_000, 10)).map((m) => m.id), ['later', 'due-sms']);
    });

    it('never gives one message to two concurrent claimers', async () => {
      const other = await opened.openAnother();
      for (let i = 0; i < 30; i++) await store.enqueueMessage(message(`m${String(i).padStart(2, '0')}`, { createdAt: T0 + i }));
      const claims = await Promise.all(
        Array.from({ length: 12 }, (_, i) => {
          const s = i % 2 === 0 ? store : other;
          const claim = () => s.claimMessages(`w${i}`, T0, T0 + 1000, 3);
          // Half claim inside a transaction, as the delivery worker does.
          return i % 4 < 2 ? claim() : s.transaction((tx) => tx.claimMessages(`w${i}`, T0, T0 + 1000, 3));
        }),
      );
      // A claimer may come up short while others hold rows it skipped; what is left stays claimable.
      const leftover = await store.claimMessages('last', T0, T0 + 1000, 30);
      const ids = [...claims.flat(), ...leftover].map((m) => m.id);
      assert.equal(new Set(ids).size, ids.length, `duplicates in ${ids.join(',')}`);
      assert.equal(ids.length, 30);
      assert.ok(leftover.length < 30 - 12, 'the concurrent claimers did claim');
    });
  });
});
