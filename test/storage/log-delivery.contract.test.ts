import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../src/ports/store.js';
import { T0, pool, storeContract } from './contract.js';

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('log delivery configurations', () => {
    const notification = { EventSource: 'userNotification' as const, LogLevel: 'ERROR' as const, CloudWatchLogsConfiguration: { LogGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:app' } };

    it('keeps one configuration per pool, replaces it, removes it when empty, and goes with its pool', async () => {
      await store.insertPool(pool('p1'));
      await store.insertPool(pool('p2'));
      assert.equal(await store.getLogDelivery('p1'), undefined);

      const first = { poolId: 'p1', configurations: [notification], updatedAt: T0 };
      await store.putLogDelivery(first);
      assert.deepEqual(await store.getLogDelivery('p1'), first);
      const auth = { EventSource: 'userAuthEvents' as const, LogLevel: 'INFO' as const, S3Configuration: { BucketArn: 'arn:aws:s3:::logs' } };
      const second = { poolId: 'p1', configurations: [notification, auth], updatedAt: T0 + 1 };
      await store.transaction((tx) => tx.putLogDelivery(second));
      assert.deepEqual(await store.getLogDelivery('p1'), second);
      assert.equal(await store.getLogDelivery('p2'), undefined);

      await store.putLogDelivery({ poolId: 'p1', configurations: [], updatedAt: T0 + 2 });
      assert.equal(await store.getLogDelivery('p1'), undefined);

      await store.putLogDelivery({ poolId: 'p2', configurations: [notification], updatedAt: T0 });
      await store.deletePool('p2');
      assert.equal(await store.getLogDelivery('p2'), undefined);
    });
  });
});
