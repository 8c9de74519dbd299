import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../src/ports/store.js';
import { T0, pool, storeContract } from './contract.js';

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('provisioned limits', () => {
    it('keeps one rate per category, replaces it, and lists them by category', async () => {
      assert.equal(await store.getProvisionedLimit('UserCreation'), undefined);
      assert.deepEqual(await store.listProvisionedLimits(), []);
      await store.putProvisionedLimit({ category: 'UserCreation', value: 60, updatedAt: T0 });
      await store.transaction((tx) => tx.putProvisionedLimit({ category: 'UserAuthentication', value: 200, updatedAt: T0 + 1 }));
      assert.deepEqual(await store.getProvisionedLimit('UserCreation'), { category: 'UserCreation', value: 60, updatedAt: T0 });
      await store.putProvisionedLimit({ category: 'UserCreation', value: 75, updatedAt: T0 + 2 });
      assert.deepEqual(await store.listProvisionedLimits(), [
        { category: 'UserAuthentication', value: 200, updatedAt: T0 + 1 },
        { category: 'UserCreation', value: 75, updatedAt: T0 + 2 },
      ]);
    });
  });

  describe('pool replicas', () => {
    it('keeps one replica per pool and region, updates, deletes, and goes with its pool', async () => {
      await store.insertPool(pool('p1'));
      await store.insertPool(pool('p2'));
      assert.deepEqual(await store.listReplicas('p1'), []);
      const west = { poolId: 'p1', regionName: 'us-west-2', status: 'ACTIVE' as const, tags: { team: 'a' }, createdAt: T0, updatedAt: T0 };
      const eu = { ...west, regionName: 'eu-west-1', tags: {} };
      await store.putReplica(west);
      await store.transaction((tx) => tx.putReplica(eu));
      await store.putReplica({ ...west, poolId: 'p2' });
      assert.deepEqual(await store.getReplica('p1', 'us-west-2'), west);
      assert.equal(await store.getReplica('p1', 'ap-south-1'), undefined);
      assert.deepEqual(await store.listReplicas('p1'), [eu, west]);

      const inactive = { ...west, status: 'INACTIVE' as const, updatedAt: T0 + 5 };
      await store.putReplica(inactive);
      assert.deepEqual(await store.getReplica('p1', 'us-west-2'), inactive);

      await store.deleteReplica('p1', 'eu-west-1');
      assert.deepEqual(await store.listReplicas('p1'), [inactive]);

      await store.deletePool('p2');
      assert.deepEqual(await store.listReplicas('p2'), []);
      assert.deepEqual(await store.listReplicas('p1'), [inactive]);
    });
  });
});
