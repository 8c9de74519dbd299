import { AdminCreateUserCommand, AdminGetUserCommand, AdminSetUserMFAPreferenceCommand, AdminUpdateUserAttributesCommand, CreateUserPoolCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { requestArrived } from '../src/kernel/request-epoch.js';
import { openPostgresStore } from '../src/storage/postgres.js';
import type { UserRecord } from '../src/domain/users/user.js';
import type { Store } from '../src/ports/store.js';
import { adminQuery, createTestSchema, postgresSkip, type TestSchema } from './support/postgres-schema.js';
import { sdkClient, startServer, type TestServer } from './support/server.js';
import { until } from './support/until.js';
import { pool, user } from './storage/contract.js';

// On PostgreSQL each instance keeps pools, users, MFA settings and ListUsers pages in memory
// (src/storage/pg-change-feed.ts): its own writes are reported by its connections, other
// instances' commits by NOTIFY, made exact for each request by a barrier on the listening
// connection. These tests hold it to what a store without the cache answers, and check that
// the cache is really in use (else the other tests would pass without testing anything).

const OPTIONS = { poolSize: 4, statementTimeoutMs: 10_000 };

/** The listening connections of a schema's stores: the only ones whose last statement is LISTEN or the barrier. */
const LISTENERS = "application_name = $1 and (query like 'listen %' or query = 'select 1')";

async function listeners(schema: TestSchema): Promise<number> {
  const { rows } = await adminQuery<{ n: number }>(`select count(*)::int as n from pg_stat_activity where ${LISTENERS}`, [schema.schema]);
  return rows[0]?.n ?? 0;
}

async function connect(schema: TestSchema): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: schema.url });
  // Ended by the failover test like the stores' connections: its error is expected.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

describe('PostgreSQL read cache, two instances on one schema', { skip: postgresSkip ?? false }, () => {
  let schema: TestSchema;
  let a: Store;
  let b: Store;
  /** Another process's connection: its writes reach the stores only through the database. */
  let raw: pg.Client;
  let u: UserRecord;

  /** What a request arriving at the HTTP server does first (src/http/server.ts). */
  const request = () => requestArrived();
  const updatedAtOn = async (store: Store) => (await store.getUserBySub('p1', u.sub))?.updatedAt;
  /** A write that sends no notification: the stores learn of it only by reading. */
  const unseenWrite = async (updatedAt: number) => {
    await raw.query('begin');
    await raw.query('set local session_replication_role = replica');
    await raw.query('update users set updated_at = $1 where sub = $2', [updatedAt, u.sub]);
    await raw.query('commit');
  };

  beforeEach(async () => {
    schema = await createTestSchema();
    [a, b] = await Promise.all([openPostgresStore(schema.url, OPTIONS), openPostgresStore(schema.url, OPTIONS)]);
    raw = await connect(schema);
    await a.insertPool(pool('p1'));
    u = user('p1', 'alice', { attributes: { email: 'alice@example.com' } });
    await a.insertUser(u);
  });
  afterEach(async () => {
    await raw.end();
    await a.close();
    await b.close();
    await schema.drop();
  });

  it('serves repeated reads from memory, and bypasses it inside transactions', async () => {
    request();
    assert.equal(await updatedAtOn(b), u.updatedAt);
    await unseenWrite(u.updatedAt + 1);
    request();
    assert.equal(await updatedAtOn(b), u.updatedAt, 'a write no trigger announced is not seen: the read came from memory');
    const inside = await b.transaction((tx) => tx.getUserBySub('p1', u.sub));
    assert.equal(inside?.updatedAt, u.updatedAt + 1, 'a transaction reads the database');
  });

  it('sees another instance’s commit in the next request, every time', async () => {
    const poolName = async () => (await b.getPool('p1'))?.name;
    for (let i = 1; i <= 80; i++) {
      request();
      await updatedAtOn(b);
      assert.equal(await updatedAtOn(b), u.updatedAt + Math.floor((i - 1) / 2), `round ${i}: warm`);
      await poolName();
      // One write, then at once (the write acknowledged, the next line in the same turn) a
      // request arrives at B. Through the other store or a bare connection, users or pools.
      switch (i % 4) {
        case 0:
          await a.updateUser({ ...u, updatedAt: u.updatedAt + i / 2 });
          break;
        case 1:
          await a.updatePool(pool('p1', { name: `name ${i}` }));
          break;
        case 2:
          await raw.query('update users set updated_at = $1 where sub = $2', [u.updatedAt + i / 2, u.sub]);
          break;
        default:
          await raw.query("update user_pools set name = $1 where id = 'p1'", [`name ${i}`]);
      }
      request();
      if (i % 2 === 0) assert.equal(await updatedAtOn(b), u.updatedAt + i / 2, `round ${i}: user`);
      else assert.equal(await poolName(), `name ${i}`, `round ${i}: pool`);
    }
  });

  it('sees its own writes at once, including a read that ran during the writing transaction', async () => {
    assert.equal(await updatedAtOn(a), u.updatedAt);
    await a.updateUser({ ...u, updatedAt: u.updatedAt + 1 });
    assert.equal(await updatedAtOn(a), u.updatedAt + 1, 'no request arrived: the connection reported the write');
    await a.transaction(async (tx) => {
      await tx.updateUser({ ...u, updatedAt: u.updatedAt + 2 });
      // Outside the transaction, the committed row is still the old one; this read must not be
      // kept past the commit.
      assert.equal(await updatedAtOn(a), u.updatedAt + 1);
    });
    assert.equal(await updatedAtOn(a), u.updatedAt + 2);
  });

  it('reads the database while the listening connection is lost, and caches again once it is back', async () => {
    request();
    assert.equal(await updatedAtOn(b), u.updatedAt);
    assert.equal(await listeners(schema), 2, 'one listening connection per store');
    const { rows } = await adminQuery<{ ended: boolean }>(`select pg_terminate_backend(pid) as ended from pg_stat_activity where ${LISTENERS}`, [schema.schema]);
    assert.equal(rows.length, 2);
    // Written right after the listeners died, unannounced: a cache that still answered would be stale.
    await unseenWrite(u.updatedAt + 1);
    request();
    assert.equal(await updatedAtOn(b), u.updatedAt + 1);
    await raw.query('update users set updated_at = $1 where sub = $2', [u.updatedAt + 2, u.sub]);
    request();
    assert.equal(await updatedAtOn(b), u.updatedAt + 2);
    await until('both stores to listen again', async () => (await listeners(schema)) === 2);
    // Back: announced writes are seen, and reads come from memory again.
    await raw.query('update users set updated_at = $1 where sub = $2', [u.updatedAt + 3, u.sub]);
    request();
    assert.equal(await updatedAtOn(b), u.updatedAt + 3);
    await until('the cache to be in use again', async () => {
      request();
      const before = await updatedAtOn(b);
      await unseenWrite((before ?? 0) + 1);
      request();
      return (await updatedAtOn(b)) === before;
    });
  });

  it('is dropped when every connection is ended (a failover) and the store goes on', async () => {
    await updatedAtOn(b);
    await schema.terminateConnections();
    await raw.end();
    raw = await connect(schema);
    await raw.query('update users set updated_at = $1 where sub = $2', [u.updatedAt + 5, u.sub]);
    // The pool's connections died too: the first query on each may fail, as without the cache.
    let seen: number | undefined;
    for (let i = 0; i < 10 && seen !== u.updatedAt + 5; i++) {
      request();
      seen = await updatedAtOn(b).catch(() => undefined);
    }
    assert.equal(seen, u.updatedAt + 5);
  });
});

describe('reads after writes through the API, on two instances sharing one PostgreSQL schema', { skip: postgresSkip ?? false }, () => {
  let schema: TestSchema;
  let a: TestServer;
  let b: TestServer;
  let poolId: string;

  before(async () => {
    schema = await createTestSchema();
    const config = { databaseUrl: schema.url, databasePoolSize: 4, serverKey: randomBytes(32).toString('base64') };
    a = await startServer({ config });
    b = await startServer({ config });
    poolId = (await a.client.send(new CreateUserPoolCommand({ PoolName: 'shared' }))).UserPool?.Id as string;
    await a.client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'carol', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'name', Value: 'n0' }, { Name: 'phone_number', Value: '+15550100' }] }));
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await schema?.drop();
  });

  it('AdminGetUser and ListUsers on B see each AdminUpdateUserAttributes on A, with B’s cache warm', async () => {
    const onB = sdkClient(b.url);
    try {
      const nameOnB = async () => (await onB.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'carol' }))).UserAttributes?.find((x) => x.Name === 'name')?.Value;
      const listOnB = async (name: string) => ((await onB.send(new ListUsersCommand({ UserPoolId: poolId, Filter: `name = "${name}"` }))).Users ?? []).map((x) => x.Username);
      for (let i = 1; i <= 40; i++) {
        assert.equal(await nameOnB(), `n${i - 1}`);
        assert.deepEqual(await listOnB(`n${i - 1}`), ['carol']);
        await a.client.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'carol', UserAttributes: [{ Name: 'name', Value: `n${i}` }] }));
        assert.equal(await nameOnB(), `n${i}`, `round ${i}`);
        assert.deepEqual(await listOnB(`n${i - 1}`), [], `round ${i}`);
        assert.deepEqual(await listOnB(`n${i}`), ['carol'], `round ${i}`);
      }
      assert.equal((await onB.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'carol' }))).PreferredMfaSetting, undefined);
      await a.client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'carol', SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
      assert.equal((await onB.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'carol' }))).PreferredMfaSetting, 'SMS_MFA');
    } finally {
      onB.destroy();
    }
  });
});

describe('what the barrier relies on: PostgreSQL itself', { skip: postgresSkip ?? false }, () => {
  it('delivers every notification acknowledged before a select 1 on the listening connection, before its answer', async () => {
    // pg-change-feed.ts waits for one select 1 on its listening connection and takes every
    // commit acknowledged before it as seen. Checked here on the server CI runs, with plain
    // connections: if a PostgreSQL version broke the promise, the cache would be wrong, not slow.
    const schema = await createTestSchema();
    const listener = new pg.Client({ connectionString: schema.url });
    const notifier = new pg.Client({ connectionString: schema.url });
    try {
      await listener.connect();
      await notifier.connect();
      const channel = `barrier_${schema.schema}`;
      await listener.query(`listen ${channel}`);
      let received = 0;
      listener.on('notification', () => received++);
      const late: number[] = [];
      for (let i = 0; i < 300; i++) {
        // Counted before the NOTIFY is sent: its notification may reach this process before
        // the NOTIFY's own acknowledgement does.
        const before = received;
        await notifier.query(`notify ${channel}`);
        await listener.query('select 1');
        if (received === before) late.push(i);
      }
      assert.deepEqual(late, [], 'tries whose notification came after the barrier answered');
      await until('every notification has come', () => received === 300);
    } finally {
      await listener.end().catch(() => undefined);
      await notifier.end().catch(() => undefined);
      await schema.drop();
    }
  });
});
