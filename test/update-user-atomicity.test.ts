import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import type { Store } from '../src/ports/store.js';
import type { UserRecord } from '../src/domain/users/user.js';
import { DIALECTS, type OpenedStore } from './support/dialects.js';

// Store methods called outside `transaction` are each their own implicit transaction
// (src/storage/store.ts). updateUser reads the stored row and then SETs only the columns that
// differ, two statements, so it runs them in a transaction of its own: two updates racing from
// two instances must leave one of the two records whole, never a mix (an alias or ListUsers
// filter copy from one and the attributes JSON from the other). Two SQLite stores in one process
// interleave their statements the same way on every run, so without that transaction the race
// happens every time there; on PostgreSQL only on some runs, so it is repeated there.

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);

const original: UserRecord = {
  poolId: 'p1',
  sub: 'sub-alice',
  username: 'alice',
  usernameKey: 'alice',
  status: 'CONFIRMED',
  enabled: true,
  passwordHash: null,
  passwordUpdatedAt: null,
  srp: null,
  attributes: { sub: 'sub-alice', email: 'old@example.com', name: 'Old Name' },
  aliases: { email: 'old@example.com', phone_number: null, preferred_username: null },
  createdAt: T0,
  updatedAt: T0,
};

for (const dialect of DIALECTS) {
  describe(`updateUser outside a transaction: ${dialect.name}`, { skip: dialect.skip }, () => {
    let opened: OpenedStore;
    let a: Store;
    let b: Store;
    beforeEach(async () => {
      opened = await dialect.open();
      a = opened.store;
      b = await opened.openAnother();
    });
    afterEach(() => opened.close());
    after(() => dialect.dispose());

    it('leaves one of two racing updates whole, not a mix of both', async () => {
      for (let round = 0; round < (dialect.name === 'postgres' ? 10 : 1); round++) await race(round);
    });

    async function race(round: number): Promise<void> {
      if (round > 0) await a.deleteUser('p1', original.sub);
      await a.insertUser(original);
      // Both start from the same read, as two requests handled at once would.
      const newEmail: UserRecord = {
        ...original,
        attributes: { ...original.attributes, email: 'new@example.com' },
        aliases: { ...original.aliases, email: 'new@example.com' },
        updatedAt: T0 + 1,
      };
      const newName: UserRecord = { ...original, attributes: { ...original.attributes, name: 'New Name' }, updatedAt: T0 + 2 };
      await Promise.all([a.updateUser(newEmail), b.updateUser(newName)]);

      const stored = await a.getUserBySub('p1', original.sub);
      assert.ok(stored);
      const whole = [newEmail, newName].some((r) => isDeepStrictEqual(r, stored));
      assert.ok(whole, `expected one of the two records, got ${JSON.stringify(stored)}`);
      // What a mix breaks: the sign-in alias and the filter copy must agree with the attribute.
      const byAlias = await a.getUserByAlias('p1', 'email', stored.attributes.email as string);
      assert.equal(byAlias?.sub, original.sub, 'the alias matches the email attribute');
      const filtered = await a.listUsers('p1', { limit: 5, filter: { column: 'email', op: '=', value: stored.attributes.email as string } });
      assert.deepEqual(filtered.map((u) => u.sub), [original.sub], 'the ListUsers copy matches the email attribute');
    }
  });
}
