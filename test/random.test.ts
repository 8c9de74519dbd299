import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cryptoRandom } from '../src/kernel/random.js';

// cryptoRandom cuts small draws from a block the CSPRNG fills 4 KiB at a time (kernel/random.ts).
describe('cryptoRandom', () => {
  it('hands out every byte once: draws of every size, across block boundaries, never repeat', () => {
    const seen = new Set<string>();
    for (let round = 0; round < 400; round++) {
      for (const n of [1, 12, 20, 32, 64, 65, 200]) {
        const bytes = cryptoRandom.bytes(n);
        assert.equal(bytes.length, n);
        if (n >= 12) {
          const hex = bytes.toString('hex');
          assert.ok(!seen.has(hex), `a ${n}-byte draw repeated`);
          seen.add(hex);
        }
      }
    }
  });

  it('draws look uniform: each byte value about equally often', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 4096; i++) for (const b of cryptoRandom.bytes(32)) counts[b] = (counts[b] ?? 0) + 1;
    // 131,072 bytes: 512 expected per value; 5 standard deviations is about ±113.
    for (const c of counts) assert.ok(c > 380 && c < 650, `a byte value drawn ${c} times`);
  });
});
