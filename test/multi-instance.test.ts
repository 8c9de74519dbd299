import {
  AdminCreateUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../src/app/create-app.js';
import { ConfigError, defaultConfig, loadConfig, type Config } from '../src/kernel/config.js';
import { createLogger } from '../src/kernel/logger.js';
import { cryptoRandom } from '../src/kernel/random.js';
import { loadServerKey } from '../src/services/keys/server-key.js';
import type { EmailMessage, EmailTransport } from '../src/services/delivery/transport.js';
import { createTestSchema, postgresSkip, type TestSchema } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

/**
 * Two userpoold instances in one process on one PostgreSQL schema with one server key, as a
 * fleet behind a load balancer: whatever one instance writes, seals, counts or signs, the
 * other reads, opens, counts on and verifies.
 */

const PASSWORD = 'Correct-Horse-1';
const NEW_PASSWORD = 'Battery-Staple-2';
const PUBLIC_URL = 'https://auth.example.test';
const ATTEMPT_LIMIT = 'Attempt limit exceeded, please try after some time.';
const SECOND = 1000;

/** Records what a delivery worker hands to its email transport. */
function recordingEmail(): EmailTransport & { sent: EmailMessage[] } {
  const sent: EmailMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
    },
  };
}

describe('two instances on one PostgreSQL schema', { skip: postgresSkip ?? false }, () => {
  let schema: TestSchema;
  let a: TestServer;
  let b: TestServer;
  const mailA = recordingEmail();
  const mailB = recordingEmail();
  const serverKey = randomBytes(32).toString('base64');
  let poolId: string;
  let clientId: string;

  before(async () => {
    schema = await createTestSchema();
    const config: Partial<Config> = { databaseUrl: schema.url, databasePoolSize: 4, serverKey, publicUrl: PUBLIC_URL, deliveryPollMs: 20 };
    // Started together, as a fleet would: the migrations run once, under the advisory lock.
    [a, b] = await Promise.all([startServer({ config, overrides: { email: mailA } }), startServer({ config, overrides: { email: mailB } })]);
    const pool = await a.client.send(new CreateUserPoolCommand({ PoolName: 'fleet' }));
    poolId = pool.UserPool?.Id as string;
    const client = await b.client.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
  });

  after(async () => {
    try {
      await a?.close();
      await b?.close();
    } finally {
      await schema?.drop();
    }
  });

  /** Both instances run in one process with their own pinned clocks; they move together. */
  const advance = (ms: number) => {
    a.clock.advance(ms);
    b.clock.advance(ms);
  };

  async function user(server: TestServer, username: string): Promise<void> {
    await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        TemporaryPassword: 'Temp-Pass-1',
        UserAttributes: [
          { Name: 'email', Value: `${username}@example.com` },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await server.client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  }

  const signIn = (server: TestServer, username: string, password: string) =>
    server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
  const confirm = (server: TestServer, username: string, code: string, password = NEW_PASSWORD) =>
    server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: password }));
  const mailTo = (address: string) => [...mailA.sent, ...mailB.sent].filter((m) => m.to === address);

  async function waitForMail(address: string, count = 1): Promise<EmailMessage[]> {
    const deadline = Date.now() + 10_000;
    while (mailTo(address).length < count) {
      assert.ok(Date.now() < deadline, `no mail to ${address} within 10 s`);
      await sleep(10);
    }
    return mailTo(address);
  }

  const codeIn = (message: EmailMessage) => {
    const match = /\b(\d{6})\b/.exec(message.body);
    assert.ok(match, `no code in: ${message.body}`);
    return match[1] as string;
  };

  const otherCodes = (code: string, n: number) =>
    Array.from({ length: n + 1 }, (_, i) => String(100000 + i * 7919)).filter((c) => c !== code).slice(0, n);

  it('reset on A, refused on B, one code delivered once, confirmed on B, tokens from A verify on B', async () => {
    await user(a, 'alice');
    const before = await signIn(a, 'alice', PASSWORD);
    const oldRefresh = before.AuthenticationResult?.RefreshToken as string;

    await a.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice' }));
    await expectAwsError(() => signIn(b, 'alice', PASSWORD), 'PasswordResetRequiredException', 'Password reset required for the user');

    const [mail] = await waitForMail('alice@example.com');
    assert.ok(mail);
    // Both workers poll every 20 ms; give the other one many chances to send it again.
    await sleep(300);
    assert.equal(mailTo('alice@example.com').length, 1, 'the code is delivered by exactly one of the two workers, once');
    const rows = await b.app.deps.store.listMessages({ poolId, username: 'alice', limit: 10 });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.state, 'delivered');
    assert.equal(rows[0]?.attempts, 1);
    assert.equal(rows[0]?.id, mail.messageId);

    await confirm(b, 'alice', codeIn(mail));
    await expectAwsError(() => confirm(a, 'alice', codeIn(mail)), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');
    // The refresh token issued before the reset is revoked everywhere.
    await expectAwsError(
      () => b.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: oldRefresh } })),
      'NotAuthorizedException',
    );

    const fromA = (await signIn(a, 'alice', NEW_PASSWORD)).AuthenticationResult;
    assert.ok(fromA?.IdToken && fromA.AccessToken && fromA.RefreshToken);
    const issuer = `${PUBLIC_URL}/${poolId}`;
    for (const token of [fromA.IdToken, fromA.AccessToken]) {
      const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${b.url}/${poolId}/.well-known/jwks.json`)), {
        issuer,
        currentDate: new Date(b.clock.nowMs()),
      });
      assert.equal(payload.iss, issuer);
    }
    const me = await b.client.send(new GetUserCommand({ AccessToken: fromA.AccessToken }));
    assert.equal(me.Username, 'alice');
    // A's refresh token works on B.
    const refreshed = await b.client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: fromA.RefreshToken } }),
    );
    assert.ok(refreshed.AuthenticationResult?.AccessToken);
    await expectAwsError(() => signIn(b, 'alice', PASSWORD), 'NotAuthorizedException', 'Incorrect username or password.');
  });

  it('delivers each of 20 queued codes exactly once with both workers claiming', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `bulk${i}`);
    for (const name of names) await user(a, name);
    await Promise.all(names.map((name, i) => (i % 2 === 0 ? a : b).client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: name }))));
    for (const name of names) await waitForMail(`${name}@example.com`);
    await sleep(300);
    const sent = [...mailA.sent, ...mailB.sent].filter((m) => m.to.startsWith('bulk'));
    assert.equal(sent.length, 20);
    assert.equal(new Set(sent.map((m) => m.messageId)).size, 20, 'no message was sent twice');
  });

  it('shares the ConfirmForgotPassword attempt limit: wrong codes on A and B count together', async () => {
    await user(a, 'carol');
    await b.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'carol' }));
    const [mail] = await waitForMail('carol@example.com');
    const code = codeIn(mail as EmailMessage);
    const wrong = otherCodes(code, 5);
    for (let i = 0; i < 5; i++) {
      await expectAwsError(() => confirm(i % 2 === 0 ? a : b, 'carol', wrong[i] as string), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    }
    await expectAwsError(() => confirm(b, 'carol', code), 'LimitExceededException', ATTEMPT_LIMIT);
    await expectAwsError(() => confirm(a, 'carol', code), 'LimitExceededException', ATTEMPT_LIMIT);
    assert.ok((await signIn(b, 'carol', PASSWORD)).AuthenticationResult, 'the password did not change');
  });

  it('compares at most 5 of 12 wrong codes sent at once to both instances', async () => {
    await user(b, 'dave');
    await a.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'dave' }));
    const code = codeIn((await waitForMail('dave@example.com'))[0] as EmailMessage);
    const outcomes = await Promise.allSettled(otherCodes(code, 12).map((guess, i) => confirm(i % 2 === 0 ? a : b, 'dave', guess)));
    const names = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).name : 'OK'));
    assert.equal(names.filter((n) => n === 'CodeMismatchException').length, 5, names.join(', '));
    assert.equal(names.filter((n) => n === 'LimitExceededException').length, 7, names.join(', '));
  });

  it('shares the sign-in lockout: 5 wrong passwords over A and B lock both', async () => {
    await user(a, 'frank');
    for (let i = 0; i < 5; i++) {
      await expectAwsError(() => signIn(i % 2 === 0 ? a : b, 'frank', `Wrong-Guess-${i}`), 'NotAuthorizedException', 'Incorrect username or password.');
    }
    await expectAwsError(() => signIn(b, 'frank', PASSWORD), 'NotAuthorizedException', 'Password attempts exceeded');
    await expectAwsError(() => signIn(a, 'frank', PASSWORD), 'NotAuthorizedException', 'Password attempts exceeded');
    advance(SECOND);
    assert.ok((await signIn(a, 'frank', PASSWORD)).AuthenticationResult?.AccessToken, 'the lockout is temporary');
  });

  it("agrees on a new pool's signing key when both instances sign in first at the same moment", async () => {
    const pool = await b.client.send(new CreateUserPoolCommand({ PoolName: 'fresh' }));
    const freshPool = pool.UserPool?.Id as string;
    const client = await a.client.send(new CreateUserPoolClientCommand({ UserPoolId: freshPool, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }));
    const freshClient = client.UserPoolClient?.ClientId as string;
    for (const name of ['gina', 'hank']) {
      await a.client.send(new AdminCreateUserCommand({ UserPoolId: freshPool, Username: name, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp-Pass-1' }));
      await a.client.send(new AdminSetUserPasswordCommand({ UserPoolId: freshPool, Username: name, Password: PASSWORD, Permanent: true }));
    }
    const [onA, onB] = await Promise.all(
      (
        [
          [a, 'gina'],
          [b, 'hank'],
        ] as const
      ).map(([server, name]) =>
        server.client.send(new InitiateAuthCommand({ ClientId: freshClient, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: name, PASSWORD } })),
      ),
    );
    const tokenA = onA?.AuthenticationResult?.AccessToken as string;
    const tokenB = onB?.AuthenticationResult?.AccessToken as string;
    assert.equal(decodeProtectedHeader(tokenA).kid, decodeProtectedHeader(tokenB).kid);
    for (const [token, server] of [
      [tokenA, b],
      [tokenB, a],
    ] as const) {
      await jwtVerify(token, createRemoteJWKSet(new URL(`${server.url}/${freshPool}/.well-known/jwks.json`)), { currentDate: new Date(server.clock.nowMs()) });
    }
  });

  it('refuses to start on a database URL without a shared key, and never logs the key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-key-'));
    try {
      const bare: Config = { ...defaultConfig(), port: 0, dataDir, logLevel: 'silent', databaseUrl: schema.url };
      await assert.rejects(
        () => createApp(bare),
        (err: unknown) => err instanceof ConfigError && /--database-url needs --server-key or --server-key-file .*same key/.test(err.message),
      );
      const keyFile = join(dataDir, 'key.b64');
      writeFileSync(keyFile, serverKey + '\n');
      const config = loadConfig(['--database-url', schema.url, '--server-key-file', keyFile, '--port', '0', '--data-dir', dataDir, '--log-level', 'debug'], {});
      const lines: string[] = [];
      const app = await createApp(config, { logger: createLogger('debug', (line) => lines.push(line)), email: recordingEmail() });
      await app.listen();
      // The same key: it opens what the other instances sealed.
      const [row] = await app.deps.store.listMessages({ poolId, username: 'alice', limit: 1 });
      assert.ok(row);
      assert.doesNotThrow(() => app.deps.secrets.open(row.payloadSealed));
      await app.close();
      assert.ok(lines.length > 0);
      assert.ok(!lines.join('').includes(serverKey), 'the key appears in the log');
      assert.throws(
        () => loadServerKey({ ...bare, serverKey: 'c2hvcnQ=' }, cryptoRandom),
        (err: unknown) => err instanceof ConfigError && err.message === '--server-key: expected 32 bytes in base64 (make one with: openssl rand -base64 32)',
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
