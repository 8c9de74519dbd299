import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../src/ports/store.js';
import type { AuthEventRecord } from '../../src/domain/security/auth-event.js';
import { T0, client, pool, storeContract, user } from './contract.js';

function event(poolId: string, userSub: string, eventId: string, createdAt: number, over: Partial<AuthEventRecord> = {}): AuthEventRecord {
  return {
    poolId,
    userSub,
    eventId,
    eventType: 'SignIn',
    createdAt,
    response: 'Pass',
    risk: { decision: 'NoRisk', level: 'Low', compromisedCredentialsDetected: false },
    challenges: [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }],
    context: { ipAddress: '192.0.2.1' },
    ...over,
  };
}

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('threat protection: auth events', () => {
    it('lists a user’s events newest first, pages by (date, id), updates them, and deletes them with the user and the pool', async () => {
      await store.insertPool(pool('p1'));
      await store.insertPool(pool('p2'));
      const ann = user('p1', 'ann');
      const bob = user('p1', 'bob');
      await store.insertUser(ann);
      await store.insertUser(bob);
      // Two events in the same millisecond are ordered by id, descending.
      await store.insertAuthEvent(event('p1', ann.sub, 'e1', T0));
      await store.insertAuthEvent(event('p1', ann.sub, 'e3', T0 + 5));
      await store.transaction((tx) => tx.insertAuthEvent(event('p1', ann.sub, 'e2', T0 + 5)));
      await store.insertAuthEvent(event('p1', bob.sub, 'e4', T0 + 9));
      await store.insertAuthEvent(event('p2', ann.sub, 'e5', T0 + 9));

      assert.deepEqual((await store.listAuthEvents('p1', ann.sub, 10)).map((e) => e.eventId), ['e3', 'e2', 'e1']);
      const first = await store.listAuthEvents('p1', ann.sub, 1);
      assert.deepEqual(first.map((e) => e.eventId), ['e3']);
      assert.deepEqual((await store.listAuthEvents('p1', ann.sub, 5, { createdAt: T0 + 5, eventId: 'e3' })).map((e) => e.eventId), ['e2', 'e1']);
      assert.deepEqual((await store.listAuthEvents('p1', ann.sub, 5, { createdAt: T0 + 5, eventId: 'e2' })).map((e) => e.eventId), ['e1']);
      assert.deepEqual(await store.getAuthEvent('p1', ann.sub, 'e1'), event('p1', ann.sub, 'e1', T0));
      assert.equal(await store.getAuthEvent('p1', bob.sub, 'e1'), undefined, 'another user’s event is not found');

      const withFeedback = { ...event('p1', ann.sub, 'e1', T0), response: 'Fail' as const, feedback: { value: 'Invalid' as const, provider: 'Admin', date: T0 + 50 } };
      await store.updateAuthEvent(withFeedback);
      assert.deepEqual(await store.getAuthEvent('p1', ann.sub, 'e1'), withFeedback);

      await store.deleteUser('p1', ann.sub);
      assert.deepEqual(await store.listAuthEvents('p1', ann.sub, 10), []);
      assert.equal((await store.listAuthEvents('p1', bob.sub, 10)).length, 1);
      await store.deletePool('p1');
      assert.deepEqual(await store.listAuthEvents('p1', bob.sub, 10), []);
      assert.equal((await store.listAuthEvents('p2', ann.sub, 10)).length, 1);
    });
  });

  describe('threat protection: risk configurations', () => {
    it('keeps one per pool and per client; a client’s replaces the pool’s; goes with its client and pool', async () => {
      await store.insertPool(pool('p1'));
      await store.insertClient(client('c1', 'p1'));
      await store.insertClient(client('c2', 'p1'));
      assert.equal(await store.effectiveRiskConfiguration('p1', 'c1'), undefined);
      const poolLevel = { poolId: 'p1', clientId: null, riskExceptions: { BlockedIPRangeList: ['10.0.0.0/8'] }, updatedAt: T0 };
      await store.putRiskConfiguration(poolLevel);
      assert.deepEqual(await store.getRiskConfiguration('p1', null), poolLevel);
      assert.equal(await store.getRiskConfiguration('p1', 'c1'), undefined);
      assert.deepEqual(await store.effectiveRiskConfiguration('p1', 'c1'), poolLevel);

      const clientLevel = { poolId: 'p1', clientId: 'c1', compromisedCredentials: { Actions: { EventAction: 'BLOCK' as const } }, updatedAt: T0 + 1 };
      await store.transaction((tx) => tx.putRiskConfiguration(clientLevel));
      assert.deepEqual(await store.effectiveRiskConfiguration('p1', 'c1'), clientLevel);
      assert.deepEqual(await store.effectiveRiskConfiguration('p1', 'c2'), poolLevel);
      const replaced = { ...clientLevel, compromisedCredentials: { EventFilter: ['SIGN_UP' as const], Actions: { EventAction: 'NO_ACTION' as const } }, updatedAt: T0 + 2 };
      await store.putRiskConfiguration(replaced);
      assert.deepEqual(await store.getRiskConfiguration('p1', 'c1'), replaced);

      await store.deleteClient('c1');
      assert.equal(await store.getRiskConfiguration('p1', 'c1'), undefined);
      await store.deleteRiskConfiguration('p1', null);
      assert.equal(await store.getRiskConfiguration('p1', null), undefined);
      await store.putRiskConfiguration(poolLevel);
      await store.deletePool('p1');
      assert.equal(await store.getRiskConfiguration('p1', null), undefined);
    });
  });
});
