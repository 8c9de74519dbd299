import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../src/ports/store.js';
import { T0, pool, client, storeContract } from './contract.js';

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('app clients', () => {
    it('inserts, reads, updates, deletes, and lists one pool in id order with paging', async () => {
      await store.insertPool(pool('p1'));
      await store.insertPool(pool('p2'));
      const sealed = client('c-secret', 'p1', { clientSecrets: [{ sealed: 'sealed-secret', createdAt: T0 + 1 }] });
      await store.insertClient(sealed);
      assert.deepEqual(await store.getClient('c-secret'), sealed);
      for (const id of ['c3', 'c1', 'C2']) await store.insertClient(client(id, 'p1'));
      await store.insertClient(client('c0-other', 'p2'));

      const updated = { ...sealed, name: 'renamed', settings: { flows: [] }, updatedAt: T0 + 5 };
      await store.updateClient(updated);
      assert.deepEqual(await store.getClient('c-secret'), updated);

      const first = await store.listClients('p1', { limit: 2 });
      assert.deepEqual(first.map((c) => c.id), ['C2', 'c-secret']);
      const rest = await store.listClients('p1', { limit: 10, after: 'c-secret' });
      assert.deepEqual(rest.map((c) => c.id), ['c1', 'c3']);

      // Two active secrets (a rotation), oldest first; deleting the first moves the second up.
      const rotating = { ...updated, clientSecrets: [...updated.clientSecrets, { sealed: 'sealed-new', createdAt: T0 + 9 }] };
      await store.updateClient(rotating);
      assert.deepEqual(await store.getClient('c-secret'), rotating);
      const rotated = { ...rotating, clientSecrets: rotating.clientSecrets.slice(1) };
      await store.updateClient(rotated);
      assert.deepEqual(await store.getClient('c-secret'), rotated);
      await store.updateClient({ ...rotated, clientSecrets: [] });
      assert.deepEqual((await store.getClient('c-secret'))?.clientSecrets, []);

      await store.deleteClient('c1');
      assert.equal(await store.getClient('c1'), undefined);
      assert.deepEqual((await store.listClients('p1', { limit: 10 })).map((c) => c.id), ['C2', 'c-secret', 'c3']);
    });
  });
});
