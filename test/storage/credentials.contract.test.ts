import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CredentialRecord } from '../../src/ports/credentials.js';
import type { Store } from '../../src/ports/store.js';
import { T0, storeContract } from './contract.js';

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('developer credentials', () => {
    it('inserts, reads, and lists in access key id order with paging', async () => {
      const credential = (accessKeyId: string): CredentialRecord => ({
        accessKeyId,
        name: `name ${accessKeyId}`,
        arn: `arn:aws:iam::000000000000:user/${accessKeyId}`,
        secretSealed: `sealed-${accessKeyId}`,
        policy: '{"Statement":[]}',
        createdAt: T0,
      });
      for (const id of ['AKIAB', 'AKIAA', 'AKIA9', 'AKIAC']) await store.insertCredential(credential(id));
      assert.deepEqual(await store.getCredential('AKIAB'), credential('AKIAB'));
      assert.equal(await store.getCredential('AKIAZ'), undefined);
      assert.deepEqual((await store.listCredentials({ limit: 2 })).map((c) => c.accessKeyId), ['AKIA9', 'AKIAA']);
      assert.deepEqual((await store.listCredentials({ limit: 5, after: 'AKIAA' })).map((c) => c.accessKeyId), ['AKIAB', 'AKIAC']);
    });
  });
});
