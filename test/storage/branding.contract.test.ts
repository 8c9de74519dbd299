import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BrandingItem } from '../../src/domain/branding/branding-item.js';
import type { Store } from '../../src/ports/store.js';
import { T0, pool, storeContract } from './contract.js';

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('branding items', () => {
    const item = (over: Partial<BrandingItem> = {}): BrandingItem => ({ poolId: 'p1', kind: 'terms', itemId: 't1', clientId: 'c1', name: 'terms-of-use', document: '{"links":{}}', createdAt: T0, updatedAt: T0, ...over });

    it('keeps items by pool, kind and id, lists them in id order, replaces and deletes them', async () => {
      await store.insertPool(pool('p1'));
      assert.equal(await store.getBrandingItem('p1', 'terms', 't1'), undefined);

      await store.putBrandingItem(item({ itemId: 't2', name: 'privacy-policy' }));
      await store.transaction((tx) => tx.putBrandingItem(item()));
      await store.putBrandingItem(item({ kind: 'ui', itemId: 'ALL', clientId: 'ALL', name: '', document: '{"css":""}' }));
      assert.deepEqual(await store.getBrandingItem('p1', 'terms', 't1'), item());
      assert.deepEqual((await store.listBrandingItems('p1', 'terms')).map((i) => i.itemId), ['t1', 't2']);
      assert.deepEqual((await store.listBrandingItems('p1', 'ui')).map((i) => i.itemId), ['ALL']);
      assert.deepEqual(await store.listBrandingItems('p1', 'style'), []);
      assert.deepEqual(await store.listBrandingItems('p2', 'terms'), []);

      // A replacement keeps the creation time it was first given.
      await store.putBrandingItem(item({ name: 'privacy-policy', document: '{"links":{"a":"b"}}', createdAt: T0 + 5, updatedAt: T0 + 9 }));
      assert.deepEqual(await store.getBrandingItem('p1', 'terms', 't1'), item({ name: 'privacy-policy', document: '{"links":{"a":"b"}}', updatedAt: T0 + 9 }));

      assert.equal(await store.deleteBrandingItem('p1', 'terms', 't1'), true);
      assert.equal(await store.deleteBrandingItem('p1', 'terms', 't1'), false);
      assert.equal(await store.getBrandingItem('p1', 'terms', 't1'), undefined);
      assert.ok(await store.getBrandingItem('p1', 'ui', 'ALL'));
    });
  });
});
