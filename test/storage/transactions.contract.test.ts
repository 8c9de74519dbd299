import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PoolRecord } from '../../src/domain/pools/pool.js';
import type { Store } from '../../src/ports/store.js';
import type { OpenedStore } from '../support/dialects.js';
import { T0, pool, user, code, message, expectUnique, storeContract } from './contract.js';

storeContract((onOpen, dialect) => {
  let opened: OpenedStore;
  let store: Store;
  onOpen((o) => {
    opened = o;
    store = o.store;
  });

  describe('transactions', () => {
    it('commits together and returns the result', async () => {
      const result = await store.transaction(async (tx) => {
        await tx.insertPool(pool('p1'));
        await tx.insertUser(user('p1', 'alice'));
        return (await tx.getPool('p1'))?.name;
      });
      assert.equal(result, 'pool p1');
      assert.equal(await store.countUsers('p1'), 1);
    });

    it('rolls back everything when the function throws, passing the error through', async () => {
      await store.insertPool(pool('p1'));
      const boom = new Error('boom');
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.updatePool(pool('p1', { name: 'half-written' }));
          await tx.insertUser(user('p1', 'alice'));
          await tx.putCode(code('s1', 'forgot_password', 'h'));
          await tx.incrementCounter('k', T0);
          await tx.enqueueMessage(message('m1'));
          throw boom;
        }),
        (err) => err === boom,
      );
      assert.equal((await store.getPool('p1'))?.name, 'pool p1');
      assert.equal(await store.countUsers('p1'), 0);
      assert.equal(await store.getCode('s1', 'forgot_password'), undefined);
      assert.equal(await store.readCounter('k'), undefined);
      assert.deepEqual(await store.listMessages({ limit: 10 }), []);
    });

    it('a transaction that throws among concurrent ones is rolled back alone', async () => {
      await store.insertPool(pool('p1'));
      // SQLite runs waiting transactions in one batch, each in a savepoint: the first and two
      // neighbours fail, so both a lone batch and adjacent savepoints are covered there.
      const throwing = new Set([0, 4, 5]);
      const errors = Array.from({ length: 10 }, (_, i) => new Error(`boom ${i}`));
      const results = await Promise.allSettled(
        errors.map((error, i) =>
          store.transaction(async (tx) => {
            const u = user('p1', `user-${i}`, { sub: `sub-${i}` });
            await tx.insertUser(u);
            await tx.putCode(code(u.sub, 'confirm_sign_up', `hash-${i}`));
            // A row every transaction writes: a rolled-back one must not take the others' with it.
            await tx.incrementCounter('shared', T0);
            if (throwing.has(i)) throw error;
            return `done ${i}`;
          }),
        ),
      );
      for (const [i, result] of results.entries()) {
        if (throwing.has(i)) {
          assert.equal(result.status, 'rejected', `transaction ${i}`);
          assert.equal((result as PromiseRejectedResult).reason, errors[i], `transaction ${i} gets its own error`);
          assert.equal(await store.getUserBySub('p1', `sub-${i}`), undefined, `transaction ${i}`);
          assert.equal(await store.getCode(`sub-${i}`, 'confirm_sign_up'), undefined, `transaction ${i}`);
        } else {
          assert.deepEqual(result, { status: 'fulfilled', value: `done ${i}` });
          assert.equal((await store.getUserBySub('p1', `sub-${i}`))?.usernameKey, `user-${i}`);
          assert.equal((await store.getCode(`sub-${i}`, 'confirm_sign_up'))?.codeHash, `hash-${i}`);
        }
      }
      assert.equal(await store.countUsers('p1'), 10 - throwing.size);
      assert.deepEqual(await store.readCounter('shared'), { windowStart: T0, count: 10 - throwing.size });
    });

    it('a transaction failing on a unique violation it does not catch is rolled back alone', async () => {
      const taken = user('p1', 'taken');
      await store.insertUser(taken);
      const clashing = 2;
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          store.transaction(async (tx) => {
            await tx.putCode(code(`sub-${i}`, 'confirm_sign_up', `hash-${i}`));
            await tx.enqueueMessage(message(`m${i}`, { userSub: `sub-${i}` }));
            await tx.insertUser(user('p1', i === clashing ? 'taken' : `fresh-${i}`, { sub: `sub-${i}` }));
            return i;
          }),
        ),
      );
      for (const [i, result] of results.entries()) {
        if (i === clashing) {
          await expectUnique(Promise.reject((result as PromiseRejectedResult).reason), 'username');
          assert.equal(await store.getCode(`sub-${i}`, 'confirm_sign_up'), undefined, 'its code is gone');
        } else {
          assert.deepEqual(result, { status: 'fulfilled', value: i });
          assert.equal((await store.getUserBySub('p1', `sub-${i}`))?.usernameKey, `fresh-${i}`);
          assert.equal((await store.getCode(`sub-${i}`, 'confirm_sign_up'))?.codeHash, `hash-${i}`);
        }
      }
      assert.deepEqual((await store.listMessages({ limit: 10 })).map((m) => m.id).sort(), ['m0', 'm1', 'm3', 'm4', 'm5']);
      assert.equal(await store.countUsers('p1'), 6);
      assert.deepEqual(await store.getUserByUsernameKey('p1', 'taken'), taken);
      assert.equal(await store.getUserBySub('p1', `sub-${clashing}`), undefined);
    });

    it('serializes concurrent read-then-write transactions across instances: no lost update', async () => {
      const other = await opened.openAnother();
      await store.insertPool(pool('p1', { settings: { counter: 0 } }));
      const increments = 16;
      await Promise.all(
        Array.from({ length: increments }, (_, i) =>
          (i % 2 === 0 ? store : other).transaction(async (tx) => {
            const current = (await tx.getPool('p1')) as PoolRecord;
            // Let the other transactions run in between, as slow work or I/O would.
            await sleep(2);
            await tx.updatePool({ ...current, settings: { counter: (current.settings.counter as number) + 1 } });
          }),
        ),
      );
      assert.deepEqual((await store.getPool('p1'))?.settings, { counter: increments });
    });
  });

  if (dialect.name === 'postgres') {
    it('fails the transaction, not the process, when the server drops its connection, and recovers', async () => {
      await store.insertPool(pool('p1'));
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.updatePool(pool('p1', { name: 'lost' }));
          await opened.dropConnections?.();
          await sleep(50);
          await tx.getPool('p1');
        }),
      );
      assert.equal((await store.getPool('p1'))?.name, 'pool p1');
    });

    it('lets several instances start together on an empty database, migrating once', async () => {
      const fleet = await dialect.open(4);
      try {
        await fleet.stores[1]?.insertPool(pool('p1'));
        for (const s of fleet.stores) assert.equal((await s.getPool('p1'))?.id, 'p1');
      } finally {
        await fleet.close();
      }
    });
  }
});
