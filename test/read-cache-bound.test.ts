import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createReadCache } from '../src/storage/read-cache.js';

// The bound on a table's entries (10,000 users) evicts the entry kept longest, one at a time.
// Emptying the whole table instead made a pool just over the bound miss on nearly every read.
describe('read cache bound', () => {
  it('past the bound, the entry kept longest goes and the others stay', async () => {
    const cache = createReadCache(() => 0);
    const loads = new Map<string, number>();
    const read = (key: string) =>
      cache.read('users', key, async () => {
        loads.set(key, (loads.get(key) ?? 0) + 1);
        return { key };
      });
    const BOUND = 10_000;
    for (let i = 0; i <= BOUND; i++) await read(`u${i}`); // one more than the bound
    for (let i = 1; i <= BOUND; i++) await read(`u${i}`); // all kept: no second load
    assert.equal([...loads.values()].filter((n) => n > 1).length, 0);
    await read('u0'); // the first one went when the last came in
    assert.equal(loads.get('u0'), 2);
  });
});
