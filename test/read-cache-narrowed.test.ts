import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createReadCache, type CachedTable } from '../src/storage/read-cache.js';

// A report that the users table changed forgets every user and every ListUsers page, unless the
// store narrowed it to the one user whose row its statement wrote (storage/kysely/users.ts):
// then that user's entries and the pages go, and every other user stays.
describe('read cache: a change of users narrowed to one user', () => {
  const setup = () => {
    const cache = createReadCache(() => 0);
    const loads = new Map<string, number>();
    const read = (tag: CachedTable, key: string) =>
      cache.read(tag, key, async () => {
        loads.set(key, (loads.get(key) ?? 0) + 1);
        return { key };
      });
    const fill = async () => {
      for (const key of ['s:p1:alice', 'k:p1:alice', 'a:email:p1:alice@example.com', 's:p1:bob', 'k:p1:bob']) await read('users', key);
      await read('user_listings', 'l:p1:{}');
      await read('user_pools', 'pool:p1');
    };
    return { cache, loads, read, fill };
  };

  it('forgets the narrowed keys and every page, and keeps the other users', async () => {
    const { cache, loads, fill } = setup();
    await fill();
    cache.narrowChange?.({ table: 'users', keys: ['s:p1:alice', 'k:p1:alice', 'a:email:p1:alice@example.com'] });
    cache.changed('users');
    cache.narrowChange?.(undefined);
    await fill();
    assert.deepEqual(Object.fromEntries(loads), {
      's:p1:alice': 2,
      'k:p1:alice': 2,
      'a:email:p1:alice@example.com': 2,
      's:p1:bob': 1,
      'k:p1:bob': 1,
      'l:p1:{}': 2,
      'pool:p1': 1,
    });
  });

  it('without narrowing (or after it is lifted), forgets every user and page', async () => {
    const { cache, loads, fill } = setup();
    await fill();
    cache.narrowChange?.({ table: 'users', keys: ['s:p1:alice'] });
    cache.narrowChange?.(undefined);
    cache.changed('users');
    await fill();
    for (const key of ['s:p1:alice', 'k:p1:alice', 'a:email:p1:alice@example.com', 's:p1:bob', 'k:p1:bob', 'l:p1:{}']) assert.equal(loads.get(key), 2, key);
    assert.equal(loads.get('pool:p1'), 1);
  });

  it('a narrowing does not apply to other tables, nor keep a read begun before the change', async () => {
    const { cache, loads, read, fill } = setup();
    await fill();
    cache.narrowChange?.({ table: 'users', keys: ['s:p1:alice'] });
    cache.changed('user_pools');
    cache.narrowChange?.(undefined);
    await read('user_pools', 'pool:p1');
    assert.equal(loads.get('pool:p1'), 2);
    // A load of bob under way while alice's row changes keeps nothing: it may have read either.
    let release = () => {};
    const slow = cache.read('users', 's:p1:carol', () => new Promise<{ key: string }>((resolve) => (release = () => resolve({ key: 'carol' }))));
    cache.narrowChange?.({ table: 'users', keys: ['s:p1:alice'] });
    cache.changed('users');
    cache.narrowChange?.(undefined);
    release();
    await slow;
    await read('users', 's:p1:carol');
    assert.equal(loads.get('s:p1:carol'), 1, 'the read begun before the change was not kept: loaded again');
  });
});
