import {
  AddCustomAttributesCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

describe('user pools', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const create = async (name: string, extra: Partial<ConstructorParameters<typeof CreateUserPoolCommand>[0]> = {}) => {
    const out = await server.client.send(new CreateUserPoolCommand({ PoolName: name, ...extra }));
    return out.UserPool?.Id ?? assert.fail('no pool id');
  };
  const describePool = async (id: string) => (await server.client.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool ?? assert.fail('no pool');

  describe('CreateUserPool', () => {
    it('adds Schema custom attributes with their prefix and keeps tags', async () => {
      const id = await create('schema', {
        Schema: [
          { Name: 'tenant', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MinLength: '1', MaxLength: '64' } },
          { Name: 'email', AttributeDataType: 'String', Required: true },
        ],
        UserPoolTags: { team: 'identity', env: 'test' },
      });
      const pool = await describePool(id);
      const tenant = pool.SchemaAttributes?.find((a) => a.Name === 'custom:tenant');
      assert.deepEqual(tenant, {
        Name: 'custom:tenant',
        AttributeDataType: 'String',
        DeveloperOnlyAttribute: false,
        Mutable: true,
        Required: false,
        StringAttributeConstraints: { MinLength: '1', MaxLength: '64' },
      });
      assert.equal(pool.SchemaAttributes?.find((a) => a.Name === 'email')?.Required, true);
      assert.deepEqual(pool.UserPoolTags, { team: 'identity', env: 'test' });
    });

    it('refuses verification-before-update for an attribute that is not auto-verified', async () => {
      await expectAwsError(
        () => create('avu', { UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } }),
        'InvalidParameterException',
        'All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes',
      );
    });
  });

  describe('UpdateUserPool', () => {
    it('resets omitted settings to their defaults and moves LastModifiedDate', async () => {
      const id = await create('before', {
        AutoVerifiedAttributes: ['email'],
        UsernameAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        LambdaConfig: { CustomMessage: 'arn:aws:lambda:us-east-1:000000000000:function:msg' },
        SmsVerificationMessage: 'Code {####}',
        EmailVerificationSubject: 'Verify',
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false },
        UserPoolTags: { a: 'b' },
        Schema: [{ Name: 'tenant', AttributeDataType: 'String' }],
      });
      const before = await describePool(id);
      server.clock.advance(60_000);

      await server.client.send(new UpdateUserPoolCommand({ UserPoolId: id, EmailVerificationMessage: 'Your code is {####}' }));
      const after = await describePool(id);

      assert.equal(after.EmailVerificationMessage, 'Your code is {####}');
      assert.equal(after.AutoVerifiedAttributes, undefined);
      assert.deepEqual(after.LambdaConfig, undefined);
      assert.equal(after.SmsVerificationMessage, undefined);
      assert.equal(after.EmailVerificationSubject, undefined);
      assert.deepEqual(after.AdminCreateUserConfig, { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 });
      assert.equal(after.DeviceConfiguration, undefined);
      assert.equal(after.UserPoolTags, undefined);
      // Fixed at creation: sign-in identifiers and the schema.
      assert.deepEqual(after.UsernameAttributes, ['email']);
      assert.deepEqual(after.UsernameConfiguration, { CaseSensitive: false });
      assert.deepEqual(after.SchemaAttributes, before.SchemaAttributes);
      assert.equal(after.Name, 'before');
      assert.equal(after.CreationDate?.getTime(), before.CreationDate?.getTime());
      assert.equal(after.LastModifiedDate?.getTime(), (before.LastModifiedDate?.getTime() ?? 0) + 60_000);
    });

    it('keeps the settings AWS keeps when omitted, and applies those given', async () => {
      const id = await create('kept', {
        DeletionProtection: 'ACTIVE',
        Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: false } },
        UserPoolTier: 'PLUS',
      });
      await server.client.send(new UpdateUserPoolCommand({ UserPoolId: id, PoolName: 'renamed', MfaConfiguration: 'OFF' }));
      const pool = await describePool(id);
      assert.equal(pool.Name, 'renamed');
      assert.equal(pool.DeletionProtection, 'ACTIVE');
      assert.equal(pool.Policies?.PasswordPolicy?.MinimumLength, 12);
      assert.equal(pool.Policies?.PasswordPolicy?.RequireSymbols, false);
      assert.equal(pool.UserPoolTier, 'PLUS');

      await server.client.send(new UpdateUserPoolCommand({ UserPoolId: id, Policies: { PasswordPolicy: { MinimumLength: 10 } } }));
      const updated = await describePool(id);
      assert.equal(updated.Policies?.PasswordPolicy?.MinimumLength, 10);
      // A PasswordPolicy that is given replaces the old one: its omitted members take defaults.
      assert.equal(updated.Policies?.PasswordPolicy?.RequireSymbols, true);
    });

    it('keeps verification-before-update, so dropping its auto-verification is refused', async () => {
      const id = await create('avu2', {
        AutoVerifiedAttributes: ['email'],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      });
      await expectAwsError(
        () => server.client.send(new UpdateUserPoolCommand({ UserPoolId: id, DeletionProtection: 'INACTIVE' })),
        'InvalidParameterException',
        'All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes',
      );
      await server.client.send(new UpdateUserPoolCommand({ UserPoolId: id, AutoVerifiedAttributes: ['email'] }));
      assert.deepEqual((await describePool(id)).UserAttributeUpdateSettings, { AttributesRequireVerificationBeforeUpdate: ['email'] });
    });

    it('answers an unknown pool with ResourceNotFoundException', async () => {
      await expectAwsError(
        () => server.client.send(new UpdateUserPoolCommand({ UserPoolId: 'us-east-1_missing' })),
        'ResourceNotFoundException',
        'User pool us-east-1_missing does not exist.',
      );
    });
  });

  describe('DeleteUserPool', () => {
    it('refuses while deletion protection is active, then deletes the pool and its clients', async () => {
      const id = await create('protected', { DeletionProtection: 'ACTIVE' });
      const client = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: 'app' }));
      const clientId = client.UserPoolClient?.ClientId ?? assert.fail('no client id');

      await expectAwsError(
        () => server.client.send(new DeleteUserPoolCommand({ UserPoolId: id })),
        'InvalidParameterException',
        'The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.',
      );
      assert.equal((await describePool(id)).Id, id);

      await server.client.send(new UpdateUserPoolCommand({ UserPoolId: id, DeletionProtection: 'INACTIVE' }));
      await server.client.send(new DeleteUserPoolCommand({ UserPoolId: id }));
      await expectAwsError(() => describePool(id), 'ResourceNotFoundException', `User pool ${id} does not exist.`);
      assert.equal(await server.app.deps.store.getClient(clientId), undefined);
    });

    it('answers an unknown pool with ResourceNotFoundException', async () => {
      await expectAwsError(
        () => server.client.send(new DeleteUserPoolCommand({ UserPoolId: 'us-east-1_missing' })),
        'ResourceNotFoundException',
        'User pool us-east-1_missing does not exist.',
      );
    });
  });

  describe('AddCustomAttributes', () => {
    it('adds custom attributes, prefixing every name, and refuses duplicates', async () => {
      const id = await create('custom');
      server.clock.advance(1000);
      await server.client.send(
        new AddCustomAttributesCommand({
          UserPoolId: id,
          CustomAttributes: [
            { Name: 'plan', AttributeDataType: 'String' },
            { Name: 'seats', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '1', MaxValue: '100' } },
            { Name: 'email', AttributeDataType: 'String' },
          ],
        }),
      );
      const pool = await describePool(id);
      const names = pool.SchemaAttributes?.map((a) => a.Name) ?? [];
      assert.deepEqual(names.slice(-3), ['custom:plan', 'custom:seats', 'custom:email']);
      assert.deepEqual(pool.SchemaAttributes?.find((a) => a.Name === 'custom:seats')?.NumberAttributeConstraints, { MinValue: '1', MaxValue: '100' });
      assert.equal(pool.LastModifiedDate?.getTime(), server.clock.nowMs());

      await expectAwsError(
        () => server.client.send(new AddCustomAttributesCommand({ UserPoolId: id, CustomAttributes: [{ Name: 'plan', AttributeDataType: 'String' }] })),
        'InvalidParameterException',
        'custom:plan: Existing attribute already has name custom:plan.',
      );
      await expectAwsError(
        () => server.client.send(new AddCustomAttributesCommand({ UserPoolId: id, CustomAttributes: [{ Name: 'must', AttributeDataType: 'String', Required: true }] })),
        'InvalidParameterException',
        'Required custom attributes are not supported currently.',
      );
    });

    it('answers an unknown pool with ResourceNotFoundException', async () => {
      await expectAwsError(
        () => server.client.send(new AddCustomAttributesCommand({ UserPoolId: 'us-east-1_missing', CustomAttributes: [{ Name: 'x' }] })),
        'ResourceNotFoundException',
        'User pool us-east-1_missing does not exist.',
      );
    });
  });
});

describe('ListUserPools', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('pages through every pool with NextToken', async () => {
    const created = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const out = await server.client.send(
        new CreateUserPoolCommand({ PoolName: `pool-${i}`, LambdaConfig: i === 0 ? { CustomMessage: 'arn:aws:lambda:us-east-1:000000000000:function:f' } : {} }),
      );
      created.add(out.UserPool?.Id ?? '');
      server.clock.advance(1000);
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    let token: string | undefined;
    do {
      const page = await server.client.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken: token }));
      sizes.push(page.UserPools?.length ?? 0);
      for (const pool of page.UserPools ?? []) {
        seen.push(pool.Id ?? '');
        assert.ok(pool.Name?.startsWith('pool-'));
        assert.ok(pool.CreationDate instanceof Date);
        assert.ok(pool.LastModifiedDate instanceof Date);
        assert.ok(pool.LambdaConfig);
        assert.equal(pool.Status, undefined);
      }
      token = page.NextToken;
    } while (token);
    assert.deepEqual(sizes, [2, 2, 1]);
    assert.deepEqual(new Set(seen), created);
    assert.equal(seen.length, 5);

    const all = await server.client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.equal(all.NextToken, undefined);
    const first = all.UserPools?.find((p) => p.Name === 'pool-0');
    assert.deepEqual(first?.LambdaConfig, { CustomMessage: 'arn:aws:lambda:us-east-1:000000000000:function:f' });
  });

  it('omits NextToken when the last page is exactly full', async () => {
    const all = await server.client.send(new ListUserPoolsCommand({ MaxResults: 5 }));
    assert.equal(all.UserPools?.length, 5);
    assert.equal(all.NextToken, undefined);
  });

  it('refuses a token it did not issue', async () => {
    await expectAwsError(
      () => server.client.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken: 'bm90LWEtdG9rZW4' })),
      'InvalidParameterException',
      'The pagination token is invalid.',
    );
  });

  it('requires MaxResults between 1 and 60', async () => {
    await expectAwsError(
      () => server.client.send(new ListUserPoolsCommand({ MaxResults: 61 })),
      'InvalidParameterException',
      "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
    const res = await server.raw('ListUserPools', {});
    assert.equal(res.body.__type, 'InvalidParameterException');
  });
});

describe('members the model does not define', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('are ignored: UpdateUserPool cannot change what only CreateUserPool sets, nor a client its id', async () => {
    const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'strict' }));
    const poolId = created.UserPool?.Id as string;
    const update = await server.raw('UpdateUserPool', { UserPoolId: poolId, UsernameConfiguration: { CaseSensitive: false }, AliasAttributes: ['email'] });
    assert.equal(update.status, 200);
    const described = await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    assert.equal(described.UserPool?.UsernameConfiguration, undefined);
    assert.equal(described.UserPool?.AliasAttributes, undefined);
    const client = await server.raw('CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'c', ClientId: 'spoofed', CreationDate: 1 });
    assert.equal(client.status, 200);
    const made = client.body.UserPoolClient as { ClientId: string; CreationDate: number };
    assert.notEqual(made.ClientId, 'spoofed');
    assert.notEqual(made.CreationDate, 1);
  });
});
