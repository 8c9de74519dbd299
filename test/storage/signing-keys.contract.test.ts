import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../src/ports/store.js';
import type { OpenedStore } from '../support/dialects.js';
import { signingKey, storeContract } from './contract.js';

storeContract((onOpen) => {
  let opened: OpenedStore;
  let store: Store;
  onOpen((o) => {
    opened = o;
    store = o.store;
  });

  describe('signing keys', () => {
    it('keeps the first key when many instances race to create one', async () => {
      assert.equal(await store.getSigningKey('p1'), undefined);
      const other = await opened.openAnother();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : other).putSigningKeyIfAbsent(signingKey('p1', `k${i}`))),
      );
      const winner = await store.getSigningKey('p1');
      assert.ok(winner);
      for (const r of results) assert.deepEqual(r, winner);
      assert.deepEqual(await store.putSigningKeyIfAbsent(signingKey('p1', 'late')), winner);
      assert.deepEqual(await store.putSigningKeyIfAbsent(signingKey('p2', 'k')), signingKey('p2', 'k'));
    });
  });
});
