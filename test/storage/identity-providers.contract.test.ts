import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IdentityProviderRecord } from '../../src/domain/idp/identity-provider.js';
import type { Store } from '../../src/ports/store.js';
import { T0, byCodePoint, expectUnique, pool, storeContract, user } from './contract.js';

function provider(poolId: string, name: string, over: Partial<IdentityProviderRecord> = {}): IdentityProviderRecord {
  return {
    poolId,
    name,
    type: 'OIDC',
    details: { client_id: 'c', authorize_scopes: 'openid', oidc_issuer: 'https://idp.example', attributes_request_method: 'GET' },
    secretsSealed: null,
    attributeMapping: {},
    idpIdentifiers: [],
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('identity providers', () => {
    it('inserts, reads back exactly, refuses a duplicate name, finds by identifier, updates, deletes', async () => {
      await store.insertPool(pool('p1'));
      await store.insertPool(pool('p2'));
      const full = provider('p1', 'Corp ä', { secretsSealed: 'v1.sealed', attributeMapping: { email: 'mail' }, idpIdentifiers: ['corp.example', 'corp'] });
      await store.insertIdentityProvider(full);
      assert.deepEqual(await store.getIdentityProvider('p1', 'Corp ä'), full);
      assert.equal(await store.getIdentityProvider('p2', 'Corp ä'), undefined);
      await expectUnique(store.insertIdentityProvider(provider('p1', 'Corp ä')), 'other');
      await store.insertIdentityProvider(provider('p2', 'Corp ä'));
      assert.equal((await store.identityProviderByIdentifier('p1', 'corp'))?.name, 'Corp ä');
      assert.equal(await store.identityProviderByIdentifier('p2', 'corp'), undefined);
      const changed = { ...full, details: { ...full.details, client_id: 'd' }, secretsSealed: null, idpIdentifiers: [], updatedAt: T0 + 5 };
      await store.updateIdentityProvider(changed);
      assert.deepEqual(await store.getIdentityProvider('p1', 'Corp ä'), changed);
      assert.equal(await store.identityProviderByIdentifier('p1', 'corp'), undefined);
      await store.deleteIdentityProvider('p1', 'Corp ä');
      assert.equal(await store.getIdentityProvider('p1', 'Corp ä'), undefined);
      assert.ok(await store.getIdentityProvider('p2', 'Corp ä'));
    });

    it('lists in code-point order of name, pages, counts; deleting the pool deletes its providers', async () => {
      await store.insertPool(pool('p1'));
      const names = ['b-idp', 'Zed', 'a-idp', 'éx', 'Google'];
      for (const name of names) await store.insertIdentityProvider(provider('p1', name));
      const first = await store.listIdentityProviders('p1', { limit: 3 });
      const rest = await store.listIdentityProviders('p1', { limit: 10, after: first.at(-1)?.name });
      assert.deepEqual([...first, ...rest].map((p) => p.name), [...names].sort(byCodePoint));
      assert.equal(await store.countIdentityProviders('p1'), 5);
      await store.deletePool('p1');
      assert.equal(await store.countIdentityProviders('p1'), 0);
    });
  });

  describe('provider links', () => {
    it('links identities to a user, refuses a linked identity, lists the user’s links oldest first, deletes; user and pool deletion delete them', async () => {
      await store.insertPool(pool('p1'));
      const alice = user('p1', 'alice');
      const bob = user('p1', 'bob');
      await store.insertUser(alice);
      await store.insertUser(bob);
      const link = { poolId: 'p1', providerName: 'Google', attributeName: 'Cognito_Subject', attributeValue: '1001', userSub: alice.sub, createdAt: T0 };
      await store.insertProviderLink(link);
      await store.insertProviderLink({ ...link, providerName: 'Corp', attributeName: 'email', attributeValue: 'a@corp', createdAt: T0 + 1 });
      await expectUnique(store.insertProviderLink({ ...link, userSub: bob.sub }), 'other');
      assert.deepEqual(await store.getProviderLink('p1', 'Google', 'Cognito_Subject', '1001'), link);
      assert.equal(await store.getProviderLink('p1', 'Google', 'email', '1001'), undefined);
      assert.deepEqual((await store.providerLinksOfUser('p1', alice.sub)).map((l) => l.providerName), ['Google', 'Corp']);
      await store.deleteProviderLink('p1', 'Google', 'Cognito_Subject', '1001');
      assert.equal(await store.getProviderLink('p1', 'Google', 'Cognito_Subject', '1001'), undefined);
      await store.insertProviderLink({ ...link, userSub: bob.sub });
      await store.deleteUser('p1', bob.sub);
      assert.equal(await store.getProviderLink('p1', 'Google', 'Cognito_Subject', '1001'), undefined);
      await store.deletePool('p1');
      assert.deepEqual(await store.providerLinksOfUser('p1', alice.sub), []);
    });
  });
});
