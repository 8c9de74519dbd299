import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GroupRecord } from '../../src/domain/groups/group.js';
import type { Store } from '../../src/ports/store.js';
import { T0, byCodePoint, expectUnique, pool, storeContract, user } from './contract.js';

function group(poolId: string, name: string, over: Partial<GroupRecord> = {}): GroupRecord {
  return { poolId, name, description: null, roleArn: null, precedence: null, createdAt: T0, updatedAt: T0, ...over };
}

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('groups', () => {
    it('inserts, reads back exactly, updates, refuses a duplicate name, and answers undefined for an unknown group', async () => {
      await store.insertPool(pool('p1'));
      const full = group('p1', 'admins', { description: 'Admins', roleArn: 'arn:aws:iam::123456789012:role/Admin', precedence: 2 ** 31 - 1 });
      await store.insertGroup(full);
      assert.deepEqual(await store.getGroup('p1', 'admins'), full);
      await expectUnique(store.insertGroup(group('p1', 'admins')), 'other');
      // Names are exact: another case is another group.
      await store.insertGroup(group('p1', 'Admins'));
      const changed = { ...full, description: null, precedence: 0, updatedAt: T0 + 5 };
      await store.updateGroup(changed);
      assert.deepEqual(await store.getGroup('p1', 'admins'), changed);
      assert.equal(await store.getGroup('p1', 'nobody'), undefined);
      assert.equal(await store.getGroup('p2', 'admins'), undefined);
    });

    it('a duplicate inside a transaction leaves the transaction usable', async () => {
      await store.insertPool(pool('p1'));
      await store.insertGroup(group('p1', 'a'));
      await store.transaction(async (tx) => {
        await expectUnique(tx.insertGroup(group('p1', 'a')), 'other');
        await tx.insertGroup(group('p1', 'b'));
      });
      assert.ok(await store.getGroup('p1', 'b'));
    });

    it("lists one pool's groups in code-point name order, page by page", async () => {
      await store.insertPool(pool('p1'));
      await store.insertPool(pool('p2'));
      const names = ['b', 'B', 'a', 'Z', '0', 'ä', 'a-b', 'a_b'];
      for (const name of names) await store.insertGroup(group('p1', name));
      await store.insertGroup(group('p2', 'aa'));
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const rows = await store.listGroups('p1', { limit: 3, after });
        seen.push(...rows.map((g) => g.name));
        if (rows.length < 3) break;
        after = rows[rows.length - 1]?.name;
      }
      assert.deepEqual(seen, [...names].sort(byCodePoint));
    });
  });

  describe('group members', () => {
    async function setUp() {
      await store.insertPool(pool('p1'));
      for (const name of ['g1', 'g2', 'g3']) await store.insertGroup(group('p1', name, { precedence: name === 'g1' ? 5 : null, roleArn: name === 'g3' ? null : `arn:aws:iam::123456789012:role/${name}` }));
      const users = ['bob', 'Carol', 'alice', 'dave'].map((u) => user('p1', u));
      for (const u of users) await store.insertUser(u);
      return Object.fromEntries(users.map((u) => [u.usernameKey, u]));
    }

    it("adds once (adding again is no error), lists a user's groups by name and a group's members by username key, with paging", async () => {
      const u = await setUp();
      const alice = u.alice as ReturnType<typeof user>;
      for (const g of ['g3', 'g1']) await store.addGroupMember('p1', g, alice);
      await store.addGroupMember('p1', 'g1', alice);
      for (const name of ['bob', 'Carol', 'dave']) await store.addGroupMember('p1', 'g1', u[name] as ReturnType<typeof user>);

      assert.deepEqual((await store.listGroupsOfUser('p1', alice.sub, { limit: 10 })).map((g) => g.name), ['g1', 'g3']);
      assert.deepEqual((await store.listGroupsOfUser('p1', alice.sub, { limit: 1, after: 'g1' })).map((g) => g.name), ['g3']);
      assert.deepEqual(await store.listGroupsOfUser('p1', alice.sub, { limit: 1 }), [await store.getGroup('p1', 'g1')]);

      const first = await store.listGroupMembers('p1', 'g1', { limit: 2 });
      assert.deepEqual(first.map((m) => m.username), ['Carol', 'alice']);
      const rest = await store.listGroupMembers('p1', 'g1', { limit: 5, after: 'alice' });
      assert.deepEqual(rest.map((m) => m.username), ['bob', 'dave']);
      const { passwordHash: _p, passwordUpdatedAt: _pu, srp: _s, aliases: _a, ...listing } = alice;
      assert.deepEqual(first[1], listing);
      assert.deepEqual(await store.listGroupMembers('p1', 'g2', { limit: 5 }), []);
    });

    it("reads the claims of a user's groups in one query, and nothing for a user in none", async () => {
      const u = await setUp();
      const alice = u.alice as ReturnType<typeof user>;
      for (const g of ['g1', 'g3']) await store.addGroupMember('p1', g, alice);
      const claims = (await store.groupClaimsOf('p1', alice.sub)).sort((a, b) => byCodePoint(a.name, b.name));
      assert.deepEqual(claims, [
        { name: 'g1', precedence: 5, roleArn: 'arn:aws:iam::123456789012:role/g1' },
        { name: 'g3', precedence: null, roleArn: null },
      ]);
      assert.deepEqual(await store.groupClaimsOf('p1', (u.bob as ReturnType<typeof user>).sub), []);
    });

    it('removes one membership; deleting a group, a user or a pool removes theirs', async () => {
      const u = await setUp();
      const [alice, bob] = [u.alice, u.bob] as ReturnType<typeof user>[];
      for (const g of ['g1', 'g2', 'g3']) {
        await store.addGroupMember('p1', g, alice!);
        await store.addGroupMember('p1', g, bob!);
      }
      await store.removeGroupMember('p1', 'g2', alice!.sub);
      await store.removeGroupMember('p1', 'g2', alice!.sub);
      assert.deepEqual((await store.listGroupsOfUser('p1', alice!.sub, { limit: 10 })).map((g) => g.name), ['g1', 'g3']);

      await store.deleteGroup('p1', 'g1');
      assert.equal(await store.getGroup('p1', 'g1'), undefined);
      assert.deepEqual(await store.listGroupMembers('p1', 'g1', { limit: 10 }), []);
      assert.deepEqual((await store.listGroupsOfUser('p1', bob!.sub, { limit: 10 })).map((g) => g.name), ['g2', 'g3']);
      // A group made again under the same name starts empty.
      await store.insertGroup(group('p1', 'g1'));
      assert.deepEqual(await store.listGroupMembers('p1', 'g1', { limit: 10 }), []);

      await store.deleteUser('p1', bob!.sub);
      assert.deepEqual((await store.listGroupMembers('p1', 'g2', { limit: 10 })).map((m) => m.username), []);
      assert.deepEqual(await store.groupClaimsOf('p1', bob!.sub), []);
      assert.deepEqual((await store.listGroupMembers('p1', 'g3', { limit: 10 })).map((m) => m.username), ['alice']);

      await store.insertPool(pool('p2'));
      await store.insertGroup(group('p2', 'g3'));
      const other = user('p2', 'alice');
      await store.insertUser(other);
      await store.addGroupMember('p2', 'g3', other);
      await store.deletePool('p1');
      assert.deepEqual(await store.listGroups('p1', { limit: 10 }), []);
      assert.deepEqual(await store.groupClaimsOf('p1', alice!.sub), []);
      assert.deepEqual((await store.listGroupMembers('p2', 'g3', { limit: 10 })).map((m) => m.sub), [other.sub]);
    });
  });
});
