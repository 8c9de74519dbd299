import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { UniqueViolation } from '../src/ports/unique-violation.js';
import type { AliasKind, FilterColumn, UserRecord } from '../src/domain/users/user.js';
import type { ClientRecord } from '../src/domain/clients/client.js';
import type { CodeRecord } from '../src/ports/codes.js';
import type { AuditRecord } from '../src/ports/audit.js';
import type { CredentialRecord } from '../src/ports/credentials.js';
import type { OutboxRecord } from '../src/ports/outbox.js';
import type { PoolRecord } from '../src/domain/pools/pool.js';
import type { RefreshTokenRecord } from '../src/ports/refresh-tokens.js';
import type { SigningKeyRecord } from '../src/ports/signing-keys.js';
import type { Store, SweepPolicy } from '../src/ports/store.js';
import type { UserQuery } from '../src/ports/users.js';
import { DIALECTS, type OpenedStore } from './support/dialects.js';

// Epoch milliseconds beyond 2^32, so a bigint column read back as a string would show.
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);

function pool(id: string, over: Partial<PoolRecord> = {}): PoolRecord {
  return { id, name: `pool ${id}`, settings: { counter: 0, nested: { list: [1, 'two', null] } }, createdAt: T0, updatedAt: T0, ...over };
}

function client(id: string, poolId: string, over: Partial<ClientRecord> = {}): ClientRecord {
  return { id, poolId, name: `client ${id}`, secretSealed: null, settings: { flows: ['ALLOW_USER_PASSWORD_AUTH'] }, createdAt: T0, updatedAt: T0, ...over };
}

let subCounter = 0;
function user(poolId: string, usernameKey: string, over: Partial<UserRecord> & { attributes?: Record<string, string> } = {}): UserRecord {
  const sub = over.sub ?? `sub-${++subCounter}-${usernameKey}`;
  return {
    poolId,
    sub,
    username: usernameKey,
    usernameKey,
    status: 'CONFIRMED',
    enabled: true,
    passwordHash: null,
    passwordUpdatedAt: null,
    srp: null,
    aliases: { email: null, phone_number: null, preferred_username: null },
    createdAt: T0,
    updatedAt: T0,
    ...over,
    attributes: { sub, ...over.attributes },
  };
}

function code(userSub: string, purpose: string, codeHash: string, over: Partial<CodeRecord> = {}): CodeRecord {
  return { userSub, purpose, poolId: 'p1', codeHash, expiresAt: T0 + 3_600_000, createdAt: T0, ...over };
}

function message(id: string, over: Partial<OutboxRecord> = {}): OutboxRecord {
  return {
    id,
    poolId: 'p1',
    userSub: 'sub-1',
    username: 'alice',
    trigger: 'ForgotPassword',
    channel: 'EMAIL',
    destination: 'alice@example.com',
    payloadSealed: `sealed-${id}`,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: T0,
    claimedBy: null,
    claimedUntil: null,
    lastError: null,
    createdAt: T0,
    deliveredAt: null,
    ...over,
  };
}

function refreshToken(tokenHash: string, userSub: string, over: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    tokenHash,
    poolId: 'p1',
    clientId: 'c1',
    userSub,
    originJti: `jti-${tokenHash}`,
    authTime: T0,
    createdAt: T0,
    expiresAt: T0 + 30 * 86_400_000,
    revokedAt: null,
    ...over,
  };
}

function signingKey(poolId: string, kid: string): SigningKeyRecord {
  return { poolId, kid, privateJwkSealed: `private-${kid}`, publicJwk: `{"kid":"${kid}"}`, createdAt: T0 };
}

async function expectUnique(write: Promise<unknown>, constraint: UniqueViolation['constraint']): Promise<void> {
  await assert.rejects(write, (err: unknown) => {
    assert.ok(err instanceof UniqueViolation, `expected UniqueViolation, got ${String(err)}`);
    assert.equal(err.constraint, constraint);
    return true;
  });
}

/** Every page of a listing, following `after` (and `afterValue` for prefix filters on a value column). */
async function allPages(store: Store, poolId: string, query: Omit<UserQuery, 'after' | 'afterValue'>): Promise<string[]> {
  const seen: string[] = [];
  let after: string | undefined;
  let afterValue: string | undefined;
  for (let page = 0; page < 50; page++) {
    const rows = await store.listUsers(poolId, { ...query, after, afterValue });
    seen.push(...rows.map((u) => u.usernameKey));
    if (rows.length < query.limit) return seen;
    const last = rows[rows.length - 1] as UserRecord;
    after = last.usernameKey;
    const column = query.filter?.column;
    if (query.filter?.op === '^=' && column !== undefined && column !== 'username') {
      afterValue = column === 'status' ? last.status : column === 'sub' ? last.sub : last.attributes[column];
    }
  }
  throw new Error('paging did not end');
}

for (const dialect of DIALECTS) {
  describe(`store contract: ${dialect.name}`, { skip: dialect.skip }, () => {
    let opened: OpenedStore;
    let store: Store;
    beforeEach(async () => {
      opened = await dialect.open();
      store = opened.store;
    });
    afterEach(() => opened.close());
    after(() => dialect.dispose());

    describe('user pools', () => {
      it('inserts, reads back exactly, updates, and answers undefined for an unknown id', async () => {
        await store.insertPool(pool('us-east-1_a'));
        assert.deepEqual(await store.getPool('us-east-1_a'), pool('us-east-1_a'));
        const changed = pool('us-east-1_a', { name: 'renamed', settings: { counter: 7 }, updatedAt: T0 + 1 });
        await store.updatePool(changed);
        assert.deepEqual(await store.getPool('us-east-1_a'), changed);
        assert.equal(await store.getPool('us-east-1_missing'), undefined);
      });

      it('pages in bytewise id order, whatever the database locale', async () => {
        const ids = ['us-east-1_b', 'us-east-1_B', 'us-east-1_a', 'us-east-1_Z', 'us-east-1_0', 'us-east-1_A'];
        for (const id of ids) await store.insertPool(pool(id));
        const expected = [...ids].sort();
        const seen: string[] = [];
        let after: string | undefined;
        for (;;) {
          const rows = await store.listPools({ limit: 4, after });
          seen.push(...rows.map((p) => p.id));
          if (rows.length < 4) break;
          after = rows[rows.length - 1]?.id;
        }
        assert.deepEqual(seen, expected);
        assert.deepEqual(expected.slice(0, 3), ['us-east-1_0', 'us-east-1_A', 'us-east-1_B']);
      });

      it('deletes a pool with everything in it, and only that pool', async () => {
        for (const id of ['p1', 'p2']) {
          await store.insertPool(pool(id));
          await store.insertClient(client(`${id}-c`, id));
          await store.insertUser(user(id, 'alice', { sub: `${id}-alice` }));
          await store.putCode(code(`${id}-alice`, 'forgot_password', 'h', { poolId: id }));
          await store.insertRefreshToken(refreshToken(`${id}-rt`, `${id}-alice`, { poolId: id }));
          await store.putSigningKeyIfAbsent(signingKey(id, `${id}-k`));
          await store.enqueueMessage(message(`${id}-pending`, { poolId: id }));
          await store.enqueueMessage(message(`${id}-delivered`, { poolId: id, state: 'delivered', deliveredAt: T0 }));
        }
        await store.deletePool('p1');
        assert.equal(await store.getPool('p1'), undefined);
        assert.equal(await store.getClient('p1-c'), undefined);
        assert.equal(await store.getUserBySub('p1', 'p1-alice'), undefined);
        assert.equal(await store.getCode('p1-alice', 'forgot_password'), undefined);
        assert.equal(await store.getRefreshToken('p1-rt'), undefined);
        assert.equal(await store.getSigningKey('p1'), undefined);
        // Delivered messages stay as the record of what was sent; pending ones are dropped.
        assert.deepEqual((await store.listMessages({ poolId: 'p1', limit: 10 })).map((m) => m.id), ['p1-delivered']);

        assert.ok(await store.getPool('p2'));
        assert.ok(await store.getClient('p2-c'));
        assert.ok(await store.getUserBySub('p2', 'p2-alice'));
        assert.ok(await store.getCode('p2-alice', 'forgot_password'));
        assert.ok(await store.getRefreshToken('p2-rt'));
        assert.ok(await store.getSigningKey('p2'));
        assert.equal((await store.listMessages({ poolId: 'p2', limit: 10 })).length, 2);
      });
    });

    describe('app clients', () => {
      it('inserts, reads, updates, deletes, and lists one pool in id order with paging', async () => {
        await store.insertPool(pool('p1'));
        await store.insertPool(pool('p2'));
        const sealed = client('c-secret', 'p1', { secretSealed: 'sealed-secret' });
        await store.insertClient(sealed);
        assert.deepEqual(await store.getClient('c-secret'), sealed);
        for (const id of ['c3', 'c1', 'C2']) await store.insertClient(client(id, 'p1'));
        await store.insertClient(client('c0-other', 'p2'));

        const updated = { ...sealed, name: 'renamed', settings: { flows: [] }, updatedAt: T0 + 5 };
        await store.updateClient(updated);
        assert.deepEqual(await store.getClient('c-secret'), updated);

        const first = await store.listClients('p1', { limit: 2 });
        assert.deepEqual(first.map((c) => c.id), ['C2', 'c-secret']);
        const rest = await store.listClients('p1', { limit: 10, after: 'c-secret' });
        assert.deepEqual(rest.map((c) => c.id), ['c1', 'c3']);

        await store.deleteClient('c1');
        assert.equal(await store.getClient('c1'), undefined);
        assert.deepEqual((await store.listClients('p1', { limit: 10 })).map((c) => c.id), ['C2', 'c-secret', 'c3']);
      });
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

    describe('counters', () => {
      it('counts within a window and restarts in a new one', async () => {
        const w1 = T0;
        const w2 = T0 + 3_600_000;
        assert.equal(await store.getCounter('k', w1), 0);
        assert.equal(await store.readCounter('k'), undefined);
        assert.equal(await store.incrementCounter('k', w1), 1);
        assert.equal(await store.incrementCounter('k', w1), 2);
        assert.equal(await store.incrementCounter('other', w1), 1);
        assert.equal(await store.getCounter('k', w1), 2);
        assert.deepEqual(await store.readCounter('k'), { windowStart: w1, count: 2 });
        assert.equal(await store.getCounter('k', w2), 0, 'another window reads as empty');
        assert.equal(await store.incrementCounter('k', w2), 1);
        assert.equal(await store.getCounter('k', w1), 0);
        assert.deepEqual(await store.readCounter('k'), { windowStart: w2, count: 1 });
        await store.resetCounter('k');
        assert.equal(await store.readCounter('k'), undefined);
        assert.equal(await store.getCounter('other', w1), 1);
      });

      it('loses no concurrent increments', async () => {
        const other = await opened.openAnother();
        const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : other).incrementCounter('k', T0)));
        assert.deepEqual([...counts].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
      });
    });

    describe('outbox', () => {
      it('lists the newest messages oldest first, by pool, username and after an id', async () => {
        await store.enqueueMessage(message('m3', { createdAt: T0 + 2 }));
        await store.enqueueMessage(message('m1', { createdAt: T0 }));
        await store.enqueueMessage(message('m2b', { createdAt: T0 + 1 }));
        await store.enqueueMessage(message('m2a', { createdAt: T0 + 1, username: 'bob', poolId: 'p2' }));
        const ids = async (query: Parameters<Store['listMessages']>[0]) => (await store.listMessages(query)).map((m) => m.id);
        assert.deepEqual(await ids({ limit: 10 }), ['m1', 'm2a', 'm2b', 'm3']);
        assert.deepEqual(await ids({ limit: 2 }), ['m2b', 'm3']);
        assert.deepEqual(await ids({ limit: 10, afterId: 'm2a' }), ['m2b', 'm3']);
        assert.deepEqual(await ids({ limit: 10, poolId: 'p1' }), ['m1', 'm2b', 'm3']);
        assert.deepEqual(await ids({ limit: 10, username: 'bob' }), ['m2a']);
        assert.deepEqual(await store.listMessages({ limit: 1, afterId: 'm2b' }), [message('m3', { createdAt: T0 + 2 })]);
      });

      it('claims due messages until the claim expires, and not delivered ones', async () => {
        await store.enqueueMessage(message('due-sms', { channel: 'SMS', createdAt: T0 + 1 }));
        await store.enqueueMessage(message('due-email', { createdAt: T0 + 2 }));
        await store.enqueueMessage(message('later', { nextAttemptAt: T0 + 60_000 }));
        await store.enqueueMessage(message('done', { state: 'delivered', deliveredAt: T0 }));
        await store.enqueueMessage(message('failed', { state: 'failed' }));

        assert.deepEqual(await store.claimMessages('w', T0, T0 + 1000, 10, []), []);
        const emailOnly = await store.claimMessages('w1', T0, T0 + 1000, 10, ['EMAIL']);
        assert.deepEqual(emailOnly, [message('due-email', { createdAt: T0 + 2, claimedBy: 'w1', claimedUntil: T0 + 1000 })]);
        const rest = await store.claimMessages('w2', T0, T0 + 1000, 10);
        assert.deepEqual(rest.map((m) => [m.id, m.claimedBy]), [['due-sms', 'w2']]);

        assert.deepEqual(await store.claimMessages('w3', T0 + 1000, T0 + 2000, 10), [], 'claimed until 1000 inclusive');
        const reclaimed = await store.claimMessages('w3', T0 + 1001, T0 + 2000, 10);
        assert.deepEqual(reclaimed.map((m) => m.id), ['due-sms', 'due-email'], 'expired claims return, oldest first');

        const delivered = { ...(reclaimed[1] as OutboxRecord), state: 'delivered' as const, attempts: 1, deliveredAt: T0 + 1002, claimedBy: null, claimedUntil: null };
        await store.updateMessage(delivered);
        const retry = { ...(reclaimed[0] as OutboxRecord), attempts: 1, lastError: 'smtp 451', nextAttemptAt: T0 + 5000, claimedBy: null, claimedUntil: null };
        await store.updateMessage(retry);
        assert.deepEqual(await store.listMessages({ limit: 1, afterId: 'due-sms' }), [delivered]);
        assert.deepEqual(await store.claimMessages('w4', T0 + 4999, T0 + 9000, 10), []);
        assert.deepEqual((await store.claimMessages('w4', T0 + 60_000, T0 + 70_000, 10)).map((m) => m.id), ['later', 'due-sms']);
      });

      it('never gives one message to two concurrent claimers', async () => {
        const other = await opened.openAnother();
        for (let i = 0; i < 30; i++) await store.enqueueMessage(message(`m${String(i).padStart(2, '0')}`, { createdAt: T0 + i }));
        const claims = await Promise.all(
          Array.from({ length: 12 }, (_, i) => {
            const s = i % 2 === 0 ? store : other;
            const claim = () => s.claimMessages(`w${i}`, T0, T0 + 1000, 3);
            // Half claim inside a transaction, as the delivery worker does.
            return i % 4 < 2 ? claim() : s.transaction((tx) => tx.claimMessages(`w${i}`, T0, T0 + 1000, 3));
          }),
        );
        // A claimer may come up short while others hold rows it skipped; what is left stays claimable.
        const leftover = await store.claimMessages('last', T0, T0 + 1000, 30);
        const ids = [...claims.flat(), ...leftover].map((m) => m.id);
        assert.equal(new Set(ids).size, ids.length, `duplicates in ${ids.join(',')}`);
        assert.equal(ids.length, 30);
        assert.ok(leftover.length < 30 - 12, 'the concurrent claimers did claim');
      });
    });

    describe('refresh tokens', () => {
      it('finds a token by hash and origin, revokes it once, and revokes all of a user’s live tokens', async () => {
        const t1 = refreshToken('h1', 's1');
        await store.insertRefreshToken(t1);
        await store.insertRefreshToken(refreshToken('h2', 's1'));
        await store.insertRefreshToken(refreshToken('h3', 's1'));
        await store.insertRefreshToken(refreshToken('h4', 's2'));
        assert.deepEqual(await store.getRefreshToken('h1'), t1);
        assert.deepEqual(await store.getRefreshTokenByOrigin('jti-h1'), t1);
        assert.equal(await store.getRefreshTokenByOrigin('jti-none'), undefined);

        await store.revokeRefreshToken('h1', T0 + 10);
        await store.revokeRefreshToken('h1', T0 + 20);
        assert.equal((await store.getRefreshToken('h1'))?.revokedAt, T0 + 10, 'the first revocation time stays');

        assert.equal(await store.revokeUserRefreshTokens('s1', T0 + 30), 2);
        assert.equal(await store.revokeUserRefreshTokens('s1', T0 + 40), 0);
        assert.equal((await store.getRefreshToken('h2'))?.revokedAt, T0 + 30);
        assert.equal((await store.getRefreshToken('h4'))?.revokedAt, null);
      });
    });

    describe('signing keys', () => {
      it('keeps the first key when many instances race to create one', async () => {
        assert.equal(await store.getSigningKey('p1'), undefined);
        const other = await opened.openAnother();
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : other).putSigningKeyIfAbsent(signingKey('p1', `k${i}`))),
        );
        const winner = await store.getSigningKey('p1');
        assert.ok(winner);
        for (const r of results) assert.deepEqual(r, winner);
        assert.deepEqual(await store.putSigningKeyIfAbsent(signingKey('p1', 'late')), winner);
        assert.deepEqual(await store.putSigningKeyIfAbsent(signingKey('p2', 'k')), signingKey('p2', 'k'));
      });
    });

    describe('one-time values', () => {
      it('accepts a key once until it expires, also under concurrent use', async () => {
        assert.equal(await store.useOnce('k1', T0 + 100, T0), true);
        assert.equal(await store.useOnce('k1', T0 + 100, T0 + 50), false);
        assert.equal(await store.useOnce('k2', T0 + 100, T0 + 50), true);
        assert.equal(await store.useOnce('k1', T0 + 300, T0 + 100), true, 'an expired key is forgotten');
        const other = await opened.openAnother();
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? store : other).useOnce('k3', T0 + 500, T0 + 100)));
        assert.equal(results.filter(Boolean).length, 1);
      });
    });

    describe('developer credentials', () => {
      it('inserts, reads, and lists in access key id order with paging', async () => {
        const credential = (accessKeyId: string): CredentialRecord => ({
          accessKeyId,
          name: `name ${accessKeyId}`,
          arn: `arn:aws:iam::000000000000:user/${accessKeyId}`,
          secretSealed: `sealed-${accessKeyId}`,
          policy: '{"Statement":[]}',
          createdAt: T0,
        });
        for (const id of ['AKIAB', 'AKIAA', 'AKIA9', 'AKIAC']) await store.insertCredential(credential(id));
        assert.deepEqual(await store.getCredential('AKIAB'), credential('AKIAB'));
        assert.equal(await store.getCredential('AKIAZ'), undefined);
        assert.deepEqual((await store.listCredentials({ limit: 2 })).map((c) => c.accessKeyId), ['AKIA9', 'AKIAA']);
        assert.deepEqual((await store.listCredentials({ limit: 5, after: 'AKIAA' })).map((c) => c.accessKeyId), ['AKIAB', 'AKIAC']);
      });
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

    describe('transactions', () => {
      it('commits together and returns the result', async () => {
        const result = await store.transaction(async (tx) => {
          await tx.insertPool(pool('p1'));
          await tx.insertUser(user('p1', 'alice'));
          return (await tx.getPool('p1'))?.name;
        });
        assert.equal(result, 'pool p1');
        assert.equal(await store.countUsers('p1'), 1);
      });

      it('rolls back everything when the function throws, passing the error through', async () => {
        await store.insertPool(pool('p1'));
        const boom = new Error('boom');
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.updatePool(pool('p1', { name: 'half-written' }));
            await tx.insertUser(user('p1', 'alice'));
            await tx.putCode(code('s1', 'forgot_password', 'h'));
            await tx.incrementCounter('k', T0);
            await tx.enqueueMessage(message('m1'));
            throw boom;
          }),
          (err) => err === boom,
        );
        assert.equal((await store.getPool('p1'))?.name, 'pool p1');
        assert.equal(await store.countUsers('p1'), 0);
        assert.equal(await store.getCode('s1', 'forgot_password'), undefined);
        assert.equal(await store.readCounter('k'), undefined);
        assert.deepEqual(await store.listMessages({ limit: 10 }), []);
      });

      it('a transaction that throws among concurrent ones is rolled back alone', async () => {
        await store.insertPool(pool('p1'));
        // SQLite runs waiting transactions in one batch, each in a savepoint: the first and two
        // neighbours fail, so both a lone batch and adjacent savepoints are covered there.
        const throwing = new Set([0, 4, 5]);
        const errors = Array.from({ length: 10 }, (_, i) => new Error(`boom ${i}`));
        const results = await Promise.allSettled(
          errors.map((error, i) =>
            store.transaction(async (tx) => {
              const u = user('p1', `user-${i}`, { sub: `sub-${i}` });
              await tx.insertUser(u);
              await tx.putCode(code(u.sub, 'confirm_sign_up', `hash-${i}`));
              // A row every transaction writes: a rolled-back one must not take the others' with it.
              await tx.incrementCounter('shared', T0);
              if (throwing.has(i)) throw error;
              return `done ${i}`;
            }),
          ),
        );
        for (const [i, result] of results.entries()) {
          if (throwing.has(i)) {
            assert.equal(result.status, 'rejected', `transaction ${i}`);
            assert.equal((result as PromiseRejectedResult).reason, errors[i], `transaction ${i} gets its own error`);
            assert.equal(await store.getUserBySub('p1', `sub-${i}`), undefined, `transaction ${i}`);
            assert.equal(await store.getCode(`sub-${i}`, 'confirm_sign_up'), undefined, `transaction ${i}`);
          } else {
            assert.deepEqual(result, { status: 'fulfilled', value: `done ${i}` });
            assert.equal((await store.getUserBySub('p1', `sub-${i}`))?.usernameKey, `user-${i}`);
            assert.equal((await store.getCode(`sub-${i}`, 'confirm_sign_up'))?.codeHash, `hash-${i}`);
          }
        }
        assert.equal(await store.countUsers('p1'), 10 - throwing.size);
        assert.deepEqual(await store.readCounter('shared'), { windowStart: T0, count: 10 - throwing.size });
      });

      it('a transaction failing on a unique violation it does not catch is rolled back alone', async () => {
        const taken = user('p1', 'taken');
        await store.insertUser(taken);
        const clashing = 2;
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, (_, i) =>
            store.transaction(async (tx) => {
              await tx.putCode(code(`sub-${i}`, 'confirm_sign_up', `hash-${i}`));
              await tx.enqueueMessage(message(`m${i}`, { userSub: `sub-${i}` }));
              await tx.insertUser(user('p1', i === clashing ? 'taken' : `fresh-${i}`, { sub: `sub-${i}` }));
              return i;
            }),
          ),
        );
        for (const [i, result] of results.entries()) {
          if (i === clashing) {
            await expectUnique(Promise.reject((result as PromiseRejectedResult).reason), 'username');
            assert.equal(await store.getCode(`sub-${i}`, 'confirm_sign_up'), undefined, 'its code is gone');
          } else {
            assert.deepEqual(result, { status: 'fulfilled', value: i });
            assert.equal((await store.getUserBySub('p1', `sub-${i}`))?.usernameKey, `fresh-${i}`);
            assert.equal((await store.getCode(`sub-${i}`, 'confirm_sign_up'))?.codeHash, `hash-${i}`);
          }
        }
        assert.deepEqual((await store.listMessages({ limit: 10 })).map((m) => m.id).sort(), ['m0', 'm1', 'm3', 'm4', 'm5']);
        assert.equal(await store.countUsers('p1'), 6);
        assert.deepEqual(await store.getUserByUsernameKey('p1', 'taken'), taken);
        assert.equal(await store.getUserBySub('p1', `sub-${clashing}`), undefined);
      });

      it('serializes concurrent read-then-write transactions across instances: no lost update', async () => {
        const other = await opened.openAnother();
        await store.insertPool(pool('p1', { settings: { counter: 0 } }));
        const increments = 16;
        await Promise.all(
          Array.from({ length: increments }, (_, i) =>
            (i % 2 === 0 ? store : other).transaction(async (tx) => {
              const current = (await tx.getPool('p1')) as PoolRecord;
              // Let the other transactions run in between, as slow work or I/O would.
              await sleep(2);
              await tx.updatePool({ ...current, settings: { counter: (current.settings.counter as number) + 1 } });
            }),
          ),
        );
        assert.deepEqual((await store.getPool('p1'))?.settings, { counter: increments });
      });
    });

    if (dialect.name === 'postgres') {
      it('fails the transaction, not the process, when the server drops its connection, and recovers', async () => {
        await store.insertPool(pool('p1'));
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.updatePool(pool('p1', { name: 'lost' }));
            await opened.dropConnections?.();
            await sleep(50);
            await tx.getPool('p1');
          }),
        );
        assert.equal((await store.getPool('p1'))?.name, 'pool p1');
      });

      it('lets several instances start together on an empty database, migrating once', async () => {
        const fleet = await dialect.open(4);
        try {
          await fleet.stores[1]?.insertPool(pool('p1'));
          for (const s of fleet.stores) assert.equal((await s.getPool('p1'))?.id, 'p1');
        } finally {
          await fleet.close();
        }
      });
    }
  });
}

function nullAliases(): Record<AliasKind, string | null> {
  return { email: null, phone_number: null, preferred_username: null };
}

function byCodePoint(a: string, b: string): number {
  const pa = [...a].map((c) => c.codePointAt(0) as number);
  const pb = [...b].map((c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return (pa[i] as number) - (pb[i] as number);
  }
  return pa.length - pb.length;
}
