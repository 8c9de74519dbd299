import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditRecord } from '../../src/ports/audit.js';
import type { Store } from '../../src/ports/store.js';
import { T0, storeContract } from './contract.js';

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('audit log', () => {
    it('appends entries and lists the newest, oldest first, by pool', async () => {
      const entry = (n: number, over: Partial<AuditRecord> = {}): AuditRecord => ({
        at: T0 + Math.floor(n / 2),
        requestId: `r${n}`,
        operation: 'AdminGetUser',
        principal: null,
        clientId: null,
        poolId: 'p1',
        username: 'alice',
        outcome: 'OK',
        status: 200,
        sourceIp: '127.0.0.1',
        ...over,
      });
      await store.appendAudit([]);
      await store.appendAudit([entry(0), entry(1, { poolId: 'p2', principal: 'arn:aws:iam::000000000000:user/x' })]);
      await store.appendAudit([entry(2, { outcome: 'UserNotFoundException', status: 400 }), entry(3, { clientId: 'c1', username: null })]);
      assert.deepEqual((await store.listAudit({ limit: 10 })).map((e) => e.requestId), ['r0', 'r1', 'r2', 'r3']);
      assert.deepEqual(await store.listAudit({ limit: 2 }), [entry(2, { outcome: 'UserNotFoundException', status: 400 }), entry(3, { clientId: 'c1', username: null })]);
      assert.deepEqual((await store.listAudit({ limit: 10, poolId: 'p2' })).map((e) => e.requestId), ['r1']);
    });
  });
});
