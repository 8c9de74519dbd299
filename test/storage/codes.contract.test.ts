import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../src/ports/store.js';
import type { OpenedStore } from '../support/dialects.js';
import { T0, code, storeContract } from './contract.js';

storeContract((onOpen) => {
  let opened: OpenedStore;
  let store: Store;
  onOpen((o) => {
    opened = o;
    store = o.store;
  });

  describe('codes', () => {
    it('puts, replaces, and consumes a code once', async () => {
      await store.putCode(code('s1', 'forgot_password', 'hash-1'));
      assert.deepEqual(await store.getCode('s1', 'forgot_password'), code('s1', 'forgot_password', 'hash-1'));
      const replacement = code('s1', 'forgot_password', 'hash-2', { expiresAt: T0 + 99, createdAt: T0 + 1 });
      await store.putCode(replacement);
      await store.putCode(code('s1', 'verify_email', 'hash-e'));
      assert.deepEqual(await store.getCode('s1', 'forgot_password'), replacement);

      assert.equal(await store.consumeCode('s1', 'forgot_password', 'hash-1'), false, 'the replaced code no longer works');
      assert.equal(await store.consumeCode('s1', 'verify_email', 'hash-2'), false, 'purposes are separate');
      assert.equal(await store.consumeCode('s1', 'forgot_password', 'hash-2'), true);
      assert.equal(await store.consumeCode('s1', 'forgot_password', 'hash-2'), false);
      assert.equal(await store.getCode('s1', 'forgot_password'), undefined);

      await store.deleteCodes('s1');
      assert.equal(await store.getCode('s1', 'verify_email'), undefined);
    });

    it('lets exactly one of many concurrent consumers have a code', async () => {
      const other = await opened.openAnother();
      await store.putCode(code('s1', 'forgot_password', 'hash-1'));
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? store : other).consumeCode('s1', 'forgot_password', 'hash-1')),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });
  });
});
