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

  describe('one-time values', () => {
    it('accepts a key once until it expires, also under concurrent use', async () => {
      assert.equal(await store.useOnce('k1', T0 + 100, T0), true);
      assert.equal(await store.useOnce('k1', T0 + 100, T0 + 50), false);
      assert.equal(await store.useOnce('k2', T0 + 100, T0 + 50), true);
      assert.equal(await store.useOnce('k1', T0 + 300, T0 + 100), true, 'an expired key is forgotten');
      const other = await opened.openAnother();
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? store : other).useOnce('k3', T0 + 500, T0 + 100)));
      assert.equal(results.filter(Boolean).length, 1);
    });
  });
});
