import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditRecord } from '../../src/ports/audit.js';
import type { Store, SweepPolicy } from '../../src/ports/store.js';
import type { OpenedStore } from '../support/dialects.js';
import { T0, code, message, refreshToken, storeContract } from './contract.js';

storeContract((onOpen) => {
  let opened: OpenedStore;
  let store: Store;
  onOpen((o) => {
    opened = o;
    store = o.store;
  });

  describe('sweeping', () => {
    const DAY = 86_400_000;
    const NOW = T0 + 200 * DAY;
    const policy: SweepPolicy = {
      refreshTokenGraceMs: 2 * DAY,
      counterHorizonMs: 2 * DAY,
      outboxRetentionMs: 7 * DAY,
      auditRetentionMs: 90 * DAY,
      batchSize: 10_000,
    };
    const auditEntry = (requestId: string, at: number): AuditRecord => ({
      at,
      requestId,
      operation: 'InitiateAuth',
      principal: null,
      clientId: 'c1',
      poolId: 'p1',
      username: 'alice',
      outcome: 'OK',
      status: 200,
      sourceIp: '127.0.0.1',
    });

    it('deletes exactly the rows past their expiry, grace or retention, and keeps the rest', async () => {
      const tokenCutoff = NOW - policy.refreshTokenGraceMs;
      await store.insertRefreshToken(refreshToken('expired-old', 's1', { expiresAt: tokenCutoff - 1 }));
      await store.insertRefreshToken(refreshToken('expired-recently', 's1', { expiresAt: tokenCutoff }));
      await store.insertRefreshToken(refreshToken('revoked-old', 's1', { expiresAt: NOW + DAY, revokedAt: tokenCutoff - 1 }));
      await store.insertRefreshToken(refreshToken('revoked-recently', 's1', { expiresAt: NOW + DAY, revokedAt: tokenCutoff }));
      await store.insertRefreshToken(refreshToken('live', 's1', { expiresAt: NOW + DAY }));

      await store.putCode(code('s1', 'expired', 'h', { expiresAt: NOW - 1 }));
      await store.putCode(code('s1', 'expiring-now', 'h', { expiresAt: NOW }));
      await store.putCode(code('s1', 'live', 'h', { expiresAt: NOW + 1 }));

      const counterCutoff = NOW - policy.counterHorizonMs;
      await store.incrementCounter('old', counterCutoff - 1);
      await store.incrementCounter('at-horizon', counterCutoff);
      await store.incrementCounter('current', NOW);

      const outboxCutoff = NOW - (policy.outboxRetentionMs as number);
      await store.enqueueMessage(message('delivered-old', { state: 'delivered', deliveredAt: outboxCutoff - 1 }));
      await store.enqueueMessage(message('delivered-recently', { state: 'delivered', deliveredAt: outboxCutoff }));
      await store.enqueueMessage(message('failed-old', { state: 'failed', nextAttemptAt: outboxCutoff - 1 }));
      await store.enqueueMessage(message('failed-recently', { state: 'failed', nextAttemptAt: outboxCutoff }));
      await store.enqueueMessage(message('pending-old', { state: 'pending', nextAttemptAt: T0, createdAt: T0 }));

      const auditCutoff = NOW - (policy.auditRetentionMs as number);
      await store.appendAudit([auditEntry('audit-old', auditCutoff - 1), auditEntry('audit-recent', auditCutoff)]);

      await store.useOnce('once-expired', NOW, NOW - 10);
      await store.useOnce('once-live', NOW + 1, NOW - 10);

      assert.deepEqual(await store.sweep(NOW, policy), { refreshTokens: 2, codes: 2, counters: 1, outbox: 2, auditLog: 1, singleUse: 1 });

      for (const hash of ['expired-old', 'revoked-old']) assert.equal(await store.getRefreshToken(hash), undefined, hash);
      for (const hash of ['expired-recently', 'revoked-recently', 'live']) assert.ok(await store.getRefreshToken(hash), hash);
      assert.equal(await store.getCode('s1', 'expired'), undefined);
      assert.equal(await store.getCode('s1', 'expiring-now'), undefined);
      assert.ok(await store.getCode('s1', 'live'));
      assert.equal(await store.readCounter('old'), undefined);
      assert.deepEqual(await store.readCounter('at-horizon'), { windowStart: counterCutoff, count: 1 });
      assert.deepEqual(await store.readCounter('current'), { windowStart: NOW, count: 1 });
      assert.deepEqual((await store.listMessages({ limit: 10 })).map((m) => m.id).sort(), ['delivered-recently', 'failed-recently', 'pending-old']);
      assert.deepEqual((await store.listAudit({ limit: 10 })).map((e) => e.requestId), ['audit-recent']);
      assert.equal(await store.useOnce('once-live', NOW + 1, NOW), false, 'the live one-time key is still used');

      assert.deepEqual(await store.sweep(NOW, policy), { refreshTokens: 0, codes: 0, counters: 0, outbox: 0, auditLog: 0, singleUse: 0 });
    });

    it('keeps messages and audit entries forever without a retention', async () => {
      await store.enqueueMessage(message('delivered-ancient', { state: 'delivered', deliveredAt: T0 }));
      await store.enqueueMessage(message('failed-ancient', { state: 'failed', nextAttemptAt: T0 }));
      await store.appendAudit([auditEntry('audit-ancient', T0)]);
      const counts = await store.sweep(NOW, { ...policy, outboxRetentionMs: undefined, auditRetentionMs: undefined });
      assert.equal(counts.outbox, 0);
      assert.equal(counts.auditLog, 0);
      assert.equal((await store.listMessages({ limit: 10 })).length, 2);
      assert.equal((await store.listAudit({ limit: 10 })).length, 1);
    });

    it('deletes at most a batch per table per call, and several sweepers together delete each row once', async () => {
      for (let i = 0; i < 7; i++) {
        await store.insertRefreshToken(refreshToken(`t${i}`, 's1', { expiresAt: T0 }));
        await store.putCode(code('s1', `purpose-${i}`, 'h', { expiresAt: T0 }));
        await store.incrementCounter(`k${i}`, T0);
        await store.enqueueMessage(message(`m${i}`, { state: 'delivered', deliveredAt: T0 }));
        await store.appendAudit([auditEntry(`a${i}`, T0)]);
        await store.useOnce(`once-${i}`, T0 + 1, T0);
      }
      const small = { ...policy, batchSize: 3 };
      const batch = { refreshTokens: 3, codes: 3, counters: 3, outbox: 3, auditLog: 3, singleUse: 3 };
      assert.deepEqual(await store.sweep(NOW, small), batch);
      const other = await opened.openAnother();
      const together = await Promise.all([store.sweep(NOW, small), other.sweep(NOW, small), store.sweep(NOW, small)]);
      for (const counts of together) for (const n of Object.values(counts)) assert.ok(n <= 3, `at most a batch: ${JSON.stringify(counts)}`);
      for (const table of Object.keys(batch) as (keyof typeof batch)[]) {
        assert.equal(together.reduce((sum, c) => sum + c[table], 0), 4, `${table}: the 4 left, each deleted once`);
      }
      assert.deepEqual(await store.sweep(NOW, small), { refreshTokens: 0, codes: 0, counters: 0, outbox: 0, auditLog: 0, singleUse: 0 });
    });
  });
});
