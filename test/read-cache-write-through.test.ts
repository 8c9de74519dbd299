import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createReadCache } from '../src/storage/read-cache.js';

// Write-through (read-cache.ts keepAfterCommit): what a transaction of a SQLite batch wrote is
// kept once the batch has committed, and in no other case: not when the transaction rolled back,
// not when the batch did not commit, not when a later statement of the batch changed the same
// entries or the whole table, not outside a batch.
describe('read cache: values written by a batch, kept after its COMMIT', () => {
  const setup = () => {
    let counter = 0;
    const cache = createReadCache(() => counter);
    const loads: string[] = [];
    const read = (key: string) =>
      cache.read('users', key, async () => {
        loads.push(key);
        return { loaded: key };
      });
    return { cache, loads, read, foreignCommit: () => counter++ };
  };
  const written = (name: string) => ({ name, attributes: { email: `${name}@example.com` } });

  it('kept under every key once the batch commits, frozen, and read without a load', async () => {
    const { cache, loads, read } = setup();
    cache.batchBegan();
    cache.keepAfterCommit?.('users', ['s:alice', 'k:alice'], written('alice'));
    cache.transactionEnded(true);
    assert.deepEqual(await read('s:alice'), { loaded: 's:alice' }, 'not before the COMMIT');
    cache.batchEnded(true);
    const kept = await read('s:alice');
    assert.deepEqual(kept, written('alice'));
    assert.equal(await read('k:alice'), kept);
    assert.ok(Object.isFrozen(kept) && Object.isFrozen((kept as { attributes: object }).attributes));
    assert.deepEqual(loads, ['s:alice']);
  });

  it('not kept when its transaction rolled back, the batch did not commit, or outside a batch', async () => {
    const { cache, loads, read } = setup();
    cache.batchBegan();
    cache.keepAfterCommit?.('users', ['s:rolled-back'], written('rolled-back'));
    cache.transactionEnded(false);
    cache.keepAfterCommit?.('users', ['s:kept-then-batch-failed'], written('x'));
    cache.transactionEnded(true);
    cache.batchEnded(false);
    cache.keepAfterCommit?.('users', ['s:outside'], written('outside'));
    cache.batchBegan();
    cache.transactionEnded(true);
    cache.batchEnded(true);
    for (const key of ['s:rolled-back', 's:kept-then-batch-failed', 's:outside']) await read(key);
    assert.deepEqual(loads, ['s:rolled-back', 's:kept-then-batch-failed', 's:outside']);
  });

  it('not kept when a later statement of the batch changed its entries or the table; kept when it changed others', async () => {
    const { cache, loads, read } = setup();
    cache.batchBegan();
    cache.keepAfterCommit?.('users', ['s:alice', 'k:alice'], written('alice'));
    cache.keepAfterCommit?.('users', ['s:bob'], written('bob'));
    cache.keepAfterCommit?.('users', ['s:carol'], written('carol'));
    cache.transactionEnded(true);
    // The next transaction updates alice again (narrowed to her keys) and bob's key is dropped.
    cache.narrowChange?.({ table: 'users', keys: ['k:alice'] });
    cache.changed('users');
    cache.narrowChange?.(undefined);
    cache.drop('s:bob');
    cache.transactionEnded(true);
    cache.batchEnded(true);
    assert.deepEqual(await read('s:carol'), written('carol'));
    await read('s:alice');
    await read('s:bob');
    assert.deepEqual(loads, ['s:alice', 's:bob']);

    cache.batchBegan();
    cache.keepAfterCommit?.('users', ['s:dave'], written('dave'));
    cache.changed('users'); // a statement the store did not narrow: the whole table
    cache.transactionEnded(true);
    cache.batchEnded(true);
    await read('s:dave');
    assert.deepEqual(loads, ['s:alice', 's:bob', 's:dave']);
  });

  it('not kept when another connection committed before the batch read under its lock', async () => {
    const { cache, loads, read, foreignCommit } = setup();
    cache.batchBegan();
    cache.keepAfterCommit?.('users', ['s:erin'], written('erin'));
    foreignCommit();
    await cache.read('user_pools', 'pool', async () => ({ pool: 1 }), true); // the exact check inside the transaction
    cache.transactionEnded(true);
    cache.batchEnded(true);
    await read('s:erin');
    assert.deepEqual(loads, ['s:erin']);
  });
});
