import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  UpdateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openClientSecret } from '../src/services/directory/client-secret.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

describe('app clients', () => {
  let server: TestServer;
  let poolId: string;
  let otherPoolId: string;
  before(async () => {
    server = await startServer();
    const pool = await server.client.send(
      new CreateUserPoolCommand({
        PoolName: 'clients',
        Schema: [
          { Name: 'email', AttributeDataType: 'String', Required: true },
          { Name: 'tenant', AttributeDataType: 'String' },
          { Name: 'badge', AttributeDataType: 'String', Mutable: false },
        ],
      }),
    );
    poolId = pool.UserPool?.Id ?? assert.fail('no pool');
    const other = await server.client.send(new CreateUserPoolCommand({ PoolName: 'other' }));
    otherPoolId = other.UserPool?.Id ?? assert.fail('no pool');
  });
  after(() => server.close());

  const createClient = async (input: Partial<CreateUserPoolClientCommandInput> = {}) => {
    const out = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ...input }));
    return out.UserPoolClient ?? assert.fail('no client');
  };
  const describeClient = async (clientId: string, userPoolId = poolId) =>
    (await server.client.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }))).UserPoolClient ??
    assert.fail('no client');

  describe('CreateUserPoolClient / DescribeUserPoolClient', () => {
    it('answers with what AWS reports for a client created without settings', async () => {
      const created = await createClient({ ClientName: 'plain' });
      assert.match(created.ClientId ?? '', /^[a-z0-9]{26}$/);
      assert.equal(created.ClientSecret, undefined);
      const described = await describeClient(created.ClientId ?? '');
      assert.deepEqual(described, {
        UserPoolId: poolId,
        ClientName: 'plain',
        ClientId: created.ClientId,
        LastModifiedDate: new Date(server.clock.nowMs()),
        CreationDate: new Date(server.clock.nowMs()),
        RefreshTokenValidity: 30,
        TokenValidityUnits: {},
        AllowedOAuthFlowsUserPoolClient: false,
        EnableTokenRevocation: true,
        EnablePropagateAdditionalUserContextData: false,
        AuthSessionValidity: 3,
      });
      assert.deepEqual(created, described);
    });

    it('generates a 51-character secret, stores it sealed, and describes the same secret', async () => {
      const created = await createClient({ ClientName: 'confidential', GenerateSecret: true });
      const secret = created.ClientSecret ?? assert.fail('no secret');
      assert.match(secret, /^[a-z0-9]{51}$/);
      assert.equal((await describeClient(created.ClientId ?? '')).ClientSecret, secret);

      const record = (await server.app.deps.store.getClient(created.ClientId ?? '')) ?? assert.fail('not stored');
      const [stored] = record.clientSecrets;
      assert.ok(stored);
      assert.ok(!stored.sealed.includes(secret));
      assert.equal(openClientSecret(record, server.app.deps.secrets), secret);
    });

    it('keeps the settings it is given', async () => {
      const created = await createClient({
        ClientName: 'configured',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AccessTokenValidity: 30,
        IdTokenValidity: 2,
        RefreshTokenValidity: 90,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'hours', RefreshToken: 'days' },
        ReadAttributes: ['email', 'custom:tenant', 'custom:badge', 'email_verified'],
        WriteAttributes: ['email', 'custom:tenant'],
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: false,
        AuthSessionValidity: 15,
      });
      const described = await describeClient(created.ClientId ?? '');
      assert.deepEqual(described.ExplicitAuthFlows, ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
      assert.equal(described.AccessTokenValidity, 30);
      assert.equal(described.IdTokenValidity, 2);
      assert.equal(described.RefreshTokenValidity, 90);
      assert.deepEqual(described.TokenValidityUnits, { AccessToken: 'minutes', IdToken: 'hours', RefreshToken: 'days' });
      assert.deepEqual(described.ReadAttributes, ['email', 'custom:tenant', 'custom:badge', 'email_verified']);
      assert.deepEqual(described.WriteAttributes, ['email', 'custom:tenant']);
      assert.equal(described.PreventUserExistenceErrors, 'ENABLED');
      assert.equal(described.EnableTokenRevocation, false);
      assert.equal(described.AuthSessionValidity, 15);
    });

    it('accepts legacy auth flows on their own', async () => {
      const created = await createClient({ ExplicitAuthFlows: ['ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH'] });
      assert.deepEqual(created.ExplicitAuthFlows, ['ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH']);
    });

    it('refuses legacy auth flows mixed with ALLOW_ flows', async () => {
      await expectAwsError(
        () => createClient({ ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] }),
        'InvalidParameterException',
        'ExplicitAuthFlows cannot combine values that begin with ALLOW_ with the legacy values ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY and USER_PASSWORD_AUTH.',
      );
    });

    it('refuses token validities outside AWS bounds, in the units given', async () => {
      const bad: Partial<CreateUserPoolClientCommandInput>[] = [
        { AccessTokenValidity: 4, TokenValidityUnits: { AccessToken: 'minutes' } },
        { AccessTokenValidity: 25 },
        { IdTokenValidity: 299, TokenValidityUnits: { IdToken: 'seconds' } },
        { IdTokenValidity: 2, TokenValidityUnits: { IdToken: 'days' } },
        { RefreshTokenValidity: 59, TokenValidityUnits: { RefreshToken: 'minutes' } },
        { RefreshTokenValidity: 3651 },
        { RefreshTokenValidity: 0 },
      ];
      for (const input of bad) {
        await expectAwsError(() => createClient(input), 'InvalidParameterException', 'Invalid range for token validity.');
      }
      const edges = await createClient({
        AccessTokenValidity: 5,
        IdTokenValidity: 1,
        RefreshTokenValidity: 60,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'days', RefreshToken: 'minutes' },
      });
      assert.equal(edges.RefreshTokenValidity, 60);
      await createClient({ RefreshTokenValidity: 3650, AccessTokenValidity: 24 });
    });

    it('refuses AuthSessionValidity outside 3..15 through the model', async () => {
      await expectAwsError(
        () => createClient({ AuthSessionValidity: 16 }),
        'InvalidParameterException',
        "1 validation error detected: Value '16' at 'authSessionValidity' failed to satisfy constraint: Member must have value less than or equal to 15",
      );
    });

    it('refuses read and write attributes the pool does not allow', async () => {
      await expectAwsError(
        () => createClient({ ReadAttributes: ['email', 'custom:unknown'] }),
        'InvalidParameterException',
        'Invalid read attributes specified while creating a client',
      );
      for (const WriteAttributes of [['email', 'tenant'], ['email', 'custom:badge'], ['email', 'email_verified'], ['email', 'sub'], ['custom:tenant']]) {
        await expectAwsError(
          () => createClient({ WriteAttributes }),
          'InvalidParameterException',
          'Invalid write attributes specified while creating a client',
        );
      }
    });

    it('answers an unknown pool with ResourceNotFoundException', async () => {
      await expectAwsError(
        () => server.client.send(new CreateUserPoolClientCommand({ UserPoolId: 'us-east-1_missing', ClientName: 'x' })),
        'ResourceNotFoundException',
        'User pool us-east-1_missing does not exist.',
      );
    });

    it('does not describe a client through another pool', async () => {
      const created = await createClient();
      await expectAwsError(
        () => describeClient(created.ClientId ?? '', otherPoolId),
        'ResourceNotFoundException',
        `User pool client ${created.ClientId} does not exist.`,
      );
      await expectAwsError(
        () => describeClient('nosuchclient0000000000000a'),
        'ResourceNotFoundException',
        'User pool client nosuchclient0000000000000a does not exist.',
      );
    });
  });

  describe('UpdateUserPoolClient', () => {
    it('replaces every setting, resetting what it omits, and keeps name and secret', async () => {
      const created = await createClient({
        ClientName: 'to-update',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AccessTokenValidity: 2,
        RefreshTokenValidity: 10,
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: false,
        AuthSessionValidity: 10,
        ReadAttributes: ['email'],
      });
      server.clock.advance(5000);
      const updated = await server.client.send(
        new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId, IdTokenValidity: 3 }),
      );
      const described = await describeClient(created.ClientId ?? '');
      assert.deepEqual(updated.UserPoolClient, described);
      assert.equal(described.ClientName, 'to-update');
      assert.equal(described.ClientSecret, created.ClientSecret);
      assert.equal(described.IdTokenValidity, 3);
      assert.equal(described.ExplicitAuthFlows, undefined);
      assert.equal(described.AccessTokenValidity, undefined);
      assert.equal(described.RefreshTokenValidity, 30);
      assert.equal(described.PreventUserExistenceErrors, undefined);
      assert.equal(described.EnableTokenRevocation, true);
      assert.equal(described.AuthSessionValidity, 3);
      assert.equal(described.ReadAttributes, undefined);
      assert.equal(described.CreationDate?.getTime(), created.CreationDate?.getTime());
      assert.equal(described.LastModifiedDate?.getTime(), (created.LastModifiedDate?.getTime() ?? 0) + 5000);

      await server.client.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId, ClientName: 'renamed' }));
      assert.equal((await describeClient(created.ClientId ?? '')).ClientName, 'renamed');
    });

    it('applies the same checks as create, worded for an update', async () => {
      const created = await createClient();
      const update = (input: Partial<ConstructorParameters<typeof UpdateUserPoolClientCommand>[0]>) =>
        server.client.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId, ...input }));
      await expectAwsError(() => update({ WriteAttributes: ['name'] }), 'InvalidParameterException', 'Invalid write attributes specified while updating a client');
      await expectAwsError(() => update({ ReadAttributes: ['nope'] }), 'InvalidParameterException', 'Invalid read attributes specified while updating a client');
      await expectAwsError(() => update({ AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'days' } }), 'InvalidParameterException', 'Invalid range for token validity.');
      await expectAwsError(
        () => update({ ExplicitAuthFlows: ['CUSTOM_AUTH_FLOW_ONLY', 'ALLOW_CUSTOM_AUTH'] }),
        'InvalidParameterException',
        /^ExplicitAuthFlows cannot combine/,
      );
    });

    it('does not update a client through another pool', async () => {
      const created = await createClient();
      await expectAwsError(
        () => server.client.send(new UpdateUserPoolClientCommand({ UserPoolId: otherPoolId, ClientId: created.ClientId })),
        'ResourceNotFoundException',
        `User pool client ${created.ClientId} does not exist.`,
      );
    });
  });

  describe('DeleteUserPoolClient', () => {
    it('deletes the client, and only through its own pool', async () => {
      const created = await createClient();
      const clientId = created.ClientId ?? '';
      await expectAwsError(
        () => server.client.send(new DeleteUserPoolClientCommand({ UserPoolId: otherPoolId, ClientId: clientId })),
        'ResourceNotFoundException',
        `User pool client ${clientId} does not exist.`,
      );
      await server.client.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
      await expectAwsError(() => describeClient(clientId), 'ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
      await expectAwsError(
        () => server.client.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId })),
        'ResourceNotFoundException',
        `User pool client ${clientId} does not exist.`,
      );
    });
  });
});

describe('ListUserPoolClients', () => {
  let server: TestServer;
  let poolId: string;
  before(async () => {
    server = await startServer();
    poolId = (await server.client.send(new CreateUserPoolCommand({ PoolName: 'listing' }))).UserPool?.Id ?? '';
  });
  after(() => server.close());

  it('pages through the pool clients in three pages, listing no secrets', async () => {
    const created = new Set<string>();
    for (let i = 0; i < 7; i++) {
      const out = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: `c${i}`, GenerateSecret: true }));
      created.add(out.UserPoolClient?.ClientId ?? '');
    }
    const other = (await server.client.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool?.Id ?? '';
    await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: other, ClientName: 'elsewhere' }));

    const seen: string[] = [];
    const sizes: number[] = [];
    let token: string | undefined;
    do {
      const page = await server.client.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 3, NextToken: token }));
      sizes.push(page.UserPoolClients?.length ?? 0);
      for (const c of page.UserPoolClients ?? []) {
        assert.deepEqual(Object.keys(c).sort(), ['ClientId', 'ClientName', 'UserPoolId']);
        assert.equal(c.UserPoolId, poolId);
        seen.push(c.ClientId ?? '');
      }
      token = page.NextToken;
    } while (token);
    assert.deepEqual(sizes, [3, 3, 1]);
    assert.equal(seen.length, 7);
    assert.deepEqual(new Set(seen), created);

    const first = await server.client.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 3 }));
    await expectAwsError(
      () => server.client.send(new ListUserPoolClientsCommand({ UserPoolId: other, MaxResults: 3, NextToken: first.NextToken })),
      'InvalidParameterException',
      'The pagination token is invalid.',
    );
    const all = await server.client.send(new ListUserPoolClientsCommand({ UserPoolId: poolId }));
    assert.equal(all.UserPoolClients?.length, 7);
    assert.equal(all.NextToken, undefined);
  });

  it('refuses a token it did not issue and an unknown pool', async () => {
    await expectAwsError(
      () => server.client.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, NextToken: 'garbage' })),
      'InvalidParameterException',
      'The pagination token is invalid.',
    );
    await expectAwsError(
      () => server.client.send(new ListUserPoolClientsCommand({ UserPoolId: 'us-east-1_missing' })),
      'ResourceNotFoundException',
      'User pool us-east-1_missing does not exist.',
    );
  });

  it('requires MaxResults between 1 and 60', async () => {
    await expectAwsError(
      () => server.client.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 0 })),
      'InvalidParameterException',
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });
});
