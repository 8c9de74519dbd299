import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import BetterSqlite3 from 'better-sqlite3';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { requestArrived } from '../src/kernel/request-epoch.js';
import { openSqliteFile } from '../src/storage/sqlite.js';
import { writtenTable } from '../src/storage/written-table.js';
import type { UserMfaRecord } from '../src/domain/mfa/mfa-settings.js';
import type { UserRecord } from '../src/domain/users/user.js';
import type { Store } from '../src/ports/store.js';
import { killRunningChildren, startChildServer, stopChildServer, type ChildServer } from './support/child-server.js';
import { expectAwsError, sdkClient, startServer, type TestServer } from './support/server.js';
import { T0, pool, user } from './storage/contract.js';
import { emptyUserMfa } from '../src/domain/mfa/mfa-settings.js';

// The SQLite store keeps users (by username key, sub and alias), their MFA settings and
// ListUsers pages in memory (src/storage/read-cache.ts), forgotten on any change to their table
// that the connection reports (src/storage/sqlite-connection.ts) and on any commit of another
// connection (PRAGMA data_version). These tests hold it to what a store without the cache
// answers: the store's own writes are seen at once, by whatever path they were made; another
// connection's or process's commits by the next turn of the event loop, and exactly inside
// transactions; and through the API, a read on one server process after a write on another
// sees the write.

/** Lets the current turn of the event loop end, so the cache asks SQLite again. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function mfa(poolId: string, userSub: string, over: Partial<UserMfaRecord> = {}): UserMfaRecord {
  return { ...emptyUserMfa(poolId, userSub, T0), ...over };
}

/** Every way the store finds one user, as findUser asks. */
async function readAllWays(store: Store, u: UserRecord): Promise<(UserRecord | undefined)[]> {
  return [
    await store.getUserByUsernameKey(u.poolId, u.usernameKey),
    await store.getUserBySub(u.poolId, u.sub),
    await store.getUserByAlias(u.poolId, 'email', u.aliases.email ?? 'none'),
  ];
}

describe('SQLite read cache of users, MFA settings and ListUsers pages', () => {
  let dir: string;
  let file: string;
  /** Two stores on one file, as two server processes would be. */
  let a: Store;
  let b: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'userpoold-user-cache-'));
    file = join(dir, 'store.sqlite');
    a = await openSqliteFile(file);
    b = await openSqliteFile(file);
    await a.insertPool(pool('p1'));
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const alice = () => user('p1', 'alice', { sub: 'sub-alice', attributes: { email: 'alice@example.com' }, aliases: { email: 'alice@example.com', phone_number: null, preferred_username: null } });

  describe('the store’s own writes are seen at once', () => {
    it('updateUser, by username key, sub and alias, in and out of transactions', async () => {
      const u = alice();
      await a.insertUser(u);
      assert.deepEqual(await readAllWays(a, u), [u, u, u]);
      const renamed = { ...u, status: 'RESET_REQUIRED' as const, attributes: { ...u.attributes, email: 'new@example.com' }, aliases: { ...u.aliases, email: 'new@example.com' }, updatedAt: T0 + 1 };
      await a.updateUser(renamed);
      assert.deepEqual(await readAllWays(a, renamed), [renamed, renamed, renamed]);
      assert.equal(await a.getUserByAlias('p1', 'email', 'alice@example.com'), undefined, 'the old alias finds nobody');
      await a.transaction(async (tx) => {
        const current = (await tx.getUserBySub('p1', u.sub)) as UserRecord;
        await tx.updateUser({ ...current, enabled: false });
        assert.equal((await tx.getUserBySub('p1', u.sub))?.enabled, false);
      });
      assert.equal((await a.getUserByUsernameKey('p1', 'alice'))?.enabled, false);
    });

    it('an update given the record read in its transaction: that user by every old and new key, pages, and the others', async () => {
      const u = alice();
      const bob = user('p1', 'bob', { sub: 'sub-bob', attributes: { email: 'bob@example.com' }, aliases: { email: 'bob@example.com', phone_number: null, preferred_username: null } });
      await a.insertUser(u);
      await a.insertUser(bob);
      const query = { limit: 10 };
      assert.deepEqual(await readAllWays(a, u), [u, u, u]);
      assert.deepEqual(await readAllWays(a, bob), [bob, bob, bob]);
      assert.deepEqual((await a.listUsers('p1', query)).map((l) => l.status), [u.status, bob.status]);
      // Renamed, a new email alias and a phone alias, and reset: every key it had and has.
      const next = await a.transaction(async (tx) => {
        const stored = (await tx.getUserBySub('p1', u.sub)) as UserRecord;
        const changed: UserRecord = {
          ...stored,
          username: 'alicia',
          usernameKey: 'alicia',
          status: 'RESET_REQUIRED',
          attributes: { email: 'alicia@example.com', phone_number: '+15550100' },
          aliases: { email: 'alicia@example.com', phone_number: '+15550100', preferred_username: null },
          updatedAt: T0 + 1,
        };
        await tx.updateUser(changed, stored);
        return changed;
      });
      assert.deepEqual(await readAllWays(a, next), [next, next, next]);
      assert.deepEqual(await a.getUserByAlias('p1', 'phone_number', '+15550100'), next);
      assert.equal(await a.getUserByUsernameKey('p1', 'alice'), undefined, 'the old name finds nobody');
      assert.equal(await a.getUserByAlias('p1', 'email', 'alice@example.com'), undefined, 'the old alias finds nobody');
      assert.deepEqual(await readAllWays(a, bob), [bob, bob, bob]);
      assert.deepEqual((await a.listUsers('p1', query)).map((l) => [l.username, l.status]), [
        ['alicia', 'RESET_REQUIRED'],
        ['bob', bob.status],
      ]);
      // And the other store (another process) agrees, once its turn ends.
      await nextTurn();
      assert.deepEqual(await readAllWays(b, next), [next, next, next]);
    });

    it('an update given the record read in its transaction reports the change narrowed to that user (on the batch’s connection)', async () => {
      // Were the UPDATE to run anywhere but inside the narrowing's synchronous window, its report
      // would forget every cached user: still right, but every write would empty the cache.
      type Narrowing = { table: string; keys: readonly string[] } | undefined;
      const cache = (a as unknown as { cache: { changed: (table: string | undefined) => void; narrowChange: (narrowing: Narrowing) => void } }).cache;
      const reports: { table: string | undefined; narrowed: Narrowing }[] = [];
      let narrowed: Narrowing;
      const [changed, narrow] = [cache.changed, cache.narrowChange];
      cache.narrowChange = (narrowing) => {
        narrowed = narrowing;
        narrow(narrowing);
      };
      cache.changed = (table) => {
        reports.push({ table, narrowed });
        changed(table);
      };
      const u = alice();
      await a.insertUser(u);
      reports.length = 0;
      await a.transaction(async (tx) => {
        const stored = (await tx.getUserBySub('p1', u.sub)) as UserRecord;
        await tx.updateUser({ ...stored, status: 'RESET_REQUIRED', updatedAt: T0 + 1 }, stored);
      });
      const users = reports.filter((r) => r.table === 'users');
      assert.equal(users.length, 1);
      assert.deepEqual(users[0]?.narrowed, { table: 'users', keys: ['s:p1:sub-alice', 'k:p1:alice', 'a:email:p1:alice@example.com'] });
    });

    it('an update kept after its COMMIT reads back as the database has it; a rolled-back one is not kept', async () => {
      const u = alice();
      await a.insertUser(u);
      assert.deepEqual(await readAllWays(a, u), [u, u, u]);
      const { setTimeout: sleep } = await import('node:timers/promises');
      // One batch occupies the connection while three more transactions queue up behind it:
      // they run as one batch, the second updating alice again and the third rolling back.
      const first = a.transaction(async () => sleep(20));
      const change = (step: number, extra: Partial<UserRecord> = {}) =>
        a.transaction(async (tx) => {
          const stored = (await tx.getUserBySub('p1', u.sub)) as UserRecord;
          const next: UserRecord = { ...stored, status: 'RESET_REQUIRED', passwordHash: null, attributes: { ...stored.attributes, given_name: `Step${step}` }, updatedAt: T0 + step, ...extra };
          await tx.updateUser(next, stored);
          return next;
        });
      const second = change(1);
      const third = change(2, { aliases: { ...u.aliases, email: 'moved@example.com' }, attributes: { ...u.attributes, email: 'moved@example.com', given_name: 'Step2' } });
      const failed = a.transaction(async (tx) => {
        const stored = (await tx.getUserBySub('p1', u.sub)) as UserRecord;
        await tx.updateUser({ ...stored, enabled: false, updatedAt: T0 + 9 }, stored);
        throw new Error('rolled back');
      });
      await first;
      await second;
      const last = await third;
      await assert.rejects(failed, /rolled back/);
      const fromDatabase = await b.getUserBySub('p1', u.sub); // another connection, its cache empty
      assert.deepEqual(fromDatabase, last);
      assert.deepEqual(await readAllWays(a, last), [last, last, last]);
      assert.equal(await a.getUserByAlias('p1', 'email', 'alice@example.com'), undefined);
      assert.equal((await a.getUserBySub('p1', u.sub))?.createdAt, u.createdAt);
    });

    it('deleteUser and a user inserted after a miss', async () => {
      const u = alice();
      assert.equal(await a.getUserByUsernameKey('p1', 'alice'), undefined);
      await a.insertUser(u);
      assert.deepEqual(await a.getUserByUsernameKey('p1', 'alice'), u, 'a miss is not remembered');
      await a.deleteUser('p1', u.sub);
      assert.deepEqual(await readAllWays(a, u), [undefined, undefined, undefined]);
    });

    it('MFA settings: none, then set, then changed', async () => {
      const u = alice();
      await a.insertUser(u);
      assert.equal(await a.getUserMfa('p1', u.sub), undefined);
      assert.equal(await a.getUserMfa('p1', u.sub), undefined, '"none" is kept and still answers undefined');
      await a.putUserMfa(mfa('p1', u.sub, { emailEnabled: true, preferred: 'EMAIL_OTP' }));
      assert.deepEqual(await a.getUserMfa('p1', u.sub), mfa('p1', u.sub, { emailEnabled: true, preferred: 'EMAIL_OTP' }));
      await a.transaction((tx) => tx.putUserMfa(mfa('p1', u.sub, { smsEnabled: true, preferred: 'SMS_MFA' })));
      assert.equal((await a.getUserMfa('p1', u.sub))?.preferred, 'SMS_MFA');
      await a.deleteUser('p1', u.sub);
      assert.equal(await a.getUserMfa('p1', u.sub), undefined);
    });

    it('ListUsers pages: an insert, an attribute change and a delete', async () => {
      const query = { filter: { column: 'email' as const, op: '^=' as const, value: 'a' }, limit: 10 };
      assert.deepEqual(await a.listUsers('p1', query), []);
      const u = alice();
      await a.insertUser(u);
      assert.deepEqual((await a.listUsers('p1', query)).map((l) => l.username), ['alice']);
      await a.updateUser({ ...u, attributes: { ...u.attributes, email: 'zed@example.com' }, aliases: { ...u.aliases, email: 'zed@example.com' } });
      assert.deepEqual(await a.listUsers('p1', query), []);
      await a.updateUser({ ...u, attributes: { ...u.attributes, email: 'again@example.com' }, aliases: { ...u.aliases, email: 'again@example.com' } });
      assert.deepEqual((await a.listUsers('p1', query)).map((l) => l.attributes.email), ['again@example.com']);
      await a.deleteUser('p1', u.sub);
      assert.deepEqual(await a.listUsers('p1', query), []);
    });

    it('a write by a path the store does not name (a raw statement through the same connection)', async () => {
      const u = alice();
      await a.insertUser(u);
      await a.getUserBySub('p1', u.sub);
      // The sweeper, an import batch or any future port: the connection reports the table.
      await a.transaction(async (tx) => {
        const db = (tx as unknown as { db: { executeQuery: (q: unknown) => Promise<unknown> } }).db;
        const { sql } = await import('kysely');
        await sql`update users set status = 'UNCONFIRMED' where sub = ${u.sub}`.execute(db as never);
      });
      assert.equal((await a.getUserBySub('p1', u.sub))?.status, 'UNCONFIRMED');
    });
  });

  describe('another connection’s commits', () => {
    it('are seen after the next turn of the event loop: users, MFA settings and pages', async () => {
      const u = alice();
      await a.insertUser(u);
      const query = { limit: 10 };
      assert.deepEqual(await readAllWays(a, u), [u, u, u]);
      assert.equal(await a.getUserMfa('p1', u.sub), undefined);
      assert.equal((await a.listUsers('p1', query)).length, 1);

      await b.updateUser({ ...u, status: 'RESET_REQUIRED' });
      await b.putUserMfa(mfa('p1', u.sub, { totpEnabled: true }));
      await b.insertUser(user('p1', 'bob'));
      await nextTurn();
      assert.deepEqual((await readAllWays(a, u)).map((x) => x?.status), ['RESET_REQUIRED', 'RESET_REQUIRED', 'RESET_REQUIRED']);
      assert.equal((await a.getUserMfa('p1', u.sub))?.totpEnabled, true);
      assert.deepEqual((await a.listUsers('p1', query)).map((l) => l.username), ['alice', 'bob']);

      await b.deleteUser('p1', u.sub);
      await nextTurn();
      assert.deepEqual(await readAllWays(a, u), [undefined, undefined, undefined]);
      assert.equal(await a.getUserMfa('p1', u.sub), undefined);
    });

    it('are seen inside a transaction even when the commit came in the same turn', async () => {
      const u = alice();
      await a.insertUser(u);
      const other = new BetterSqlite3(file);
      try {
        await nextTurn();
        assert.equal((await a.getUserBySub('p1', u.sub))?.status, 'CONFIRMED');
        // better-sqlite3 commits synchronously: inside this turn, after the cache asked once.
        other.prepare("update users set status = 'UNCONFIRMED' where sub = ?").run(u.sub);
        assert.equal((await a.getUserBySub('p1', u.sub))?.status, 'CONFIRMED', 'precondition: this turn’s answer stands outside');
        const inside = await a.transaction((tx) => tx.getUserBySub('p1', u.sub));
        assert.equal(inside?.status, 'UNCONFIRMED');
      } finally {
        other.close();
      }
    });

    it('are seen by a request that arrived later in the same turn as the last check', async () => {
      const u = alice();
      await a.insertUser(u);
      const other = new BetterSqlite3(file);
      try {
        await nextTurn();
        // This turn's check (a timer's read, say), then another process commits, then a request
        // arrives in the same turn: its reads must look again.
        assert.equal((await a.getUserBySub('p1', u.sub))?.status, 'CONFIRMED');
        other.prepare("update users set status = 'UNCONFIRMED' where sub = ?").run(u.sub);
        assert.equal((await a.getUserBySub('p1', u.sub))?.status, 'CONFIRMED', 'precondition: without a new request the check stands');
        requestArrived();
        assert.equal((await a.getUserBySub('p1', u.sub))?.status, 'UNCONFIRMED');
      } finally {
        other.close();
      }
    });

    it('are seen when another process wrote (a separate node process on the same file)', async () => {
      const u = alice();
      await a.insertUser(u);
      await a.putUserMfa(mfa('p1', u.sub));
      assert.equal((await a.getUserByUsernameKey('p1', 'alice'))?.enabled, true);
      assert.equal((await a.getUserMfa('p1', u.sub))?.smsEnabled, false);
      const script = `
        const Database = require('better-sqlite3');
        const db = new Database(process.argv[1]);
        db.pragma('busy_timeout = 5000');
        db.prepare('update users set enabled = 0 where sub = ?').run(process.argv[2]);
        db.prepare('update user_mfa set sms_enabled = 1 where user_sub = ?').run(process.argv[2]);
        db.close();`;
      const run = spawnSync(process.execPath, ['-e', script, file, u.sub], { cwd: process.cwd(), encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      await nextTurn();
      assert.equal((await a.getUserByUsernameKey('p1', 'alice'))?.enabled, false);
      assert.equal((await a.getUserMfa('p1', u.sub))?.smsEnabled, true);
    });
  });

  describe('values', () => {
    it('handed out are frozen, and callers’ own objects stay theirs', async () => {
      const u = alice();
      await a.insertUser(u);
      u.attributes.email = 'changed after insert';
      const first = (await a.getUserByUsernameKey('p1', 'alice')) as UserRecord;
      assert.equal(first.attributes.email, 'alice@example.com');
      const cached = (await a.getUserByUsernameKey('p1', 'alice')) as UserRecord;
      assert.ok(Object.isFrozen(cached) && Object.isFrozen(cached.attributes) && Object.isFrozen(cached.aliases));
      assert.throws(() => {
        (cached.attributes as Record<string, string>).email = 'x';
      }, TypeError);
      const page = await a.listUsers('p1', { limit: 5 });
      assert.ok(Object.isFrozen(page) && Object.isFrozen(page[0]));
      // A copy is the caller's to change and write back.
      await a.updateUser({ ...cached, attributes: { ...cached.attributes, given_name: 'Al' } });
      assert.equal((await a.getUserByUsernameKey('p1', 'alice'))?.attributes.given_name, 'Al');
    });

    it('are not kept when read inside a transaction that rolled back', async () => {
      const u = alice();
      await a.insertUser(u);
      const boom = new Error('boom');
      await assert.rejects(
        a.transaction(async (tx) => {
          await tx.updateUser({ ...u, status: 'UNCONFIRMED' });
          assert.equal((await tx.getUserBySub('p1', u.sub))?.status, 'UNCONFIRMED');
          await tx.putUserMfa(mfa('p1', u.sub, { totpEnabled: true }));
          assert.equal((await tx.getUserMfa('p1', u.sub))?.totpEnabled, true);
          throw boom;
        }),
        (err) => err === boom,
      );
      assert.equal((await a.getUserBySub('p1', u.sub))?.status, 'CONFIRMED');
      assert.equal(await a.getUserMfa('p1', u.sub), undefined);
    });
  });

  describe('what invalidation relies on', () => {
    it('the connection names the table of every kind of write statement', () => {
      assert.equal(writtenTable('insert into "users" ("sub") values (?)'), 'users');
      assert.equal(writtenTable('insert or ignore into user_mfa (pool_id) values (?)'), 'user_mfa');
      assert.equal(writtenTable('update "users" set "status" = ? where "sub" = ?'), 'users');
      assert.equal(writtenTable('UPDATE Users SET enabled = 0'), 'users');
      assert.equal(writtenTable('delete from "user_pools" where "id" = ?'), 'user_pools');
      assert.equal(writtenTable('replace into credentials values (?)'), 'credentials');
      // What it cannot name, the cache answers by forgetting everything.
      assert.equal(writtenTable('with x as (select 1) update "users" set a = 1'), undefined);
      assert.equal(writtenTable('update "main"."users" set a = 1'), undefined);
    });

    it('the schema has no triggers and no cascading foreign keys (they would write tables unseen)', () => {
      const db = new BetterSqlite3(file, { readonly: true });
      try {
        assert.equal(db.prepare("select count(*) from sqlite_master where type = 'trigger'").pluck().get(), 0);
        const tables = db.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[];
        for (const table of tables) {
          const keys = db.prepare(`pragma foreign_key_list("${table}")`).all() as { on_delete: string; on_update: string }[];
          for (const key of keys) assert.ok(key.on_delete === 'NO ACTION' && key.on_update === 'NO ACTION', `${table} has a cascading key`);
        }
      } finally {
        db.close();
      }
    });
  });
});

describe('reads after writes through the API, on two server processes sharing one SQLite file', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-user-cache-api-'));
  let a: TestServer;
  let b: ChildServer;
  const children: ChildServer[] = [];
  let poolId: string;

  before(async () => {
    a = await startServer({ config: { dataDir } });
    b = await startChildServer(['--data-dir', dataDir]);
    children.push(b);
    const created = await a.client.send(new CreateUserPoolCommand({ PoolName: 'shared' }));
    poolId = created.UserPool?.Id as string;
  });
  after(async () => {
    await stopChildServer(b).catch(() => undefined);
    killRunningChildren(children);
    await a.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('AdminGetUser and ListUsers on A see what B created, changed, disabled, set and deleted', async () => {
    const onB = sdkClient(b.url);
    try {
      await a.client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'carol', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'carol@example.com' }, { Name: 'phone_number', Value: '+15550100' }] }));
      const get = () => a.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'carol' }));
      const list = async (filter: string) => ((await a.client.send(new ListUsersCommand({ UserPoolId: poolId, Filter: filter }))).Users ?? []).map((u) => u.Username);
      // Read twice on A, so that the answers come from its cache.
      for (let i = 0; i < 2; i++) {
        assert.equal((await get()).Enabled, true);
        assert.deepEqual(await list('email = "carol@example.com"'), ['carol']);
        assert.deepEqual(await list('email ^= "dave"'), []);
      }

      await onB.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'carol', UserAttributes: [{ Name: 'email', Value: 'carol2@example.com' }] }));
      const attrs = (await get()).UserAttributes ?? [];
      assert.equal(attrs.find((x) => x.Name === 'email')?.Value, 'carol2@example.com');
      assert.deepEqual(await list('email = "carol@example.com"'), []);
      assert.deepEqual(await list('email = "carol2@example.com"'), ['carol']);

      await onB.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'carol' }));
      assert.equal((await get()).Enabled, false);

      // MFA settings: read on A (none), set on B, read again on A.
      assert.equal((await get()).PreferredMfaSetting, undefined);
      await onB.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'carol', SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const withMfa = await get();
      assert.equal(withMfa.PreferredMfaSetting, 'SMS_MFA');
      assert.deepEqual(withMfa.UserMFASettingList, ['SMS_MFA']);

      await onB.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'dave', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'dave@example.com' }] }));
      assert.deepEqual(await list('email ^= "dave"'), ['dave']);

      await onB.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'carol' }));
      await expectAwsError(get, 'UserNotFoundException');
    } finally {
      onB.destroy();
    }
  });
});
