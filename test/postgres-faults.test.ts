import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../src/kernel/logger.js';
import { createTestSchema, postgresSkip, type TestSchema } from './support/postgres-schema.js';
import { startServer, type TestServer } from './support/server.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { until } from './support/until.js';

/**
 * PostgreSQL goes away under a stream of writes, twice: once as a restart looks from the
 * client (every connection dropped, new ones refused for a while), once by the server ending
 * this test's own backends (pg_terminate_backend, as a failover does). The shared cluster is
 * never stopped: the outage is a relay in front of it, cutting off this server only.
 */

interface Outcome {
  username: string;
  ok: boolean;
  status?: number | undefined;
  name?: string;
  message?: string;
  ms: number;
}

const WRITERS = 4;
/** What losing the database looks like to the driver; any other internal error is a bug. */
const CONNECTION_LOST = /ECONNRESET|ECONNREFUSED|EPIPE|Connection terminated|terminating connection due to administrator command|Client has encountered a connection error|Connection ended/;

interface LogLine {
  level: string;
  msg: string;
  error?: string;
}

describe('PostgreSQL outages under a stream of writes', { skip: postgresSkip ?? false }, () => {
  let schema: TestSchema;
  let proxy: TcpProxy;
  let server: TestServer;
  let poolId: string;
  const logged: LogLine[] = [];

  before(async () => {
    schema = await createTestSchema();
    const url = new URL(schema.url);
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    server = await startServer({
      config: { databaseUrl: url.toString(), databasePoolSize: 4, serverKey: randomBytes(32).toString('base64'), databaseStatementTimeoutMs: 5000 },
      overrides: { logger: createLogger('error', (line) => logged.push(JSON.parse(line) as LogLine)) },
    });
    const pool = await server.client.send(new CreateUserPoolCommand({ PoolName: 'faults' }));
    poolId = pool.UserPool?.Id as string;
  });

  after(async () => {
    try {
      await server?.close();
      await proxy?.close();
    } finally {
      await schema?.drop();
    }
  });

  /** Creates a user with an invitation (a user row and an outbox row in one transaction). */
  async function createUser(username: string): Promise<Outcome> {
    const started = performance.now();
    try {
      await server.client.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: username,
          TemporaryPassword: 'Temp-Pass-1',
          DesiredDeliveryMediums: ['EMAIL'],
          UserAttributes: [
            { Name: 'email', Value: `${username}@example.com` },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      return { username, ok: true, ms: performance.now() - started };
    } catch (err) {
      const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      return { username, ok: false, status: e.$metadata?.httpStatusCode, name: e.name ?? '', message: e.message ?? '', ms: performance.now() - started };
    }
  }

  it('acknowledges no write it lost, answers clean 500s meanwhile, and recovers by itself', async () => {
    const outcomes: Outcome[] = [];
    let stop = false;
    let next = 0;
    const writers = Array.from({ length: WRITERS }, async () => {
      while (!stop) outcomes.push(await createUser(`user${String(next++).padStart(4, '0')}`));
    });

    // Each phase lasts until some writes went through, not a fixed time: a loaded machine may
    // acknowledge only a few writes a second.
    const acknowledgedCount = () => outcomes.filter((o) => o.ok).length;
    const moreAcknowledged = (more: number, what: string) => {
      const target = acknowledgedCount() + more;
      return until(`${more} more acknowledged writes ${what}`, () => acknowledgedCount() >= target, 30_000);
    };
    let relayedBefore = 0;
    let ended = 0;
    try {
      await moreAcknowledged(4, 'before the outage');
      // A restart: everything dropped, then nothing answers for a while.
      relayedBefore = proxy.open;
      proxy.outage();
      await sleep(700);
      proxy.restore();
      await moreAcknowledged(3, 'after the restart');
      // A failover or an administrator: the database ends this server's sessions.
      ended = await schema.terminateConnections();
      await moreAcknowledged(3, 'after the sessions were ended');
    } finally {
      stop = true;
      await Promise.all(writers);
    }

    assert.ok(relayedBefore > 0, 'the server held connections when the outage began');
    assert.ok(ended > 0, 'the database ended some of this server’s sessions');
    const failed = outcomes.filter((o) => !o.ok);
    const acknowledged = outcomes.filter((o) => o.ok);
    assert.ok(failed.length > 0, 'requests during the outage failed');
    assert.ok(acknowledged.length >= 10, `${acknowledged.length} acknowledged, ${failed.length} failed`);
    for (const f of failed) {
      assert.deepEqual({ status: f.status, name: f.name, message: f.message }, { status: 500, name: 'InternalErrorException', message: 'Internal server error.' }, f.username);
    }
    const internal = logged.filter((l) => l.msg === 'internal error');
    assert.equal(internal.length, failed.length, 'each 500 is logged once');
    for (const line of internal) assert.match(line.error ?? '', CONNECTION_LOST);
    // No request hung on a dead connection.
    const slowest = Math.max(...outcomes.map((o) => o.ms));
    assert.ok(slowest < 8000, `slowest request took ${Math.round(slowest)} ms`);

    // Recovered without a restart: every write succeeds again.
    for (let i = 0; i < 10; i++) {
      const after = await createUser(`after${i}`);
      assert.ok(after.ok, `${after.username}: ${after.name} ${after.message}`);
      acknowledged.push(after);
    }

    // Every acknowledged user is there, each with its invitation queued exactly once.
    const stored = new Map<string, UserType>();
    let token: string | undefined;
    do {
      const page = await server.client.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 60, PaginationToken: token }));
      for (const u of page.Users ?? []) stored.set(u.Username as string, u);
      token = page.PaginationToken;
    } while (token);
    const messages = await server.app.deps.store.listMessages({ poolId, limit: 10_000 });
    for (const { username } of acknowledged) {
      assert.ok(stored.has(username), `${username} was acknowledged but is gone`);
      assert.equal(messages.filter((m) => m.username === username).length, 1, `${username}'s invitation`);
    }
    // A write that failed may still have committed (the answer was lost, not the write), but never half of it.
    for (const { username } of failed) {
      const exists = stored.has(username);
      assert.equal(messages.filter((m) => m.username === username).length, exists ? 1 : 0, `${username}: user and message together or not at all`);
    }
    const again = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: acknowledged[0]?.username }));
    assert.equal(again.UserStatus, 'FORCE_CHANGE_PASSWORD');
  });
});
