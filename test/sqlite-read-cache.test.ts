import BetterSqlite3 from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openSqliteFile } from '../src/storage/sqlite.js';
import type { CredentialRecord } from '../src/ports/credentials.js';
import type { PoolRecord } from '../src/domain/pools/pool.js';
import type { Store } from '../src/ports/store.js';
import { client } from './storage/contract.js';

// The SQLite store keeps pools and "any credentials?" in memory (src/storage/read-cache.ts).
// These tests hold it to what a store without that cache would answer: another connection's
// commits are seen by the next turn of the event loop, and exactly inside transactions; the
// store's own writes at once; and nothing a caller holds can change what others read.

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);

function pool(id: string, over: Partial<PoolRecord> = {}): PoolRecord {
  return { id, name: `pool ${id}`, settings: { counter: 0, nested: { list: [1, 'two'] } }, createdAt: T0, updatedAt: T0, ...over };
}

function credential(accessKeyId: string): CredentialRecord {
  return { accessKeyId, name: accessKeyId, arn: `arn:aws:iam::000000000000:user/${accessKeyId}`, secretSealed: 's', policy: '{}', createdAt: T0 };
}

/** Lets the current turn of the event loop end, so the cache asks SQLite again. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

let dir: string;
let file: string;
/** Two stores on one file, as two server processes would be. */
let a: Store;
let b: Store;
const extra: Store[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'userpoold-read-cache-'));
  file = join(dir, 'store.sqlite');
  // One after the other: opening both at once would wait for the schema lock synchronously.
  a = await openSqliteFile(file);
  b = await openSqliteFile(file);
});
afterEach(async () => {
  for (const s of [a, b, ...extra.splice(0)]) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite read cache', () => {
  describe('pools changed by another connection', () => {
    it('are seen after the next turn of the event loop', async () => {
      await a.insertPool(pool('p1'));
      assert.equal((await a.getPool('p1'))?.name, 'pool p1');
      await b.updatePool(pool('p1', { name: 'renamed by b', settings: { counter: 1 } }));
      await nextTurn();
      assert.deepEqual(await a.getPool('p1'), pool('p1', { name: 'renamed by b', settings: { counter: 1 } }));
      await b.deletePool('p1');
      await nextTurn();
      assert.equal(await a.getPool('p1'), undefined);
    });

    it('are seen inside a transaction even when the commit came in the same turn', async () => {
      await a.insertPool(pool('p1'));
      await a.getPool('p1');
      // Another process writing: better-sqlite3 commits synchronously, so the commit lands
      // inside this turn, after the cache has asked SQLite once for the turn. (A second store
      // would commit somewhere inside its own chain of promises, which cannot be placed.)
      const other = new BetterSqlite3(file);
      try {
        await nextTurn();
        assert.equal((await a.getPool('p1'))?.name, 'pool p1', 'the turn has begun with the cached pool');
        other.prepare('update user_pools set name = ? where id = ?').run('renamed by another process', 'p1');
        // Precondition, so that the transaction below tests the exact check and not a new
        // turn: outside a transaction this turn's answer still stands.
        assert.equal((await a.getPool('p1'))?.name, 'pool p1');
        const inside = await a.transaction((tx) => tx.getPool('p1'));
        assert.equal(inside?.name, 'renamed by another process');
      } finally {
        other.close();
      }
    });

    it('are seen by the next transaction when the commit came between two transactions of one turn', async () => {
      // Inside transactions the cache asks data_version once per taking of the write lock
      // (sqlite-transactions.ts, writeLockEpoch): the next transaction must ask again.
      await a.insertPool(pool('p1'));
      await a.getPool('p1');
      const other = new BetterSqlite3(file);
      try {
        await nextTurn();
        assert.equal((await a.transaction((tx) => tx.getPool('p1')))?.name, 'pool p1');
        other.prepare('update user_pools set name = ? where id = ?').run('renamed between transactions', 'p1');
        assert.equal((await a.transaction((tx) => tx.getPool('p1')))?.name, 'renamed between transactions');
      } finally {
        other.close();
      }
    });

    it('lose no update when both stores read and write the pool in transactions started together', async () => {
      await a.insertPool(pool('p1', { settings: { counter: 0 } }));
      const rounds = 25;
      const perRound = 8;
      for (let round = 0; round < rounds; round++) {
        // Both caches hold the pool as it was before this round's writes.
        await Promise.all([a.getPool('p1'), b.getPool('p1')]);
        await Promise.all(
          Array.from({ length: perRound }, (_, i) =>
            (i % 2 === 0 ? a : b).transaction(async (tx) => {
              const current = (await tx.getPool('p1')) as PoolRecord;
              await tx.updatePool({ ...current, settings: { counter: (current.settings.counter as number) + 1 } });
            }),
          ),
        );
      }
      await nextTurn();
      assert.deepEqual((await a.getPool('p1'))?.settings, { counter: rounds * perRound });
      assert.deepEqual((await b.getPool('p1'))?.settings, { counter: rounds * perRound });
    });
  });

  describe('app clients (every public request reads its client)', () => {
    it('changed by another connection are seen after the next turn; the store’s own changes at once; a rolled-back change is not kept', async () => {
      await a.insertPool(pool('p1'));
      await a.insertClient(client('c1', 'p1'));
      assert.equal((await a.getClient('c1'))?.name, 'client c1');
      await b.updateClient(client('c1', 'p1', { name: 'renamed by b' }));
      await nextTurn();
      assert.equal((await a.getClient('c1'))?.name, 'renamed by b');

      await a.updateClient(client('c1', 'p1', { name: 'renamed by a' }));
      assert.equal((await a.getClient('c1'))?.name, 'renamed by a');
      await assert.rejects(
        a.transaction(async (tx) => {
          await tx.updateClient(client('c1', 'p1', { name: 'never committed' }));
          assert.equal((await tx.getClient('c1'))?.name, 'never committed');
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal((await a.getClient('c1'))?.name, 'renamed by a');
      assert.ok(Object.isFrozen(await a.getClient('c1')), 'shared, so frozen');

      await b.deleteClient('c1');
      await nextTurn();
      assert.equal(await a.getClient('c1'), undefined);
    });
  });

  describe('the store’s own writes', () => {
    it('are seen at once, in and out of transactions', async () => {
      await a.insertPool(pool('p1'));
      await a.getPool('p1');
      // data_version does not move for a connection's own commits: only dropping the entry
      // makes these visible, whichever turn the next read runs in.
      await a.updatePool(pool('p1', { name: 'renamed' }));
      assert.equal((await a.getPool('p1'))?.name, 'renamed');
      await a.transaction(async (tx) => {
        await tx.updatePool(pool('p1', { name: 'renamed in tx' }));
        assert.equal((await tx.getPool('p1'))?.name, 'renamed in tx');
      });
      assert.equal((await a.getPool('p1'))?.name, 'renamed in tx');
      await a.deletePool('p1');
      assert.equal(await a.getPool('p1'), undefined);
    });
  });

  // A transaction's reads see its own uncommitted writes; what they load must not outlive a
  // rollback, as PostgreSQL (no cache) would then answer with the committed rows.
  describe('what a transaction read before it rolled back', () => {
    const boom = new Error('boom');
    const rolledBack = (fn: Parameters<Store['transaction']>[0]) => assert.rejects(a.transaction(fn), (err) => err === boom);

    it('is not left in the cache: a pool it updated', async () => {
      await a.insertPool(pool('p1'));
      await rolledBack(async (tx) => {
        await tx.updatePool(pool('p1', { name: 'never committed' }));
        assert.equal((await tx.getPool('p1'))?.name, 'never committed');
        throw boom;
      });
      assert.equal((await a.getPool('p1'))?.name, 'pool p1');
    });

    it('is not left in the cache: a pool it inserted', async () => {
      await rolledBack(async (tx) => {
        await tx.insertPool(pool('p2'));
        assert.ok(await tx.getPool('p2'));
        throw boom;
      });
      assert.equal(await a.getPool('p2'), undefined);
    });

    it('is not left in the cache: a credential it inserted', async () => {
      await rolledBack(async (tx) => {
        await tx.insertCredential(credential('AKIAROLLEDBACK'));
        assert.equal(await tx.hasCredentials(), true);
        throw boom;
      });
      assert.equal(await a.hasCredentials(), false);
    });
  });

  describe('values', () => {
    it('handed out are frozen, and callers’ own objects stay theirs', async () => {
      const input = pool('p1');
      await a.insertPool(input);
      // Changing what was passed in after the call must not reach the stored or cached pool.
      input.name = 'changed after insert';
      input.settings.counter = 99;
      ((input.settings.nested as { list: unknown[] }).list).push('three');
      const first = await a.getPool('p1');
      assert.deepEqual(first, pool('p1'));

      const cached = (await a.getPool('p1')) as PoolRecord;
      assert.ok(Object.isFrozen(cached) && Object.isFrozen(cached.settings), 'the cached pool is frozen');
      assert.throws(() => {
        (cached.settings as Record<string, unknown>).x = 1;
      }, TypeError);
      assert.throws(() => (cached.settings.nested as { list: unknown[] }).list.push('x'), TypeError);
      assert.deepEqual(await a.getPool('p1'), pool('p1'));

      const update = pool('p1', { name: 'updated', settings: { counter: 5 } });
      await a.updatePool(update);
      update.settings.counter = 6;
      update.name = 'changed after update';
      assert.deepEqual(await a.getPool('p1'), pool('p1', { name: 'updated', settings: { counter: 5 } }));
      // A copy of a frozen pool is the caller's to change and write back.
      const copy = { ...cached, settings: { ...cached.settings, counter: 7 } };
      await a.updatePool(copy);
      assert.equal((await a.getPool('p1'))?.settings.counter, 7);
    });

    it('that do not exist are not remembered', async () => {
      assert.equal(await a.getPool('p1'), undefined);
      // The store's own insert drops nothing and moves no counter: a remembered miss would stay.
      await a.insertPool(pool('p1'));
      assert.equal((await a.getPool('p1'))?.id, 'p1');

      assert.equal(await a.getPool('p2'), undefined);
      await b.insertPool(pool('p2'));
      await nextTurn();
      assert.equal((await a.getPool('p2'))?.id, 'p2');
    });
  });

  describe('whether any credential exists', () => {
    it('turns true at once after the store’s own insert', async () => {
      assert.equal(await a.hasCredentials(), false);
      assert.equal(await a.hasCredentials(), false);
      await a.insertCredential(credential('AKIAOWN'));
      assert.equal(await a.hasCredentials(), true);
    });

    it('turns true after the next turn when another connection inserted one', async () => {
      assert.equal(await a.hasCredentials(), false);
      await b.insertCredential(credential('AKIAOTHER'));
      await nextTurn();
      assert.equal(await a.hasCredentials(), true);
      // A store opened afterwards, and the writer itself, agree.
      const c = await openSqliteFile(file);
      extra.push(c);
      assert.equal(await c.hasCredentials(), true);
      assert.equal(await b.hasCredentials(), true);
    });
  });
});
