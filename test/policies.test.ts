import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evaluate, parsePolicy, PolicyError } from '../src/services/credentials/policy.js';
import { addingMembers } from './support/adding-members.js';
import { createConfirmedUser } from './support/fixtures.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const ACCOUNT = '000000000000';
const poolArn = (id: string) => `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${id}`;
const key = (name: string) => ({ accessKeyId: `AKIA${name.toUpperCase().padEnd(16, '0')}`, secretAccessKey: `${name}-secret-0123456789abcdefghijklmnopqrst` });

describe('IAM-style policies on the signed operations', () => {
  let server: TestServer;
  let dir: string;
  let poolA: string;
  let poolB: string;
  const clients: CognitoIdentityProviderClient[] = [];
  const as = (name: string) => {
    const c = new CognitoIdentityProviderClient({ endpoint: server.url, region: 'us-east-1', credentials: key(name), maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  const denied = (name: string, action: string, resource: string) =>
    `User: arn:aws:iam::${ACCOUNT}:user/${name} is not authorized to perform: cognito-idp:${action} on resource: ${resource}`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'userpoold-policies-'));
    // Pool ids are random, so the file is written once they are known: pools first, with an
    // admin-only file, then the full file for a second server on the same data folder.
    const admin = { name: 'admin', ...key('admin'), policy: { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:*', Resource: '*' }] } };
    writeFileSync(join(dir, 'admin.json'), JSON.stringify([admin]));
    const setup = await startServer({ config: { credentialsFile: join(dir, 'admin.json'), dataDir: join(dir, 'data') } });
    setup.clock.set(Date.now());
    const adminClient = new CognitoIdentityProviderClient({ endpoint: setup.url, region: 'us-east-1', credentials: key('admin'), maxAttempts: 1 });
    const ids: string[] = [];
    for (const name of ['a', 'b']) {
      const pool = await adminClient.send(new CreateUserPoolCommand({ PoolName: name, AutoVerifiedAttributes: ['email'] }));
      const id = pool.UserPool?.Id as string;
      ids.push(id);
      for (const username of ['alice', 'bob']) {
        await createConfirmedUser(adminClient, id, username, { password: 'Passw0rd!x' });
      }
    }
    adminClient.destroy();
    [poolA, poolB] = ids as [string, string];
    setup.client.destroy();
    await setup.app.close();

    const principals = [
      admin,
      { name: 'reader', ...key('reader'), policy: { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:AdminGetUser', Resource: poolArn(poolA) }] } },
      {
        name: 'ops',
        ...key('ops'),
        policy: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'all', Effect: 'Allow', Action: 'cognito-idp:*', Resource: '*' },
            { Sid: 'noResetOnA', Effect: 'Deny', Action: ['cognito-idp:admin?esetuser*'], Resource: [poolArn(poolA)] },
          ],
        },
      },
      { name: 'pools-only', ...key('poolsonly'), policy: { Statement: { Effect: 'Allow', Action: 'cognito-idp:Admin*', Resource: `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/*` } } },
      { name: 'no-delete', ...key('nodelete'), policy: { Statement: [{ Effect: 'Allow', NotAction: 'cognito-idp:AdminDelete*', Resource: '*' }] } },
      { name: 'pool-a-admin', ...key('poolaadmin'), policy: { Statement: { Effect: 'Allow', Action: 'cognito-idp:*', Resource: poolArn(poolA) } } },
    ];
    writeFileSync(join(dir, 'all.json'), JSON.stringify({ principals }));
    server = await startServer({ config: { credentialsFile: join(dir, 'all.json'), dataDir: join(dir, 'data') } });
    server.clock.set(Date.now());
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('allows AdminGetUser on the pool the policy names, and nothing else', async () => {
    const reader = as('reader');
    const user = await reader.send(new AdminGetUserCommand({ UserPoolId: poolA, Username: 'alice' }));
    assert.equal(user.Username, 'alice');
    await expectAwsError(
      () => reader.send(new AdminGetUserCommand({ UserPoolId: poolB, Username: 'alice' })),
      'AccessDeniedException',
      denied('reader', 'AdminGetUser', poolArn(poolB)),
    );
    await expectAwsError(
      () => reader.send(new AdminResetUserPasswordCommand({ UserPoolId: poolA, Username: 'alice' })),
      'AccessDeniedException',
      denied('reader', 'AdminResetUserPassword', poolArn(poolA)),
    );
    const after = await as('admin').send(new AdminGetUserCommand({ UserPoolId: poolA, Username: 'alice' }));
    assert.equal(after.UserStatus, 'CONFIRMED', 'the refused reset changed nothing');
  });

  it('lets an explicit Deny win over an Allow, matching actions case-insensitively', async () => {
    const ops = as('ops');
    await expectAwsError(
      () => ops.send(new AdminResetUserPasswordCommand({ UserPoolId: poolA, Username: 'bob' })),
      'AccessDeniedException',
      denied('ops', 'AdminResetUserPassword', poolArn(poolA)),
    );
    await ops.send(new AdminResetUserPasswordCommand({ UserPoolId: poolB, Username: 'bob' }));
    const reset = await ops.send(new AdminGetUserCommand({ UserPoolId: poolB, Username: 'bob' }));
    assert.equal(reset.UserStatus, 'RESET_REQUIRED');
  });

  it('evaluates operations on no pool against resource *', async () => {
    await expectAwsError(() => as('poolsonly').send(new ListUserPoolsCommand({ MaxResults: 5 })), 'AccessDeniedException', denied('pools-only', 'ListUserPools', '*'));
    const user = await as('poolsonly').send(new AdminGetUserCommand({ UserPoolId: poolB, Username: 'alice' }));
    assert.equal(user.Username, 'alice');
    const pools = await as('ops').send(new ListUserPoolsCommand({ MaxResults: 5 }));
    assert.equal(pools.UserPools?.length, 2);
  });

  it('honours NotAction', async () => {
    const noDelete = as('nodelete');
    await expectAwsError(
      () => noDelete.send(new AdminDeleteUserCommand({ UserPoolId: poolA, Username: 'bob' })),
      'AccessDeniedException',
      denied('no-delete', 'AdminDeleteUser', poolArn(poolA)),
    );
    const user = await noDelete.send(new AdminGetUserCommand({ UserPoolId: poolA, Username: 'bob' }));
    assert.equal(user.Username, 'bob');
  });

  it('evaluates the resource on the members the operation defines, never on a member added to the body', async () => {
    // A key allowed only on pool A's ARN adds "UserPoolId": pool A to calls on no pool: those
    // are still evaluated on resource *, whatever the body says.
    const poolAdmin = addingMembers(as('poolaadmin'), { UserPoolId: poolA });
    await expectAwsError(() => poolAdmin.send(new ListUserPoolsCommand({ MaxResults: 5 })), 'AccessDeniedException', denied('pool-a-admin', 'ListUserPools', '*'));
    await expectAwsError(() => poolAdmin.send(new CreateUserPoolCommand({ PoolName: 'smuggled' })), 'AccessDeniedException', denied('pool-a-admin', 'CreateUserPool', '*'));
    const user = await poolAdmin.send(new AdminGetUserCommand({ UserPoolId: poolA, Username: 'alice' }));
    assert.equal(user.Username, 'alice', 'the key still works on its own pool');
    await expectAwsError(
      () => poolAdmin.send(new AdminGetUserCommand({ UserPoolId: poolB, Username: 'alice' })),
      'AccessDeniedException',
      denied('pool-a-admin', 'AdminGetUser', poolArn(poolB)),
    );
    const pools = await as('admin').send(new ListUserPoolsCommand({ MaxResults: 10 }));
    assert.deepEqual(pools.UserPools?.map((p) => p.Name).sort(), ['a', 'b'], 'no pool was created');
  });

  it('checks the policy before validating the input', async () => {
    await expectAwsError(
      () => as('reader').send(new AdminGetUserCommand({ UserPoolId: 'bad pool id', Username: 'alice' })),
      'AccessDeniedException',
      denied('reader', 'AdminGetUser', poolArn('bad pool id')),
    );
  });
});

describe('policy evaluation', () => {
  const pool = poolArn('us-east-1_AAAAAAAAA');
  const policy = (statements: unknown) => parsePolicy({ Statement: statements }, 'test');

  it('denies by default and when a Deny matches', () => {
    assert.equal(evaluate(policy([]), 'cognito-idp:AdminGetUser', pool), 'deny');
    const p = policy([
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: 'cognito-idp:AdminGetUser', Resource: pool },
    ]);
    assert.equal(evaluate(p, 'cognito-idp:AdminGetUser', pool), 'deny');
    assert.equal(evaluate(p, 'cognito-idp:AdminGetUser', poolArn('us-east-1_BBBBBBBBB')), 'allow');
  });

  it('matches * and ? in actions (any case) and resources (exact case)', () => {
    const p = policy([{ Effect: 'Allow', Action: 'COGNITO-IDP:admin?etUser', Resource: 'arn:aws:cognito-idp:*:*:userpool/us-east-1_A*' }]);
    assert.equal(evaluate(p, 'cognito-idp:AdminGetUser', pool), 'allow');
    assert.equal(evaluate(p, 'cognito-idp:AdminSetUser', pool), 'allow');
    assert.equal(evaluate(p, 'cognito-idp:AdminGetUsers', pool), 'deny');
    assert.equal(evaluate(p, 'cognito-idp:AdminGetUser', pool.toLowerCase()), 'deny');
    // Regular-expression characters in a pattern are literal.
    const dotted = policy([{ Effect: 'Allow', Action: 'cognito-idp:Admin.etUser', Resource: '*' }]);
    assert.equal(evaluate(dotted, 'cognito-idp:AdminGetUser', pool), 'deny');
  });

  it('refuses what it would otherwise ignore', () => {
    for (const bad of [
      { Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      { Effect: 'allow', Action: '*', Resource: '*' },
      { Effect: 'Allow', Action: '*' },
      { Effect: 'Allow', Action: '*', NotAction: 'x', Resource: '*' },
      { Effect: 'Allow', Action: [], Resource: '*' },
    ]) {
      assert.throws(() => policy([bad]), PolicyError, JSON.stringify(bad));
    }
    assert.throws(() => parsePolicy({ Statement: [], Extra: 1 }, 'test'), PolicyError);
    assert.throws(() => parsePolicy([], 'test'), PolicyError);
  });
});
