import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceRecord } from '../../src/domain/devices/device.js';
import type { Store } from '../../src/ports/store.js';
import { T0, pool, storeContract, user } from './contract.js';

function device(poolId: string, userSub: string, deviceKey: string, confirmed = true): DeviceRecord {
  return {
    poolId,
    userSub,
    deviceKey,
    deviceGroupKey: '-group',
    verifierSealed: confirmed ? `sealed-${deviceKey}` : null,
    name: confirmed ? 'laptop' : null,
    status: confirmed ? 'remembered' : null,
    lastIp: '192.0.2.1',
    createdAt: T0,
    lastModifiedAt: T0,
    lastAuthenticatedAt: T0,
  };
}

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('devices', () => {
    it('reads back a device only for its own pool and user, updates and deletes it', async () => {
      await store.insertPool(pool('p1'));
      await store.insertUser(user('p1', 'alice', { sub: 's1' }));
      const d = device('p1', 's1', 'us-east-1_a', false);
      await store.insertDevice(d);
      assert.deepEqual(await store.getDevice('p1', 's1', 'us-east-1_a'), d);
      assert.equal(await store.getDevice('p1', 's2', 'us-east-1_a'), undefined);
      assert.equal(await store.getDevice('p2', 's1', 'us-east-1_a'), undefined);
      const confirmed: DeviceRecord = { ...d, verifierSealed: 'sealed', name: 'phone', status: 'not_remembered', lastModifiedAt: T0 + 5, lastAuthenticatedAt: T0 + 6 };
      assert.equal(await store.transaction((tx) => tx.updateDevice(confirmed)), true);
      assert.deepEqual(await store.getDevice('p1', 's1', 'us-east-1_a'), confirmed);
      assert.equal(await store.updateDevice({ ...confirmed, userSub: 's2' }), false);
      assert.equal(await store.updateDevice({ ...confirmed, deviceKey: 'us-east-1_z' }), false);
      assert.equal(await store.deleteDevice('p1', 's2', 'us-east-1_a'), false);
      assert.equal(await store.deleteDevice('p1', 's1', 'us-east-1_a'), true);
      assert.equal(await store.getDevice('p1', 's1', 'us-east-1_a'), undefined);
      assert.equal(await store.deleteDevice('p1', 's1', 'us-east-1_a'), false);
    });

    it('lists the user\'s confirmed devices by key, paged after a key', async () => {
      await store.insertPool(pool('p1'));
      await store.insertUser(user('p1', 'alice', { sub: 's1' }));
      await store.insertUser(user('p1', 'bob', { sub: 's2' }));
      for (const key of ['us-east-1_c', 'us-east-1_a', 'us-east-1_b']) await store.insertDevice(device('p1', 's1', key));
      await store.insertDevice(device('p1', 's1', 'us-east-1_0', false));
      await store.insertDevice(device('p1', 's2', 'us-east-1_d'));
      const keys = (rows: DeviceRecord[]) => rows.map((r) => r.deviceKey);
      assert.deepEqual(keys(await store.listDevices('p1', 's1', { limit: 10 })), ['us-east-1_a', 'us-east-1_b', 'us-east-1_c']);
      assert.deepEqual(keys(await store.listDevices('p1', 's1', { limit: 1, after: 'us-east-1_a' })), ['us-east-1_b']);
      assert.deepEqual(keys(await store.listDevices('p1', 's2', { limit: 10 })), ['us-east-1_d']);
    });

    it('a refresh token keeps the device of its sign-in', async () => {
      await store.insertPool(pool('p1'));
      const token = { tokenHash: 'h1', poolId: 'p1', clientId: 'c1', userSub: 's1', originJti: 'o1', authTime: T0, createdAt: T0, expiresAt: T0 + 1000, revokedAt: null };
      await store.insertRefreshToken({ ...token, deviceKey: 'us-east-1_a' });
      await store.insertRefreshToken({ ...token, tokenHash: 'h2', originJti: 'o2' });
      assert.equal((await store.getRefreshToken('h1'))?.deviceKey, 'us-east-1_a');
      assert.equal((await store.getRefreshTokenByOrigin('o1'))?.deviceKey, 'us-east-1_a');
      assert.equal((await store.getRefreshToken('h2'))?.deviceKey, undefined);
    });

    it('goes with its user and with its pool', async () => {
      await store.insertPool(pool('p1'));
      await store.insertUser(user('p1', 'alice', { sub: 's1' }));
      await store.insertUser(user('p1', 'bob', { sub: 's2' }));
      await store.insertDevice(device('p1', 's1', 'us-east-1_a'));
      await store.insertDevice(device('p1', 's2', 'us-east-1_b'));
      await store.deleteUser('p1', 's1');
      assert.equal(await store.getDevice('p1', 's1', 'us-east-1_a'), undefined);
      assert.ok(await store.getDevice('p1', 's2', 'us-east-1_b'));
      await store.deletePool('p1');
      assert.equal(await store.getDevice('p1', 's2', 'us-east-1_b'), undefined);
    });
  });
});
