import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DomainRecord } from '../../src/domain/oauth/domain.js';
import type { ResourceServerRecord } from '../../src/domain/oauth/resource-server.js';
import type { Store } from '../../src/ports/store.js';
import { T0, expectUnique, pool, storeContract } from './contract.js';

function domain(name: string, poolId: string, over: Partial<DomainRecord> = {}): DomainRecord {
  return { domain: name, poolId, kind: 'prefix', certificateArn: null, cloudFrontDomain: null, managedLoginVersion: 1, createdAt: T0, updatedAt: T0, ...over };
}

function server(poolId: string, identifier: string, over: Partial<ResourceServerRecord> = {}): ResourceServerRecord {
  return { poolId, identifier, name: `server ${identifier}`, scopes: [], createdAt: T0, updatedAt: T0, ...over };
}

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('oauth: domains', () => {
    it('inserts, reads back exactly, finds by pool, updates, refuses a taken name across pools, deletes', async () => {
      await store.insertPool(pool('p1'));
      await store.insertPool(pool('p2'));
      const custom = domain('auth.example.com', 'p1', { kind: 'custom', certificateArn: 'arn:aws:acm:us-east-1:1:certificate/x', cloudFrontDomain: 'd1.cloudfront.net', managedLoginVersion: 2 });
      await store.insertDomain(domain('login', 'p1'));
      await store.insertDomain(custom);
      assert.deepEqual(await store.getDomain('auth.example.com'), custom);
      assert.deepEqual((await store.domainsOfPool('p1')).map((d) => d.domain), ['auth.example.com', 'login']);
      assert.deepEqual(await store.domainsOfPool('p2'), []);
      await expectUnique(store.insertDomain(domain('login', 'p2')), 'other');
      const changed = { ...custom, certificateArn: 'arn:aws:acm:us-east-1:1:certificate/y', managedLoginVersion: 1, updatedAt: T0 + 1 };
      await store.updateDomain(changed);
      assert.deepEqual(await store.getDomain('auth.example.com'), changed);
      await store.deleteDomain('login');
      assert.equal(await store.getDomain('login'), undefined);
    });

    it("deleting a pool deletes its domains and resource servers", async () => {
      await store.insertPool(pool('p1'));
      await store.insertDomain(domain('login', 'p1'));
      await store.insertResourceServer(server('p1', 'api'));
      await store.deletePool('p1');
      assert.equal(await store.getDomain('login'), undefined);
      assert.equal(await store.getResourceServer('p1', 'api'), undefined);
    });
  });

  describe('oauth: resource servers', () => {
    it('inserts with scopes, reads back exactly, refuses a duplicate identifier, updates, deletes', async () => {
      await store.insertPool(pool('p1'));
      const full = server('p1', 'https://api.example.com', { scopes: [{ ScopeName: 'read', ScopeDescription: 'Read ä' }] });
      await store.insertResourceServer(full);
      assert.deepEqual(await store.getResourceServer('p1', 'https://api.example.com'), full);
      await expectUnique(store.insertResourceServer(server('p1', 'https://api.example.com')), 'other');
      const changed = { ...full, name: 'renamed', scopes: [], updatedAt: T0 + 9 };
      await store.updateResourceServer(changed);
      assert.deepEqual(await store.getResourceServer('p1', 'https://api.example.com'), changed);
      await store.deleteResourceServer('p1', 'https://api.example.com');
      assert.equal(await store.getResourceServer('p1', 'https://api.example.com'), undefined);
    });

    it("lists one pool's servers in code-point order of identifier, page by page", async () => {
      await store.insertPool(pool('p1'));
      await store.insertPool(pool('p2'));
      const ids = ['b', 'B', 'a', 'Z', '0', 'a-b', 'a_b'];
      for (const id of ids) await store.insertResourceServer(server('p1', id));
      await store.insertResourceServer(server('p2', 'aa'));
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.listResourceServers('p1', { limit: 3, after });
        seen.push(...page.map((s) => s.identifier));
        if (page.length < 3) break;
        after = page.at(-1)?.identifier;
      }
      assert.deepEqual(seen, [...ids].sort());
    });
  });

  describe('oauth: granted scopes', () => {
    it('keeps the scopes of a sign-in by origin_jti; the first write wins; unknown is undefined; a deleted pool takes them', async () => {
      await store.insertPool(pool('p1'));
      await store.putGrantScopes({ originJti: 'o1', poolId: 'p1', scopes: ['openid', 'api/read'], expiresAt: T0 + 10 }, T0);
      await store.putGrantScopes({ originJti: 'o1', poolId: 'p1', scopes: ['other'], expiresAt: T0 + 10 }, T0);
      await store.putGrantScopes({ originJti: 'o2', poolId: 'p1', scopes: [], expiresAt: T0 + 10 }, T0);
      assert.deepEqual(await store.grantScopes('o1'), ['openid', 'api/read']);
      assert.deepEqual(await store.grantScopes('o2'), []);
      assert.equal(await store.grantScopes('nope'), undefined);
      // An expired grant goes with the next write.
      await store.putGrantScopes({ originJti: 'o3', poolId: 'p1', scopes: ['openid'], expiresAt: T0 + 20 }, T0 + 10);
      assert.equal(await store.grantScopes('o1'), undefined);
      assert.deepEqual(await store.grantScopes('o3'), ['openid']);
      await store.deletePool('p1');
      assert.equal(await store.grantScopes('o3'), undefined);
    });
  });
});
