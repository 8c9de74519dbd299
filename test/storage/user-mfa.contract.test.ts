import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyUserMfa, type UserMfaRecord } from '../../src/domain/mfa/mfa-settings.js';
import type { Store } from '../../src/ports/store.js';
import { T0, pool, storeContract, user } from './contract.js';

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('user MFA', () => {
    it('answers undefined for a user without a row, reads back exactly what was put, and replaces it', async () => {
      await store.insertPool(pool('p1'));
      await store.insertUser(user('p1', 'alice', { sub: 's1' }));
      assert.equal(await store.getUserMfa('p1', 's1'), undefined);
      const first: UserMfaRecord = { ...emptyUserMfa('p1', 's1', T0), pendingTotpSecretSealed: 'sealed-pending' };
      await store.putUserMfa(first);
      assert.deepEqual(await store.getUserMfa('p1', 's1'), first);
      const second: UserMfaRecord = {
        ...first,
        totpSecretSealed: 'sealed-secret',
        pendingTotpSecretSealed: null,
        totpDeviceName: 'phone',
        smsEnabled: true,
        totpEnabled: true,
        emailEnabled: true,
        preferred: 'SOFTWARE_TOKEN_MFA',
        updatedAt: T0 + 5,
      };
      await store.transaction((tx) => tx.putUserMfa(second));
      assert.deepEqual(await store.getUserMfa('p1', 's1'), second);
      assert.equal(await store.getUserMfa('p2', 's1'), undefined);
    });

    it('goes with its user and with its pool', async () => {
      await store.insertPool(pool('p1'));
      await store.insertUser(user('p1', 'alice', { sub: 's1' }));
      await store.insertUser(user('p1', 'bob', { sub: 's2' }));
      await store.putUserMfa({ ...emptyUserMfa('p1', 's1', T0), smsEnabled: true });
      await store.putUserMfa({ ...emptyUserMfa('p1', 's2', T0), emailEnabled: true });
      await store.deleteUser('p1', 's1');
      assert.equal(await store.getUserMfa('p1', 's1'), undefined);
      assert.ok(await store.getUserMfa('p1', 's2'));
      await store.deletePool('p1');
      assert.equal(await store.getUserMfa('p1', 's2'), undefined);
    });
  });
});
