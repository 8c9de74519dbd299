import {
  AddUserPoolClientSecretCommand,
  CreateUserPoolClientCommand,
  DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ListUserPoolClientSecretsCommand,
  RevokeTokenCommand,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';
const FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

function secretHash(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret).update(username + clientId).digest('base64');
}

/** Client secret rotation: AddUserPoolClientSecret, ListUserPoolClientSecrets, DeleteUserPoolClientSecret. */
describe('client secret rotation', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  async function confidential() {
    const setup = await createPoolWithClient(server.client, { PoolName: 'rotation' }, { GenerateSecret: true, ExplicitAuthFlows: FLOWS });
    await createConfirmedUser(server.client, setup.poolId, 'eve', { password: PASSWORD });
    return { ...setup, first: setup.clientSecret ?? assert.fail('no secret') };
  }
  const signIn = (clientId: string, secret: string) =>
    server.client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'eve', PASSWORD, SECRET_HASH: secretHash(secret, 'eve', clientId) },
      }),
    );
  const list = async (poolId: string, clientId: string) =>
    (await server.client.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId }))).ClientSecrets ?? assert.fail('no list');
  const describeSecret = async (poolId: string, clientId: string) =>
    (await server.client.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient?.ClientSecret;

  it('adds a generated second secret, lists both without values, and accepts either everywhere', async () => {
    const { poolId, clientId, first } = await confidential();
    const created = server.clock.nowMs();
    const [original] = await list(poolId, clientId);
    assert.deepEqual(original, { ClientSecretId: `${clientId}--${created}`, ClientSecretCreateDate: new Date(created) });

    const added = await server.client.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId }));
    const descriptor = added.ClientSecretDescriptor ?? assert.fail('no descriptor');
    const second = descriptor.ClientSecretValue ?? assert.fail('a generated secret is returned');
    assert.match(second, /^[a-z0-9]{51}$/);
    assert.notEqual(second, first);
    // Same clock reading as the client's own secret: the id still differs (one millisecond on).
    assert.deepEqual(descriptor, { ClientSecretId: `${clientId}--${created + 1}`, ClientSecretValue: second, ClientSecretCreateDate: new Date(created + 1) });
    assert.deepEqual(await list(poolId, clientId), [original, { ClientSecretId: `${clientId}--${created + 1}`, ClientSecretCreateDate: new Date(created + 1) }]);
    // DescribeUserPoolClient keeps showing the oldest secret while two are active.
    assert.equal(await describeSecret(poolId, clientId), first);

    // SECRET_HASH (InitiateAuth, ForgotPassword) and ClientSecret (GetTokensFromRefreshToken, RevokeToken) accept both.
    const a = (await signIn(clientId, first)).AuthenticationResult ?? assert.fail('no tokens');
    const b = (await signIn(clientId, second)).AuthenticationResult ?? assert.fail('no tokens');
    await server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'eve', SecretHash: secretHash(second, 'eve', clientId) }));
    for (const secret of [first, second]) {
      const out = await server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: a.RefreshToken, ClientSecret: secret }));
      assert.ok(out.AuthenticationResult?.AccessToken);
    }
    await server.client.send(new RevokeTokenCommand({ ClientId: clientId, Token: b.RefreshToken, ClientSecret: second }));
    await server.client.send(new RevokeTokenCommand({ ClientId: clientId, Token: a.RefreshToken, ClientSecret: first }));
    await expectAwsError(() => signIn(clientId, 'w'.repeat(51)), 'NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`);
  });

  it('refuses a third secret, and a deleted secret stops working at once', async () => {
    const { poolId, clientId, first } = await confidential();
    server.clock.advance(5_000);
    const custom = 'Custom_secret_value_0123456789';
    const added = await server.client.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecret: custom }));
    const descriptor = added.ClientSecretDescriptor ?? assert.fail('no descriptor');
    // A secret the caller chose is not echoed back.
    assert.deepEqual(descriptor, { ClientSecretId: `${clientId}--${server.clock.nowMs()}`, ClientSecretCreateDate: new Date(server.clock.nowMs()) });
    await expectAwsError(
      () => server.client.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId })),
      'LimitExceededException',
      `Client ${clientId} already has 2 client secrets, the maximum; delete one before adding another.`,
    );
    assert.equal((await list(poolId, clientId)).length, 2);

    const [oldest] = await list(poolId, clientId);
    await server.client.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecretId: oldest?.ClientSecretId }));
    await expectAwsError(() => signIn(clientId, first), 'NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`);
    const tokens = (await signIn(clientId, custom)).AuthenticationResult ?? assert.fail('no tokens');
    await expectAwsError(
      () => server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken, ClientSecret: first })),
      'NotAuthorizedException',
      `Unable to verify secret hash for client ${clientId}`,
    );
    await expectAwsError(
      () => server.client.send(new RevokeTokenCommand({ ClientId: clientId, Token: tokens.RefreshToken, ClientSecret: first })),
      'UnauthorizedException',
      'Invalid client secret provided.',
    );
    assert.equal(await describeSecret(poolId, clientId), custom);
    assert.deepEqual(await list(poolId, clientId), [descriptor]);

    await expectAwsError(
      () => server.client.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecretId: descriptor.ClientSecretId })),
      'InvalidParameterException',
      `Client secret cannot be deleted: it is the last client secret of client ${clientId}.`,
    );
    await expectAwsError(
      () => server.client.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecretId: oldest?.ClientSecretId })),
      'ResourceNotFoundException',
      `Client secret ${oldest?.ClientSecretId} does not exist.`,
    );
    // A new secret can be added again once one was deleted.
    await server.client.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId }));
    assert.equal((await list(poolId, clientId)).length, 2);
  });

  it('keeps every secret sealed at rest', async () => {
    const { poolId, clientId, first } = await confidential();
    const added = await server.client.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId }));
    const second = added.ClientSecretDescriptor?.ClientSecretValue ?? assert.fail('no value');
    const record = (await server.app.deps.store.getClient(clientId)) ?? assert.fail('not stored');
    assert.equal(record.clientSecrets.length, 2);
    for (const stored of record.clientSecrets) {
      assert.ok(!stored.sealed.includes(first) && !stored.sealed.includes(second));
    }
    assert.deepEqual(
      record.clientSecrets.map((s) => server.app.deps.secrets.open(s.sealed)),
      [first, second],
    );
  });

  it('leaves public clients public, and answers AWS’s not-found errors', async () => {
    const { poolId, clientId } = await createPoolWithClient(server.client, { PoolName: 'public' }, { ExplicitAuthFlows: FLOWS });
    assert.deepEqual(await list(poolId, clientId), []);
    await expectAwsError(
      () => server.client.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId })),
      'InvalidParameterException',
      `Client ${clientId} has no client secret: secrets can be added to a confidential app client only.`,
    );
    await expectAwsError(
      () => server.client.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecretId: `${clientId}--1` })),
      'ResourceNotFoundException',
      `Client secret ${clientId}--1 does not exist.`,
    );

    const other = await createPoolWithClient(server.client, { PoolName: 'other' });
    await expectAwsError(
      () => server.client.send(new ListUserPoolClientSecretsCommand({ UserPoolId: other.poolId, ClientId: clientId })),
      'ResourceNotFoundException',
      `User pool client ${clientId} does not exist.`,
    );
    await expectAwsError(
      () => server.client.send(new AddUserPoolClientSecretCommand({ UserPoolId: 'us-east-1_nothing', ClientId: clientId })),
      'ResourceNotFoundException',
      'User pool us-east-1_nothing does not exist.',
    );
    const made = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'x', GenerateSecret: true }));
    await expectAwsError(
      () => server.client.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: made.UserPoolClient?.ClientId, ClientSecret: 'short' })),
      'InvalidParameterException',
    );
  });
});
