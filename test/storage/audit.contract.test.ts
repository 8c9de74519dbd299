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

    it('keeps the duration of a trigger invocation row, and API rows have none', async () => {
      const base: AuditRecord = { at: T0, requestId: '-', operation: 'AdminGetUser', principal: null, clientId: null, poolId: 'p3', username: 'bob', outcome: 'OK', status: 200, sourceIp: '-' };
      const trigger: AuditRecord = { ...base, at: T0 + 1, operation: 'Trigger:PreSignUp_SignUp', durationMs: 42 };
      // Trigger rows and API rows in one batch: the insert binds the same columns for both.
      await store.appendAudit([base, trigger]);
      assert.deepEqual(await store.listAudit({ limit: 10, poolId: 'p3' }), [base, trigger]);
    });

    it('keeps every row of a batch larger than one multi-row INSERT, each exactly and in order', async () => {
      // 50 rows go in one statement (storage/kysely/audit-columns.ts AUDIT_CHUNK); 2 whole chunks and 7 rows left over.
      const rows: AuditRecord[] = Array.from({ length: 107 }, (_, n) => ({
        at: T0 + n,
        requestId: `big${n}`,
        operation: n % 10 === 3 ? 'Trigger:PreSignUp_SignUp' : 'ListUsers',
        principal: n % 3 === 0 ? null : `arn:aws:iam::000000000000:user/u${n}`,
        clientId: n % 4 === 0 ? `c${n}` : null,
        poolId: 'p4',
        username: n % 5 === 0 ? null : `user${n}`,
        outcome: n % 7 === 0 ? 'UserNotFoundException' : 'OK',
        status: n % 7 === 0 ? 400 : 200,
        sourceIp: `10.0.0.${n}`,
        ...(n % 10 === 3 ? { durationMs: n } : {}),
      }));
      await store.appendAudit(rows);
      await store.appendAudit(rows.slice(0, 50).map((r) => ({ ...r, requestId: `again-${r.requestId}`, at: r.at + 1000 })));
      const listed = await store.listAudit({ limit: 500, poolId: 'p4' });
      assert.deepEqual(listed.slice(0, 107), rows);
      assert.deepEqual(listed.slice(107).map((r) => r.requestId), rows.slice(0, 50).map((r) => `again-${r.requestId}`));
    });

    it('keeps text exactly, whatever characters it holds', async () => {
      // PostgreSQL's insert sends each column as one array (kysely/audit.ts): quotes, backslashes,
      // braces, commas and the word NULL must come back as they were sent.
      const awkward = ['"quoted"', 'back\\slash', '{braces},', 'NULL', 'null', ' spaced ', 'ünïcødé ✓', "it's", 'a,b;c'];
      const rows: AuditRecord[] = awkward.map((text, n) => ({
        at: T0 + n,
        requestId: text,
        operation: 'AdminGetUser',
        principal: text,
        clientId: text,
        poolId: 'p5',
        username: text,
        outcome: 'OK',
        status: 200,
        sourceIp: text,
      }));
      await store.appendAudit(rows);
      assert.deepEqual(await store.listAudit({ limit: 50, poolId: 'p5' }), rows);
    });
  });
});
