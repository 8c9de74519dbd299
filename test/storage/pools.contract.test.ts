import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../src/ports/store.js';
import { T0, pool, client, user, code, message, refreshToken, signingKey, storeContract } from './contract.js';

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('user pools', () => {
    it('inserts, reads back exactly, updates, and answers undefined for an unknown id', async () => {
      await store.insertPool(pool('us-east-1_a'));
      assert.deepEqual(await store.getPool('us-east-1_a'), pool('us-east-1_a'));
      const changed = pool('us-east-1_a', { name: 'renamed', settings: { counter: 7 }, updatedAt: T0 + 1 });
      await store.updatePool(changed);
      assert.deepEqual(await store.getPool('us-east-1_a'), changed);
      assert.equal(await store.getPool('us-east-1_missing'), undefined);
    });

    it('pages in bytewise id order, whatever the database locale', async () => {
      const ids = ['us-east-1_b', 'us-east-1_B', 'us-east-1_a', 'us-east-1_Z', 'us-east-1_0', 'us-east-1_A'];
      for (const id of ids) await store.insertPool(pool(id));
      const expected = [...ids].sort();
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const rows = await store.listPools({ limit: 4, after });
        seen.push(...rows.map((p) => p.id));
        if (rows.length < 4) break;
        after = rows[rows.length - 1]?.id;
      }
      assert.deepEqual(seen, expected);
      assert.deepEqual(expected.slice(0, 3), ['us-east-1_0', 'us-east-1_A', 'us-east-1_B']);
    });

    it('deletes a pool with everything in it, and only that pool', async () => {
      for (const id of ['p1', 'p2']) {
        await store.insertPool(pool(id));
        await store.insertClient(client(`${id}-c`, id));
        await store.insertUser(user(id, 'alice', { sub: `${id}-alice` }));
        await store.putCode(code(`${id}-alice`, 'forgot_password', 'h', { poolId: id }));
        await store.insertRefreshToken(refreshToken(`${id}-rt`, `${id}-alice`, { poolId: id }));
        await store.putSigningKeyIfAbsent(signingKey(id, `${id}-k`));
        await store.enqueueMessage(message(`${id}-pending`, { poolId: id }));
        await store.enqueueMessage(message(`${id}-delivered`, { poolId: id, state: 'delivered', deliveredAt: T0 }));
      }
      await store.deletePool('p1');
      assert.equal(await store.getPool('p1'), undefined);
      assert.equal(await store.getClient('p1-c'), undefined);
      assert.equal(await store.getUserBySub('p1', 'p1-alice'), undefined);
      assert.equal(await store.getCode('p1-alice', 'forgot_password'), undefined);
      assert.equal(await store.getRefreshToken('p1-rt'), undefined);
      assert.equal(await store.getSigningKey('p1'), undefined);
      // Delivered messages stay as the record of what was sent; pending ones are dropped.
      assert.deepEqual((await store.listMessages({ poolId: 'p1', limit: 10 })).map((m) => m.id), ['p1-delivered']);

      assert.ok(await store.getPool('p2'));
      assert.ok(await store.getClient('p2-c'));
      assert.ok(await store.getUserBySub('p2', 'p2-alice'));
      assert.ok(await store.getCode('p2-alice', 'forgot_password'));
      assert.ok(await store.getRefreshToken('p2-rt'));
      assert.ok(await store.getSigningKey('p2'));
      assert.equal((await store.listMessages({ poolId: 'p2', limit: 10 })).length, 2);
    });
  });
});
