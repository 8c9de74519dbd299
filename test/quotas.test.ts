import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createApp, type App } from '../src/app/create-app.js';
import { ConfigError, defaultConfig, type Config } from '../src/kernel/config.js';
import { AWS_DEFAULT_RPS, NAMED_BY_AWS, OPERATION_CATEGORY, QUOTA_CATEGORIES, categoryOf, isInferredMembership } from '../src/domain/quotas/quota-categories.js';
import { OPERATION_NAMES } from '../src/model/generated/operations.js';
import { ManualClock } from '../src/kernel/clock.js';
import { silentLogger } from '../src/kernel/logger.js';
import { addressKey } from '../src/services/quotas/address-key.js';
import { loadQuotaLimits } from '../src/services/quotas/quota-settings.js';
import { createWindowLimiter, reserveOf, sliceOf } from '../src/services/quotas/window-limiter.js';
import { DIALECTS } from './support/dialects.js';
import { expectAwsError, sdkClient, startServer, type TestServer } from './support/server.js';

const folders: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'userpoold-quotas-'));
  folders.push(dir);
  return dir;
}
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function quotaFile(rates: Record<string, number | null>): string {
  const path = join(tempDir(), 'quotas.json');
  writeFileSync(path, JSON.stringify(rates));
  return path;
}

const rateExceeded = (fn: () => Promise<unknown>) => expectAwsError(fn, 'TooManyRequestsException', 'Rate exceeded');

async function statusOf(fn: () => Promise<unknown>): Promise<number | undefined> {
  try {
    await fn();
    return 200;
  } catch (err) {
    return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  }
}

describe('quota categories', () => {
  it('puts every operation of the model in one of the categories, with AWS default rates', () => {
    for (const name of OPERATION_NAMES) assert.ok(QUOTA_CATEGORIES.includes(categoryOf(name)), name);
    assert.equal(Object.keys(OPERATION_CATEGORY).length, OPERATION_NAMES.length);
    assert.deepEqual(AWS_DEFAULT_RPS, {
      UserAuthentication: 120,
      UserCreation: 50,
      UserAccountRecovery: 30,
      UserRead: 120,
      UserUpdate: 25,
      UserList: 30,
      UserResourceRead: 50,
      UserPoolRead: 15,
      UserPoolUpdate: 15,
      UserPoolClientRead: 15,
      UserPoolClientUpdate: 15,
      UserToken: 120,
      UserFederation: 25,
    });
    assert.equal(categoryOf('AdminResetUserPassword'), 'UserAccountRecovery');
    assert.equal(categoryOf('ConfirmForgotPassword'), 'UserAccountRecovery');
    assert.equal(categoryOf('InitiateAuth'), 'UserAuthentication');
    assert.equal(categoryOf('ListUsers'), 'UserList');
    assert.ok(isInferredMembership('AdminResetUserPassword'));
    assert.ok(!isInferredMembership('ListUsers'));
    for (const name of NAMED_BY_AWS) assert.ok(OPERATION_NAMES.includes(name), name);
  });

  it('reads off, aws, and a file of per-category rates over AWS defaults', () => {
    assert.equal(loadQuotaLimits('off'), undefined);
    assert.deepEqual(loadQuotaLimits('aws'), AWS_DEFAULT_RPS);
    const limits = loadQuotaLimits(quotaFile({ UserPoolRead: 2, UserList: null }));
    assert.equal(limits?.UserPoolRead, 2);
    assert.equal(limits?.UserList, undefined);
    assert.equal(limits?.UserAuthentication, 120);
    assert.throws(() => loadQuotaLimits(quotaFile({ UserPoolReads: 2 })), (e) => e instanceof ConfigError && /unknown category "UserPoolReads"/.test(e.message));
    assert.throws(() => loadQuotaLimits(quotaFile({ UserRead: 0 })), (e) => e instanceof ConfigError && /positive whole number/.test(e.message));
    assert.throws(() => loadQuotaLimits(join(tempDir(), 'missing.json')), (e) => e instanceof ConfigError && /ENOENT/.test(e.message));
  });

  it('counts IPv4-mapped addresses as IPv4 and IPv6 addresses by their /64', () => {
    assert.equal(addressKey('::ffff:127.0.0.1'), '127.0.0.1');
    assert.equal(addressKey('10.1.2.3'), '10.1.2.3');
    assert.equal(addressKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8:1:2:ffff::9'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:0db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
  });

  it('has quotas off and a generous per-address limit by default', () => {
    assert.equal(defaultConfig().quotas, 'off');
    assert.equal(defaultConfig().publicRateLimitPerIp, 300);
  });
});

for (const dialect of DIALECTS) {
  describe(`window limiter on ${dialect.name}`, { skip: dialect.skip }, () => {
    after(() => dialect.dispose());

    it('is exact in one process, mostly from memory, and refuses a full window without writing', async () => {
      const opened = await dialect.open();
      try {
        const clock = new ManualClock(Date.UTC(2026, 10, 1, 12, 0, 0));
        let writes = 0;
        const counting = Object.create(opened.store) as typeof opened.store;
        counting.incrementCounter = (...args) => {
          writes++;
          return opened.store.incrementCounter(...args);
        };
        const limiter = createWindowLimiter({ store: counting, clock, logger: silentLogger }, 't:');
        const results = [];
        for (let i = 0; i < 150; i++) results.push(await limiter.take('k', 100, 1000));
        assert.equal(results.filter(Boolean).length, 100);
        assert.deepEqual(results.slice(0, 100), Array(100).fill(true));
        const atFull = writes;
        assert.ok(writes < 100, `${writes} writes for 100 admitted requests`);
        for (let i = 0; i < 50; i++) assert.equal(await limiter.take('k', 100, 1000), false);
        assert.equal(writes, atFull, 'a known-full window is refused from memory');
        clock.advance(1000);
        assert.equal(await limiter.take('k', 100, 1000), true);
      } finally {
        await opened.close();
      }
    });

    it('drops the background count of a window that has passed, so it cannot reset the next one', async () => {
      const opened = await dialect.open();
      try {
        const clock = new ManualClock(Date.UTC(2026, 10, 1, 12, 0, 0));
        const limiter = createWindowLimiter({ store: opened.store, clock, logger: silentLogger }, 't:');
        // limit 1000: a slice of 50, so these are admitted from memory; the first write goes at
        // once, the rest wait for the pacing delay (50 ms).
        for (let i = 0; i < 10; i++) assert.equal(await limiter.take('w', 1000, 1000), true);
        clock.advance(1000);
        for (let i = 0; i < 3; i++) assert.equal(await limiter.take('w', 1000, 1000), true);
        await new Promise((resolve) => setTimeout(resolve, 150));
        const row = await opened.store.readCounter('t:w');
        assert.deepEqual(row, { windowStart: clock.nowMs(), count: 3 });
      } finally {
        await opened.close();
      }
    });

    it('holds across two instances within a slice or two, never below the limit', async () => {
      const opened = await dialect.open(2);
      try {
        const clock = new ManualClock(Date.UTC(2026, 10, 1, 12, 0, 0));
        const limiters = opened.stores.map((store) => createWindowLimiter({ store, clock, logger: silentLogger }, 't:'));
        for (const limit of [3, 100]) {
          let admitted = 0;
          for (let i = 0; i < limit * 3; i++) if (await (limiters[i % 2] as (typeof limiters)[0]).take(`k${limit}`, limit, 1000)) admitted++;
          assert.ok(admitted >= limit && admitted <= limit + 2 * sliceOf(limit), `limit ${limit}: ${admitted} admitted`);
          if (limit <= reserveOf(limit)) assert.equal(admitted, limit, 'small limits are exact');
        }
        // Both at once, as concurrent requests would be.
        const settled = await Promise.all(Array.from({ length: 60 }, (_, i) => (limiters[i % 2] as (typeof limiters)[0]).take('burst', 20, 1000)));
        const passed = settled.filter(Boolean).length;
        assert.ok(passed >= 20 && passed <= 20 + 2 * sliceOf(20), `burst: ${passed} admitted`);
      } finally {
        await opened.close();
      }
    });
  });
}

describe('request-rate quotas', () => {
  it('are off by default: more requests per second than AWS allows all pass', async () => {
    const server = await startServer();
    try {
      for (let i = 0; i < AWS_DEFAULT_RPS.UserPoolRead + 5; i++) await server.client.send(new ListUserPoolsCommand({ MaxResults: 1 }));
    } finally {
      await server.close();
    }
  });

  it('with --quotas aws, refuse the request past the category rate with TooManyRequestsException (400), per second', async () => {
    const server = await startServer({ config: { quotas: 'aws' } });
    try {
      for (let i = 0; i < AWS_DEFAULT_RPS.UserPoolRead; i++) await server.client.send(new ListUserPoolsCommand({ MaxResults: 1 }));
      await rateExceeded(() => server.client.send(new ListUserPoolsCommand({ MaxResults: 1 })));
      assert.equal(await statusOf(() => server.client.send(new ListUserPoolsCommand({ MaxResults: 1 }))), 400);
      server.clock.advance(1000);
      await server.client.send(new ListUserPoolsCommand({ MaxResults: 1 }));
    } finally {
      await server.close();
    }
  });

  it('count one category over all pools and operations, and leave other categories alone', async () => {
    const server = await startServer({ config: { quotas: quotaFile({ UserPoolRead: 2, UserPoolUpdate: 2 }) } });
    try {
      const a = (await server.client.send(new CreateUserPoolCommand({ PoolName: 'a' }))).UserPool?.Id as string;
      const b = (await server.client.send(new CreateUserPoolCommand({ PoolName: 'b' }))).UserPool?.Id as string;
      const client = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: a, ClientName: 'app' }));
      // The third UserPoolUpdate request of this second (the client is UserPoolClientUpdate).
      await rateExceeded(() => server.client.send(new CreateUserPoolCommand({ PoolName: 'c' })));

      await server.client.send(new DescribeUserPoolCommand({ UserPoolId: a }));
      await server.client.send(new ListUserPoolsCommand({ MaxResults: 5 }));
      await rateExceeded(() => server.client.send(new DescribeUserPoolCommand({ UserPoolId: b })));
      // UserPoolClientRead has its own budget (AWS's 15).
      await server.client.send(new DescribeUserPoolClientCommand({ UserPoolId: a, ClientId: client.UserPoolClient?.ClientId as string }));

      server.clock.advance(1000);
      await server.client.send(new DescribeUserPoolCommand({ UserPoolId: b }));
      await server.client.send(new CreateUserPoolCommand({ PoolName: 'c' }));
    } finally {
      await server.close();
    }
  });

  it('count refused and invalid requests too, before validation', async () => {
    const server = await startServer({ config: { quotas: quotaFile({ UserPoolRead: 1 }) } });
    try {
      await expectAwsError(() => server.client.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_missing' })), 'ResourceNotFoundException');
      await rateExceeded(() => server.client.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_missing' })));
    } finally {
      await server.close();
    }
  });

  it('hold across two server instances sharing one SQLite file', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock(Date.UTC(2026, 10, 1, 12, 0, 0));
    const config: Config = { ...defaultConfig(), port: 0, dataDir, logLevel: 'silent', argon2MemoryKib: 64, argon2Iterations: 1, quotas: quotaFile({ UserPoolRead: 3 }) };
    const apps: App[] = [];
    const clients = [];
    try {
      for (let i = 0; i < 2; i++) {
        const app = await createApp(config, { clock, logger: silentLogger });
        apps.push(app);
        clients.push(sdkClient(`http://127.0.0.1:${await app.listen()}`));
      }
      const [one, two] = clients as [ReturnType<typeof sdkClient>, ReturnType<typeof sdkClient>];
      await one.send(new ListUserPoolsCommand({ MaxResults: 1 }));
      await two.send(new ListUserPoolsCommand({ MaxResults: 1 }));
      await one.send(new ListUserPoolsCommand({ MaxResults: 1 }));
      await rateExceeded(() => two.send(new ListUserPoolsCommand({ MaxResults: 1 })));
      await rateExceeded(() => one.send(new ListUserPoolsCommand({ MaxResults: 1 })));
      clock.advance(1000);
      await two.send(new ListUserPoolsCommand({ MaxResults: 1 }));
    } finally {
      for (const c of clients) c.destroy();
      for (const app of apps) await app.close();
    }
  });
});

describe('per-address limit on the public operations', () => {
  let server: TestServer;
  after(() => server?.close());

  const KEY = { accessKeyId: 'AKIDQUOTATEST0000001', secretAccessKey: 'quota-test-secret-000000000000000000000' };
  /** A developer key: the server then runs as a service, not open. */
  function keysFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'userpoold-quota-keys-'));
    const file = join(dir, 'keys.json');
    const policy = { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:*', Resource: '*' }] };
    writeFileSync(file, JSON.stringify([{ name: 'ci', ...KEY, policy }]));
    return file;
  }

  it('in open mode (development on loopback) lets a test suite sign in 400 times a minute', async () => {
    const open = await startServer({ config: { publicRateLimitPerIp: 3 } });
    try {
      const poolId = (await open.client.send(new CreateUserPoolCommand({ PoolName: 'dev' }))).UserPool?.Id as string;
      const clientId = (
        await open.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }))
      ).UserPoolClient?.ClientId as string;
      for (let i = 0; i < 400; i++) {
        await expectAwsError(
          () => open.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: `nobody${i}`, PASSWORD: 'Wrong-pass-1' } })),
          'UserNotFoundException',
        );
      }
    } finally {
      await open.close();
    }
  });

  it('with credentials, refuses a source address past its budget per minute, across the public operations, but not admin calls', async () => {
    server = await startServer({ config: { publicRateLimitPerIp: 3, credentialsFile: keysFile() } });
    server.clock.set(Date.now());
    const admin = new CognitoIdentityProviderClient({ endpoint: server.url, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
    const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'ip' }))).UserPool?.Id as string;
    const clientId = (
      await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }))
    ).UserPoolClient?.ClientId as string;
    const signIn = () =>
      server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nobody', PASSWORD: 'Wrong-pass-1' } }));

    await server.client.send(new SignUpCommand({ ClientId: clientId, Username: 'ada', Password: 'Good-pass-1' }));
    await expectAwsError(signIn, 'UserNotFoundException');
    await expectAwsError(signIn, 'UserNotFoundException');
    await rateExceeded(signIn);
    await rateExceeded(() => server.client.send(new SignUpCommand({ ClientId: clientId, Username: 'bob', Password: 'Good-pass-1' })));
    // Signed administrator calls are not counted against the address.
    await admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));

    server.clock.advance(60_000);
    await expectAwsError(signIn, 'UserNotFoundException');
  });

  it('is off with 0', async () => {
    const open = await startServer({ config: { publicRateLimitPerIp: 0 } });
    try {
      for (let i = 0; i < 5; i++) await expectAwsError(() => open.client.send(new SignUpCommand({ ClientId: 'nosuchclient0000000000000', Username: 'x', Password: 'Good-pass-1' })), 'ResourceNotFoundException');
    } finally {
      await open.close();
    }
  });
});
