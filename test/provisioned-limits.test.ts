import {
  AdminGetUserCommand,
  GetProvisionedLimitCommand,
  UpdateProvisionedLimitCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { PROVISIONED_RATES_TTL_MS } from '../src/services/quotas/provisioned-rates.js';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { createTestSchema, postgresSkip, type TestSchema } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const dir = mkdtempSync(join(tmpdir(), 'userpoold-limits-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const category = (name: string) => ({ LimitClass: 'API_CATEGORY' as const, Attributes: { Category: name } });

describe('provisioned limits drive the request-rate quotas', () => {
  let server: TestServer;
  let poolId: string;
  before(async () => {
    // UserRead (AdminGetUser) at 2 requests per second: the free rate on this server
    const quotas = join(dir, 'quotas.json');
    writeFileSync(quotas, JSON.stringify({ UserRead: 2 }));
    server = await startServer({ config: { quotas } });
    ({ poolId } = await createPoolWithClient(server.client, { PoolName: 'limits' }));
    await createConfirmedUser(server.client, poolId, 'bob', { password: 'Correct-Horse-1' });
  });
  after(() => server.close());

  const getUser = () => server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bob' }));
  /** Calls AdminGetUser until refused, in a fresh one-second window; how many passed. */
  async function admittedInOneWindow(): Promise<number> {
    server.clock.advance(1000);
    for (let n = 0; n < 50; n++) {
      try {
        await getUser();
      } catch (err) {
        assert.equal((err as Error).name, 'TooManyRequestsException');
        assert.equal((err as Error).message, 'Rate exceeded');
        return n;
      }
    }
    return Infinity;
  }

  it('reports the free rate while nothing is provisioned, and enforces it', async () => {
    const res = await server.client.send(new GetProvisionedLimitCommand({ LimitDefinition: category('UserRead') }));
    assert.deepEqual(res.Limit, { LimitDefinition: category('UserRead'), ProvisionedLimitValue: 2, FreeLimitValue: 2 });
    const other = await server.client.send(new GetProvisionedLimitCommand({ LimitDefinition: category('UserCreation') }));
    assert.deepEqual(other.Limit, { LimitDefinition: category('UserCreation'), ProvisionedLimitValue: 50, FreeLimitValue: 50 });
    assert.equal(await admittedInOneWindow(), 2);
  });

  it('UpdateProvisionedLimit raises the enforced rate, and GetProvisionedLimit shows it', async () => {
    const res = await server.client.send(new UpdateProvisionedLimitCommand({ LimitDefinition: category('UserRead'), RequestedLimitValue: 5 }));
    assert.deepEqual(res.Limit, { LimitDefinition: category('UserRead'), ProvisionedLimitValue: 5, FreeLimitValue: 2 });
    const got = await server.client.send(new GetProvisionedLimitCommand({ LimitDefinition: category('UserRead') }));
    assert.equal(got.Limit?.ProvisionedLimitValue, 5);
    await sleep(PROVISIONED_RATES_TTL_MS + 100);
    await admittedInOneWindow(); // the window in which the admission's copy reloads
    await sleep(50);
    assert.equal(await admittedInOneWindow(), 5);
  });

  it('refuses a rate below the free one, above the maximum, and an unknown category', async () => {
    await expectAwsError(
      () => server.client.send(new UpdateProvisionedLimitCommand({ LimitDefinition: category('UserRead'), RequestedLimitValue: 1 })),
      'InvalidParameterException',
      'RequestedLimitValue must be at least the default limit, 2, for UserRead.',
    );
    await expectAwsError(
      () => server.client.send(new UpdateProvisionedLimitCommand({ LimitDefinition: category('UserRead'), RequestedLimitValue: 21 })),
      'ServiceQuotaExceededException',
      'RequestedLimitValue exceeds the maximum limit, 20, for UserRead.',
    );
    await expectAwsError(
      () => server.client.send(new GetProvisionedLimitCommand({ LimitDefinition: category('UserMagic') })),
      'InvalidParameterException',
      'Unknown category: UserMagic.',
    );
    await expectAwsError(
      () => server.client.send(new GetProvisionedLimitCommand({ LimitDefinition: { LimitClass: 'API_CATEGORY', Attributes: { Category: 'UserRead', Extra: 'x' } } })),
      'InvalidParameterException',
      'Attributes must hold exactly one key, Category.',
    );
    const got = await server.client.send(new GetProvisionedLimitCommand({ LimitDefinition: category('UserRead') }));
    assert.equal(got.Limit?.ProvisionedLimitValue, 5);
  });
});

describe('provisioned limits with --quotas off', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('are kept and reported, over AWS default rates, but nothing is throttled', async () => {
    const res = await server.client.send(new UpdateProvisionedLimitCommand({ LimitDefinition: category('UserPoolRead'), RequestedLimitValue: 16 }));
    assert.deepEqual(res.Limit, { LimitDefinition: category('UserPoolRead'), ProvisionedLimitValue: 16, FreeLimitValue: 15 });
    await sleep(PROVISIONED_RATES_TTL_MS + 100);
    for (let n = 0; n < 30; n++) await server.client.send(new GetProvisionedLimitCommand({ LimitDefinition: category('UserPoolRead') }));
  });
});

describe('a provisioned limit set on one instance applies on another (PostgreSQL)', { skip: postgresSkip ?? false }, () => {
  let schema: TestSchema;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    schema = await createTestSchema();
    const quotas = join(dir, 'fleet-quotas.json');
    writeFileSync(quotas, JSON.stringify({ UserPoolRead: 2 }));
    const config = { databaseUrl: schema.url, databasePoolSize: 4, serverKey: randomBytes(32).toString('base64'), quotas };
    [a, b] = await Promise.all([startServer({ config }), startServer({ config })]);
  });
  after(async () => {
    try {
      await a?.close();
      await b?.close();
    } finally {
      await schema?.drop();
    }
  });

  /** GetProvisionedLimit (UserPoolRead) on B until refused, in a fresh window of both clocks. */
  async function admittedOnB(): Promise<number> {
    a.clock.advance(1000);
    b.clock.advance(1000);
    for (let n = 0; n < 50; n++) {
      try {
        await b.client.send(new GetProvisionedLimitCommand({ LimitDefinition: category('UserPoolRead') }));
      } catch (err) {
        assert.equal((err as Error).name, 'TooManyRequestsException');
        return n;
      }
    }
    return Infinity;
  }

  it('B enforces the rate A provisioned, within the reload interval', async () => {
    assert.equal(await admittedOnB(), 2);
    await a.client.send(new UpdateProvisionedLimitCommand({ LimitDefinition: category('UserPoolRead'), RequestedLimitValue: 4 }));
    await sleep(PROVISIONED_RATES_TTL_MS + 100);
    await admittedOnB(); // the window in which B's copy reloads
    await sleep(50);
    assert.equal(await admittedOnB(), 4);
  });
});
