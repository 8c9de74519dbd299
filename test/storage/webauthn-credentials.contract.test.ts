import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WebAuthnCredentialRecord } from '../../src/domain/webauthn/credential.js';
import type { Store } from '../../src/ports/store.js';
import { T0, pool, storeContract, user } from './contract.js';

function credential(poolId: string, userSub: string, credentialId: string, createdAt = T0): WebAuthnCredentialRecord {
  return {
    poolId,
    userSub,
    credentialId,
    publicKey: 'pQECAyYgASFYIA',
    signCount: 0,
    transports: ['internal', 'hybrid'],
    friendlyName: null,
    relyingPartyId: 'example.com',
    attachment: 'platform',
    createdAt,
  };
}

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('WebAuthn credentials', () => {
    it('reads back what was stored, lists a user\'s oldest first, refuses a second credential with the same id', async () => {
      await store.insertPool(pool('p1'));
      await store.insertUser(user('p1', 'alice', { sub: 's1' }));
      const first = { ...credential('p1', 's1', 'cred-b'), friendlyName: 'laptop', signCount: 7 };
      assert.equal(await store.insertWebAuthnCredential(first), true);
      assert.equal(await store.transaction((tx) => tx.insertWebAuthnCredential(credential('p1', 's1', 'cred-a', T0 + 1))), true);
      assert.equal(await store.insertWebAuthnCredential(credential('p1', 's2', 'cred-b')), false);
      assert.deepEqual(await store.getWebAuthnCredential('p1', 'cred-b'), first);
      assert.deepEqual((await store.listWebAuthnCredentials('p1', 's1')).map((c) => c.credentialId), ['cred-b', 'cred-a']);
      assert.deepEqual(await store.listWebAuthnCredentials('p1', 's2'), []);
      assert.equal(await store.getWebAuthnCredential('p2', 'cred-b'), undefined);
    });

    it('advances the signature counter only from the value the caller saw', async () => {
      await store.insertPool(pool('p1'));
      await store.insertWebAuthnCredential(credential('p1', 's1', 'c'));
      assert.equal(await store.advanceWebAuthnSignCount('p1', 'c', 0, 5), true);
      assert.equal(await store.advanceWebAuthnSignCount('p1', 'c', 0, 6), false);
      assert.equal((await store.getWebAuthnCredential('p1', 'c'))?.signCount, 5);
    });

    it('deletes one of the user\'s credentials only, and goes with its user and its pool', async () => {
      await store.insertPool(pool('p1'));
      await store.insertUser(user('p1', 'alice', { sub: 's1' }));
      await store.insertUser(user('p1', 'bob', { sub: 's2' }));
      await store.insertWebAuthnCredential(credential('p1', 's1', 'a1'));
      await store.insertWebAuthnCredential(credential('p1', 's1', 'a2'));
      await store.insertWebAuthnCredential(credential('p1', 's2', 'b1'));
      assert.equal(await store.deleteWebAuthnCredential('p1', 's2', 'a1'), false);
      assert.equal(await store.deleteWebAuthnCredential('p1', 's1', 'a1'), true);
      assert.equal(await store.deleteWebAuthnCredential('p1', 's1', 'a1'), false);
      await store.deleteUser('p1', 's1');
      assert.equal(await store.getWebAuthnCredential('p1', 'a2'), undefined);
      assert.ok(await store.getWebAuthnCredential('p1', 'b1'));
      await store.deletePool('p1');
      assert.equal(await store.getWebAuthnCredential('p1', 'b1'), undefined);
    });
  });
});
