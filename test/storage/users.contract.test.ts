import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FilterColumn, UserRecord } from '../../src/domain/users/user.js';
import type { Store } from '../../src/ports/store.js';
import { T0, pool, user, code, refreshToken, expectUnique, allPages, nullAliases, byCodePoint, storeContract } from './contract.js';

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('users', () => {
    it('round-trips a user and finds it by username key, sub and each alias, only in its pool', async () => {
      const alice = user('p1', 'alice', {
        status: 'FORCE_CHANGE_PASSWORD',
        enabled: false,
        passwordHash: '$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA',
        passwordUpdatedAt: T0 + 1,
        srp: { saltHex: '00ff', verifierSealed: 'sealed-verifier' },
        attributes: { email: 'alice@example.com', phone_number: '+15550100', preferred_username: 'Ally', 'custom:tier': 'gold' },
        aliases: { email: 'alice@example.com', phone_number: '+15550100', preferred_username: 'ally' },
      });
      await store.insertUser(alice);
      assert.deepEqual(await store.getUserByUsernameKey('p1', 'alice'), alice);
      assert.deepEqual(await store.getUserBySub('p1', alice.sub), alice);
      for (const [kind, key] of [['email', 'alice@example.com'], ['phone_number', '+15550100'], ['preferred_username', 'ally']] as const) {
        assert.deepEqual(await store.getUserByAlias('p1', kind, key), alice, kind);
        assert.equal(await store.getUserByAlias('p2', kind, key), undefined, kind);
      }
      assert.equal(await store.getUserByUsernameKey('p2', 'alice'), undefined);
      assert.equal(await store.getUserBySub('p2', alice.sub), undefined);
      assert.equal(await store.getUserByUsernameKey('p1', 'Alice'), undefined, 'keys compare exactly; folding is the caller’s');
      assert.equal(await store.countUsers('p1'), 1);
      assert.equal(await store.countUsers('p2'), 0);
    });

    it('maps unique violations to the constraint that was hit', async () => {
      const aliased = { email: 'a@example.com', phone_number: '+15550100', preferred_username: 'pref' };
      await store.insertUser(user('p1', 'alice', { aliases: aliased }));
      await expectUnique(store.insertUser(user('p1', 'alice')), 'username');
      await expectUnique(store.insertUser(user('p1', 'bob', { aliases: { ...nullAliases(), email: 'a@example.com' } })), 'email');
      await expectUnique(store.insertUser(user('p1', 'bob', { aliases: { ...nullAliases(), phone_number: '+15550100' } })), 'phone_number');
      await expectUnique(store.insertUser(user('p1', 'bob', { aliases: { ...nullAliases(), preferred_username: 'pref' } })), 'preferred_username');
      const alice = await store.getUserByUsernameKey('p1', 'alice');
      await expectUnique(store.insertUser(user('p2', 'carol', { sub: alice?.sub })), 'other');
      // The same names in another pool, and any number of users without aliases, are fine.
      await store.insertUser(user('p2', 'alice', { aliases: aliased }));
      await store.insertUser(user('p1', 'bob'));
      await store.insertUser(user('p1', 'carol'));
      assert.equal(await store.countUsers('p1'), 3);
    });

    it('refuses an update that takes another user’s alias, and changes nothing', async () => {
      await store.insertUser(user('p1', 'alice', { aliases: { ...nullAliases(), email: 'alice@example.com' } }));
      const bob = user('p1', 'bob');
      await store.insertUser(bob);
      const stolen = { ...bob, status: 'RESET_REQUIRED' as const, aliases: { ...nullAliases(), email: 'alice@example.com' } };
      await expectUnique(store.updateUser(stolen), 'email');
      assert.deepEqual(await store.getUserBySub('p1', bob.sub), bob);

      const renamed = { ...bob, username: 'Bobby', usernameKey: 'bobby', attributes: { ...bob.attributes, name: 'Bob' }, updatedAt: T0 + 9 };
      await store.updateUser(renamed);
      assert.deepEqual(await store.getUserBySub('p1', bob.sub), renamed);
      await expectUnique(store.updateUser({ ...renamed, usernameKey: 'alice' }), 'username');
    });

    it('keeps a transaction usable after a unique violation it caught', async () => {
      await store.insertUser(user('p1', 'alice'));
      const created = await store.transaction(async (tx) => {
        await tx.insertPool(pool('p1'));
        await expectUnique(tx.insertUser(user('p1', 'alice')), 'username');
        await tx.insertUser(user('p1', 'alice2'));
        return tx.getUserByUsernameKey('p1', 'alice2');
      });
      assert.ok(created);
      assert.ok(await store.getPool('p1'));
      assert.ok(await store.getUserByUsernameKey('p1', 'alice2'));
    });

    it('updateUser given the record read in the same transaction writes what differs from it; outside one, that record is ignored', async () => {
      let current = user('p1', 'alice', { status: 'CONFIRMED', passwordHash: 'hash-1', attributes: { email: 'alice@example.com', given_name: 'Alice' }, aliases: { ...nullAliases(), email: 'alice@example.com' } });
      await store.insertUser(current);
      const inTransaction = async (step: string, change: (stored: UserRecord) => UserRecord) => {
        const next = await store.transaction(async (tx) => {
          const stored = await tx.getUserBySub('p1', current.sub);
          assert.ok(stored, step);
          const next = change(stored);
          await tx.updateUser(next, stored);
          return next;
        });
        assert.deepEqual(await store.getUserBySub('p1', current.sub), next, step);
        current = next;
      };
      await inTransaction('reset', (u) => ({ ...u, status: 'RESET_REQUIRED', passwordHash: null, srp: null, updatedAt: T0 + 1 }));
      await inTransaction('an attribute and its alias', (u) => ({ ...u, attributes: { ...u.attributes, email: 'ally@example.com' }, aliases: { ...u.aliases, email: 'ally@example.com' }, updatedAt: T0 + 2 }));
      assert.equal((await store.getUserByAlias('p1', 'email', 'ally@example.com'))?.sub, current.sub);
      assert.equal(await store.getUserByAlias('p1', 'email', 'alice@example.com'), undefined);
      assert.deepEqual(await allPages(store, 'p1', { limit: 10, filter: { column: 'email', op: '=', value: 'ally@example.com' } }), ['alice']);
      await inTransaction('nothing', (u) => ({ ...u }));
      await inTransaction('a password and an SRP verifier', (u) => ({ ...u, status: 'CONFIRMED', passwordHash: 'hash-2', passwordUpdatedAt: T0 + 4, srp: { saltHex: 'ab', verifierSealed: 'sealed' }, updatedAt: T0 + 4 }));
      await inTransaction('disabled, a filtered attribute removed', (u) => {
        const { given_name: _gone, ...attributes } = u.attributes;
        return { ...u, enabled: false, attributes, updatedAt: T0 + 5 };
      });
      assert.deepEqual(await allPages(store, 'p1', { limit: 10, filter: { column: 'given_name', op: '=', value: 'Alice' } }), []);
      await inTransaction('renamed', (u) => ({ ...u, username: 'Alicia', usernameKey: 'alicia', srp: null, updatedAt: T0 + 6 }));
      assert.equal((await store.getUserByUsernameKey('p1', 'alicia'))?.sub, current.sub);

      // Outside a transaction the row may have moved on since any read: the row is read again,
      // so a `stored` equal to the new record does not make the update a no-op.
      const next = { ...current, enabled: false, updatedAt: T0 + 3 };
      await store.updateUser(next, next);
      assert.deepEqual(await store.getUserBySub('p1', current.sub), next);
    });

    it('updateUser writes only what changed and is a no-op when nothing did', async () => {
      // updateUser SETs only the columns that differ from the stored row; whatever it skips
      // must already be right, so every step reads the whole record back, and the lookups
      // (aliases, username key, ListUsers filter copies) must follow.
      const neighbour = user('p1', 'neighbour', { attributes: { given_name: 'Nina' } });
      await store.insertUser(neighbour);
      let current = user('p1', 'alice', {
        status: 'UNCONFIRMED',
        attributes: { email: 'alice@example.com', given_name: 'Alice', family_name: '' },
        aliases: { ...nullAliases(), email: 'alice@example.com' },
      });
      await store.insertUser(current);
      const apply = async (step: string, next: UserRecord) => {
        await store.updateUser(next);
        assert.deepEqual(await store.getUserBySub('p1', next.sub), next, step);
        current = next;
      };
      const givenName = (value: string) => allPages(store, 'p1', { limit: 10, filter: { column: 'given_name', op: '=', value } });

      await apply('one attribute', { ...current, attributes: { ...current.attributes, given_name: 'Ally' }, updatedAt: T0 + 1 });
      assert.deepEqual(await givenName('Ally'), ['alice']);
      assert.deepEqual(await givenName('Alice'), []);

      await apply('alias to null', { ...current, aliases: { ...current.aliases, email: null }, updatedAt: T0 + 2 });
      assert.equal(await store.getUserByAlias('p1', 'email', 'alice@example.com'), undefined);
      await apply('alias back, and another added', {
        ...current,
        attributes: { ...current.attributes, phone_number: '+15550100' },
        aliases: { ...current.aliases, email: 'alice@example.com', phone_number: '+15550100' },
        updatedAt: T0 + 3,
      });
      assert.equal((await store.getUserByAlias('p1', 'email', 'alice@example.com'))?.sub, current.sub);
      assert.equal((await store.getUserByAlias('p1', 'phone_number', '+15550100'))?.sub, current.sub);

      await apply('confirmed with a password and an SRP verifier', {
        ...current,
        status: 'CONFIRMED',
        passwordHash: 'hash-1',
        passwordUpdatedAt: T0 + 4,
        srp: { saltHex: '00ff', verifierSealed: 'verifier-1' },
        updatedAt: T0 + 4,
      });
      await apply('SRP verifier replaced', { ...current, srp: { saltHex: '01ff', verifierSealed: 'verifier-2' }, updatedAt: T0 + 5 });
      await apply('reset: no password, no verifier, disabled', {
        ...current,
        status: 'RESET_REQUIRED',
        passwordHash: null,
        passwordUpdatedAt: null,
        srp: null,
        enabled: false,
        updatedAt: T0 + 6,
      });
      const { given_name: _dropped, ...withoutGivenName } = current.attributes;
      await apply('renamed, an attribute removed, an empty one set', {
        ...current,
        username: 'Alicia',
        usernameKey: 'alicia',
        enabled: true,
        attributes: { ...withoutGivenName, family_name: 'Smith' },
        updatedAt: T0 + 7,
      });
      assert.equal(await store.getUserByUsernameKey('p1', 'alice'), undefined);
      assert.equal((await store.getUserByUsernameKey('p1', 'alicia'))?.sub, current.sub);
      assert.deepEqual(await givenName('Ally'), []);
      assert.deepEqual(await allPages(store, 'p1', { limit: 10, filter: { column: 'family_name', op: '=', value: 'Smith' } }), ['alicia']);

      // Nothing changed: the call succeeds and leaves the record exactly as it was, whether
      // given the same object or an equal copy.
      const settled = structuredClone(current);
      await store.updateUser(current);
      await store.updateUser(structuredClone(current));
      assert.deepEqual(await store.getUserBySub('p1', current.sub), settled);

      // A record from an older read still replaces the whole row: what changed is measured
      // against the stored row, not against what the caller last saw.
      const older = { ...current, status: 'CONFIRMED' as const };
      await apply('moved on', { ...current, attributes: { ...current.attributes, name: 'Newer' }, updatedAt: T0 + 8 });
      await apply('older record written back', older);

      assert.deepEqual(await store.getUserBySub('p1', neighbour.sub), neighbour, 'the other user is untouched');
    });

    it('deletes a user with its codes and refresh tokens', async () => {
      const alice = user('p1', 'alice');
      const bob = user('p1', 'bob');
      for (const u of [alice, bob]) {
        await store.insertUser(u);
        await store.putCode(code(u.sub, 'forgot_password', 'h'));
        await store.insertRefreshToken(refreshToken(`rt-${u.sub}`, u.sub));
      }
      await store.deleteUser('p1', alice.sub);
      assert.equal(await store.getUserBySub('p1', alice.sub), undefined);
      assert.equal(await store.getCode(alice.sub, 'forgot_password'), undefined);
      assert.equal(await store.getRefreshToken(`rt-${alice.sub}`), undefined);
      assert.ok(await store.getUserBySub('p1', bob.sub));
      assert.ok(await store.getCode(bob.sub, 'forgot_password'));
      assert.ok(await store.getRefreshToken(`rt-${bob.sub}`));
    });
  });

  describe('listing users', () => {
    it('pages the whole pool in bytewise username-key order', async () => {
      const keys = ['b', 'B', 'a', '_x', 'Z', 'é', 'e', 'z', '😀', '\u{ff5e}', '0'];
      for (const k of keys) await store.insertUser(user('p1', k));
      await store.insertUser(user('p2', 'aa'));
      const codePointOrder = [...keys].sort(byCodePoint);
      assert.deepEqual(await allPages(store, 'p1', { limit: 3 }), codePointOrder);
      assert.deepEqual(codePointOrder.slice(0, 4), ['0', 'B', 'Z', '_x']);
    });

    const attributeColumns = ['email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username'] as const satisfies readonly FilterColumn[];
    for (const column of attributeColumns) {
      it(`filters on ${column} with = and ^=, prefixes taken literally`, async () => {
        const values: Record<string, string> = {
          u1: '100%_off',
          u2: '100%x',
          u3: '100_x',
          u4: '100a',
          u5: 'Élodie',
          u6: 'Émile',
          u7: 'Eve',
          u8: 'a\u{10ffff}x',
          u9: 'b',
          u10: '100%x',
        };
        for (const [key, value] of Object.entries(values)) await store.insertUser(user('p1', key, { attributes: { [column]: value } }));
        await store.insertUser(user('p1', 'none'));
        await store.insertUser(user('p2', 'other', { attributes: { [column]: '100%x' } }));

        const list = async (op: '=' | '^=', value: string) => {
          const rows = await store.listUsers('p1', { limit: 60, filter: { column, op, value } });
          return rows.map((u) => u.usernameKey);
        };
        assert.deepEqual(await list('=', '100%x'), ['u10', 'u2']);
        assert.deepEqual(await list('=', '100%'), []);
        // Ordered by the value, then the username key.
        assert.deepEqual(await list('^=', '100%'), ['u1', 'u10', 'u2']);
        assert.deepEqual(await list('^=', '100_'), ['u3']);
        assert.deepEqual(await list('^=', '100'), ['u1', 'u10', 'u2', 'u3', 'u4']);
        assert.deepEqual(await list('^=', 'É'), ['u5', 'u6']);
        assert.deepEqual(await list('^=', 'E'), ['u7']);
        assert.deepEqual(await list('^=', 'a\u{10ffff}'), ['u8']);
        assert.deepEqual(await list('^=', 'e'), []);

        // Pages of a prefix filter continue from the last (value, key) seen.
        assert.deepEqual(await allPages(store, 'p1', { limit: 2, filter: { column, op: '^=', value: '100' } }), ['u1', 'u10', 'u2', 'u3', 'u4']);
        assert.deepEqual(await allPages(store, 'p1', { limit: 1, filter: { column, op: '=', value: '100%x' } }), ['u10', 'u2']);
      });
    }

    it('filters on username keys with = and ^=', async () => {
      for (const k of ['100%_a', '100%b', '100_c', 'alice', 'alicia', 'bob']) await store.insertUser(user('p1', k));
      const list = async (op: '=' | '^=', value: string, limit = 60) =>
        allPages(store, 'p1', { limit, filter: { column: 'username', op, value } });
      assert.deepEqual(await list('=', 'alice'), ['alice']);
      assert.deepEqual(await list('^=', 'ali', 1), ['alice', 'alicia']);
      assert.deepEqual(await list('^=', '100%'), ['100%_a', '100%b']);
      assert.deepEqual(await list('^=', '100_'), ['100_c']);
    });

    it('filters on status, enabled and sub', async () => {
      await store.insertUser(user('p1', 'a', { status: 'CONFIRMED', sub: 'aaa-1' }));
      await store.insertUser(user('p1', 'b', { status: 'UNCONFIRMED', sub: 'aab-2', enabled: false }));
      await store.insertUser(user('p1', 'c', { status: 'UNKNOWN', sub: 'b%_3' }));
      await store.insertUser(user('p1', 'd', { status: 'FORCE_CHANGE_PASSWORD', sub: 'b_x4', enabled: false }));
      const list = async (column: FilterColumn, op: '=' | '^=', value: string) =>
        allPages(store, 'p1', { limit: 1, filter: { column, op, value } });
      assert.deepEqual(await list('status', '=', 'CONFIRMED'), ['a']);
      assert.deepEqual(await list('status', '^=', 'UN'), ['b', 'c']);
      assert.deepEqual(await list('enabled', '=', 'Enabled'), ['a', 'c']);
      assert.deepEqual(await list('enabled', '=', 'Disabled'), ['b', 'd']);
      assert.deepEqual(await list('sub', '=', 'aab-2'), ['b']);
      assert.deepEqual(await list('sub', '^=', 'aa'), ['a', 'b']);
      assert.deepEqual(await list('sub', '^=', 'b%'), ['c']);
    });
  });
});
