import {
  AddCustomAttributesCommand,
  AdminCreateUserCommand,
  AdminUpdateUserAttributesCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  AdminDeleteUserAttributesCommand,
  AdminGetUserCommand,
  AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedbackCommand,
  CreateUserPoolCommand,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  GetCSVHeaderCommand,
  GetSigningCertificateCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAuthEventFeedbackCommand,
  UpdateUserPoolCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { X509Certificate, createPublicKey, type JsonWebKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient, verifiedEmail } from './support/fixtures.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Perm-Passw0rd!';
const DEFAULT_CSV_HEADER = [
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'email',
  'email_verified',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'phone_number',
  'phone_number_verified',
  'address',
  'updated_at',
];
const ADD_ON = 'Threat protection (advanced security) is not enabled for this user pool.';
const UNAUTHORIZED_WRITE = 'A client attempted to write unauthorized attribute';

describe('the rest of the user directory', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const SCHEMA: CreateUserPoolCommandInput['Schema'] = [
    { Name: 'tier', AttributeDataType: 'String', Mutable: true },
    { Name: 'tenant', AttributeDataType: 'String', Mutable: false },
    { Name: 'secret', AttributeDataType: 'String', DeveloperOnlyAttribute: true },
  ];

  const setup = (pool: Partial<CreateUserPoolCommandInput> = {}, client: Partial<CreateUserPoolClientCommandInput> = {}) =>
    createPoolWithClient(
      server.client,
      { PoolName: 'directory', Schema: SCHEMA, ...pool },
      { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], ...client },
    );

  const confirmedUser = (poolId: string, username: string) =>
    createConfirmedUser(server.client, poolId, username, {
      password: PASSWORD,
      attributes: [
        ...verifiedEmail(username),
        { Name: 'name', Value: username },
        { Name: 'custom:tier', Value: 'gold' },
        { Name: 'custom:tenant', Value: 't1' },
        { Name: 'dev:custom:secret', Value: 's3' },
      ],
    });

  const signIn = async (clientId: string, username: string) => {
    const res = await server.client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PASSWORD } }),
    );
    const result = res.AuthenticationResult;
    assert.ok(result?.AccessToken && result.RefreshToken);
    return { access: result.AccessToken, refresh: result.RefreshToken };
  };

  const attributesOf = async (poolId: string, username: string) => {
    const res = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    return Object.fromEntries((res.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
  };

  const arnOf = async (poolId: string) => {
    const res = await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    assert.ok(res.UserPool?.Arn);
    return res.UserPool.Arn;
  };
  const tagsOf = async (arn: string) => (await server.client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;

  describe('DeleteUser', () => {
    it('deletes the signed-in user; its tokens stop working at once', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'dora');
      await confirmedUser(poolId, 'other');
      const { access, refresh } = await signIn(clientId, 'dora');
      await server.client.send(new DeleteUserCommand({ AccessToken: access }));
      await expectAwsError(() => attributesOf(poolId, 'dora'), 'UserNotFoundException', 'User does not exist.');
      await expectAwsError(() => server.client.send(new GetUserCommand({ AccessToken: access })), 'NotAuthorizedException', 'Access Token has been revoked');
      await expectAwsError(
        () => server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refresh } })),
        'NotAuthorizedException',
      );
      // Only the caller goes.
      assert.equal((await attributesOf(poolId, 'other')).name, 'other');
      const described = await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(described.UserPool?.EstimatedNumberOfUsers, 1);
    });

    it('refuses a token that is not an access token of this server', async () => {
      await expectAwsError(() => server.client.send(new DeleteUserCommand({ AccessToken: 'not-a-token' })), 'NotAuthorizedException', 'Invalid Access Token');
    });
  });

  describe('DeleteUserAttributes', () => {
    const removeOwn = (access: string, names: string[]) =>
      server.client.send(new DeleteUserAttributesCommand({ AccessToken: access, UserAttributeNames: names }));

    it('removes the caller own attributes; a removed email takes its verification flag with it', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'erin');
      const { access } = await signIn(clientId, 'erin');
      await removeOwn(access, ['name', 'email', 'custom:tier']);
      const attrs = await attributesOf(poolId, 'erin');
      assert.equal(attrs.name, undefined);
      assert.equal(attrs.email, undefined);
      assert.equal(attrs.email_verified, undefined);
      assert.equal(attrs['custom:tier'], undefined);
      assert.equal(attrs['custom:tenant'], 't1');
    });

    it('refuses sub, unknown and immutable attributes with the texts of AdminDeleteUserAttributes', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'finn');
      const { access } = await signIn(clientId, 'finn');
      await expectAwsError(() => removeOwn(access, ['sub']), 'InvalidParameterException', 'Cannot modify the non-mutable attribute sub');
      await expectAwsError(
        () => removeOwn(access, ['custom:nope', 'custom:tenant']),
        'InvalidParameterException',
        'user.custom:nope: Attribute does not exist in the schema.\nuser.custom:tenant: Attribute cannot be updated.\n',
      );
      assert.equal((await attributesOf(poolId, 'finn'))['custom:tenant'], 't1');
    });

    it('never lets an app delete a developer-only attribute; an administrator can', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'gwen');
      const { access } = await signIn(clientId, 'gwen');
      await expectAwsError(() => removeOwn(access, ['custom:secret']), 'NotAuthorizedException', UNAUTHORIZED_WRITE);
      await expectAwsError(() => removeOwn(access, ['dev:custom:secret']), 'NotAuthorizedException', UNAUTHORIZED_WRITE);
      assert.equal((await attributesOf(poolId, 'gwen'))['custom:secret'], 's3');
      await server.client.send(new AdminDeleteUserAttributesCommand({ UserPoolId: poolId, Username: 'gwen', UserAttributeNames: ['dev:custom:secret'] }));
      assert.equal((await attributesOf(poolId, 'gwen'))['custom:secret'], undefined);
    });

    it('refuses attributes outside the app client WriteAttributes', async () => {
      const { poolId, clientId } = await setup({}, { WriteAttributes: ['name', 'email'] });
      await confirmedUser(poolId, 'hugo');
      const { access } = await signIn(clientId, 'hugo');
      await expectAwsError(() => removeOwn(access, ['custom:tier']), 'NotAuthorizedException', UNAUTHORIZED_WRITE);
      await removeOwn(access, ['name']);
      assert.equal((await attributesOf(poolId, 'hugo'))['custom:tier'], 'gold');
    });
  });

  describe('tags', () => {
    it('keeps one set: CreateUserPool, TagResource, UntagResource, UpdateUserPool, DescribeUserPool and ListTagsForResource agree', async () => {
      const { poolId } = await setup({ UserPoolTags: { team: 'id', env: 'dev' } });
      const arn = await arnOf(poolId);
      assert.match(arn, new RegExp(`^arn:aws:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/${poolId}$`));
      assert.deepEqual(await tagsOf(arn), { team: 'id', env: 'dev' });

      await server.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { env: 'prod', owner: '' } }));
      assert.deepEqual(await tagsOf(arn), { team: 'id', env: 'prod', owner: '' });
      await server.client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team', 'never-set'] }));
      assert.deepEqual(await tagsOf(arn), { env: 'prod', owner: '' });
      const described = await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.deepEqual(described.UserPool?.UserPoolTags, { env: 'prod', owner: '' });

      // UpdateUserPool replaces the set it names, and like the other omitted settings an omitted
      // UserPoolTags resets to none (AWS documents the reset; see docs/compatibility.md).
      await server.client.send(new UpdateUserPoolCommand({ UserPoolId: poolId, UserPoolTags: { only: 'this' } }));
      assert.deepEqual(await tagsOf(arn), { only: 'this' });
      await server.client.send(new UpdateUserPoolCommand({ UserPoolId: poolId }));
      assert.deepEqual(await tagsOf(arn), {});
    });

    it('a pool without tags lists none', async () => {
      const { poolId } = await setup();
      assert.deepEqual(await tagsOf(await arnOf(poolId)), {});
    });

    it('refuses the reserved aws: prefix, more than 50 tags and keys or values beyond the model lengths', async () => {
      const { poolId } = await setup();
      const arn = await arnOf(poolId);
      const tag = (tags: Record<string, string>) => server.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags }));
      await expectAwsError(() => tag({ 'aws:owner': 'me' }), 'InvalidParameterException', "Tag keys starting with 'aws:' are reserved for AWS use: aws:owner");
      await expectAwsError(() => tag({ 'AWS:owner': 'me' }), 'InvalidParameterException', "Tag keys starting with 'aws:' are reserved for AWS use: AWS:owner");
      await expectAwsError(
        () => server.client.send(new CreateUserPoolCommand({ PoolName: 'reserved', UserPoolTags: { 'aws:x': 'y' } })),
        'InvalidParameterException',
        "Tag keys starting with 'aws:' are reserved for AWS use: aws:x",
      );
      const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
      await tag(fifty);
      await expectAwsError(() => tag({ one: 'more' }), 'InvalidParameterException', 'A user pool can have at most 50 tags.');
      await tag({ k0: 'changed' }); // giving an existing key a new value adds no tag
      assert.equal(Object.keys((await tagsOf(arn)) ?? {}).length, 50);
      await expectAwsError(() => tag({ ['k'.repeat(129)]: 'v' }), 'InvalidParameterException', /Member must have length less than or equal to 128/);
      await expectAwsError(() => tag({ key: 'v'.repeat(257) }), 'InvalidParameterException', /Member must have length less than or equal to 256/);
    });

    it('answers ResourceNotFoundException for an unknown pool or another account, InvalidParameterException for an ARN that names no user pool', async () => {
      const { poolId } = await setup();
      const arn = await arnOf(poolId);
      const unknown = arn.replace(poolId, `${poolId.split('_')[0]}_nope`);
      const nopeId = unknown.split('/')[1] as string;
      await expectAwsError(() => tagsOf(unknown), 'ResourceNotFoundException', `User pool ${nopeId} does not exist.`);
      await expectAwsError(
        () => server.client.send(new TagResourceCommand({ ResourceArn: unknown, Tags: { a: 'b' } })),
        'ResourceNotFoundException',
        `User pool ${nopeId} does not exist.`,
      );
      await expectAwsError(
        () => server.client.send(new UntagResourceCommand({ ResourceArn: unknown, TagKeys: ['a'] })),
        'ResourceNotFoundException',
        `User pool ${nopeId} does not exist.`,
      );
      const otherAccount = arn.replace(/:[0-9]{12}:/u, ':999999999999:');
      await expectAwsError(() => tagsOf(otherAccount), 'ResourceNotFoundException', `User pool ${poolId} does not exist.`);
      const notAPool = 'arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:abc';
      await expectAwsError(() => tagsOf(notAPool), 'InvalidParameterException', `Invalid user pool ARN: ${notAPool}`);
    });
  });

  describe('GetSigningCertificate', () => {
    it('returns a self-signed X.509 certificate of the pool token signing key, valid for ten years, the same every time', async () => {
      const { poolId } = await setup();
      const res = await server.client.send(new GetSigningCertificateCommand({ UserPoolId: poolId }));
      assert.ok(res.Certificate);
      assert.match(res.Certificate, /^[A-Za-z0-9+/]+=*$/u);
      const certificate = new X509Certificate(Buffer.from(res.Certificate, 'base64'));
      assert.equal(certificate.subject, `CN=${poolId}`);
      assert.equal(certificate.issuer, `CN=${poolId}`);
      assert.ok(certificate.verify(certificate.publicKey), 'self-signed');
      const years = (Date.parse(certificate.validTo) - Date.parse(certificate.validFrom)) / (365.25 * 86_400_000);
      assert.ok(Math.abs(years - 10) < 0.01, `valid for ${years} years`);

      // The key tokens are signed with, as the JWKS publishes it.
      const jwks = (await (await fetch(`${server.url}/${poolId}/.well-known/jwks.json`)).json()) as { keys: JsonWebKey[] };
      const published = createPublicKey({ key: jwks.keys[0] as JsonWebKey, format: 'jwk' });
      assert.ok(certificate.publicKey.equals(published));

      const again = await server.client.send(new GetSigningCertificateCommand({ UserPoolId: poolId }));
      assert.equal(again.Certificate, res.Certificate);
    });

    it('answers ResourceNotFoundException for an unknown pool', async () => {
      await expectAwsError(
        () => server.client.send(new GetSigningCertificateCommand({ UserPoolId: 'us-east-1_nope' })),
        'ResourceNotFoundException',
        'User pool us-east-1_nope does not exist.',
      );
    });
  });

  describe('GetCSVHeader', () => {
    it('lists a default pool attributes in AWS order, without sub, then cognito:mfa_enabled and cognito:username', async () => {
      const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'plain' }));
      const poolId = created.UserPool?.Id as string;
      const res = await server.client.send(new GetCSVHeaderCommand({ UserPoolId: poolId }));
      assert.equal(res.UserPoolId, poolId);
      assert.deepEqual(res.CSVHeader, [...DEFAULT_CSV_HEADER, 'cognito:mfa_enabled', 'cognito:username']);
    });

    it('puts custom attributes after the standard ones, developer-only ones with their dev: prefix', async () => {
      const { poolId } = await setup();
      const res = await server.client.send(new GetCSVHeaderCommand({ UserPoolId: poolId }));
      assert.deepEqual(res.CSVHeader, [
        ...DEFAULT_CSV_HEADER,
        'custom:tier',
        'custom:tenant',
        'dev:custom:secret',
        'cognito:mfa_enabled',
        'cognito:username',
      ]);
    });

    it('answers ResourceNotFoundException for an unknown pool', async () => {
      await expectAwsError(
        () => server.client.send(new GetCSVHeaderCommand({ UserPoolId: 'us-east-1_nope' })),
        'ResourceNotFoundException',
        'User pool us-east-1_nope does not exist.',
      );
    });
  });

  describe('auth events without threat protection', () => {
    it('AdminListUserAuthEvents, AdminUpdateAuthEventFeedback and UpdateAuthEventFeedback answer UserPoolAddOnNotEnabledException', async () => {
      const { poolId } = await setup();
      await confirmedUser(poolId, 'ivan');
      await expectAwsError(
        () => server.client.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'ivan' })),
        'UserPoolAddOnNotEnabledException',
        ADD_ON,
      );
      await expectAwsError(
        () => server.client.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'ivan', EventId: 'e1', FeedbackValue: 'Valid' })),
        'UserPoolAddOnNotEnabledException',
        ADD_ON,
      );
      await expectAwsError(
        () =>
          server.client.send(
            new UpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'ivan', EventId: 'e1', FeedbackToken: 'token', FeedbackValue: 'Invalid' }),
          ),
        'UserPoolAddOnNotEnabledException',
        ADD_ON,
      );
    });

    it('an unknown pool is not found first', async () => {
      await expectAwsError(
        () => server.client.send(new AdminListUserAuthEventsCommand({ UserPoolId: 'us-east-1_nope', Username: 'ivan' })),
        'ResourceNotFoundException',
        'User pool us-east-1_nope does not exist.',
      );
    });
  });

  describe('DescribeUserPool', () => {
    it('reports the users, the schema, the tags, the Lambda configuration and deletion protection as they are', async () => {
      const lambda = 'arn:aws:lambda:us-east-1:123456789012:function:custom-message';
      const { poolId } = await setup({ UserPoolTags: { team: 'id' }, LambdaConfig: { CustomMessage: lambda }, DeletionProtection: 'ACTIVE' });
      await confirmedUser(poolId, 'jane');
      await server.client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'kim', MessageAction: 'SUPPRESS' }));
      const pool = (await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool;
      assert.equal(pool?.EstimatedNumberOfUsers, 2);
      assert.deepEqual(pool?.UserPoolTags, { team: 'id' });
      assert.deepEqual(pool?.LambdaConfig, { CustomMessage: lambda });
      assert.equal(pool?.DeletionProtection, 'ACTIVE');
      const custom = pool?.SchemaAttributes?.filter((a) => a.Name?.startsWith('custom:') || a.Name?.startsWith('dev:'));
      assert.deepEqual(
        custom?.map((a) => [a.Name, a.Mutable, a.DeveloperOnlyAttribute]),
        [
          ['custom:tier', true, false],
          ['custom:tenant', false, false],
          ['dev:custom:secret', true, true],
        ],
      );
    });

    it('DeletionProtection ACTIVE refuses DeleteUserPool until it is made INACTIVE', async () => {
      const { poolId } = await setup({ DeletionProtection: 'ACTIVE' });
      await expectAwsError(
        () => server.client.send(new DeleteUserPoolCommand({ UserPoolId: poolId })),
        'InvalidParameterException',
        'The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.',
      );
      assert.equal((await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.Id, poolId);
      await server.client.send(new UpdateUserPoolCommand({ UserPoolId: poolId, DeletionProtection: 'INACTIVE' }));
      await server.client.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
      await expectAwsError(
        () => server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId })),
        'ResourceNotFoundException',
        `User pool ${poolId} does not exist.`,
      );
    });
  });

  describe('schema rules', () => {
    const createWith = (schema: CreateUserPoolCommandInput['Schema']) => server.client.send(new CreateUserPoolCommand({ PoolName: 'schema', Schema: schema }));
    const refused = (schema: CreateUserPoolCommandInput['Schema'], message: string) => expectAwsError(() => createWith(schema), 'InvalidParameterException', message);

    it('refuses custom attribute constraints out of range or out of order', async () => {
      await refused([{ Name: 'big', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '2049' } }], 'custom:big: MaxLength must be at most 2048.');
      await refused(
        [{ Name: 'range', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '10', MaxLength: '5' } }],
        'custom:range: MinLength must not be greater than MaxLength.',
      );
      await refused([{ Name: 'len', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '-1' } }], 'custom:len: MinLength must be a non-negative integer.');
      await refused(
        [{ Name: 'n', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '10', MaxValue: '1' } }],
        'custom:n: MinValue must not be greater than MaxValue.',
      );
      await refused([{ Name: 'n', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: 'abc' } }], 'custom:n: MinValue must be an integer.');
      const ok = await createWith([
        { Name: 'full', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '0', MaxLength: '2048' } },
        { Name: 'neg', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '-5', MaxValue: '5' } },
      ]);
      assert.ok(ok.UserPool?.Id);
    });

    it('keeps standard attributes their type and never developer-only, but accepts them restated as they are', async () => {
      await refused([{ Name: 'email', AttributeDataType: 'Number' }], 'email: The data type of a standard attribute cannot be changed from String.');
      await refused([{ Name: 'email', DeveloperOnlyAttribute: true }], 'email: A standard attribute cannot be developer-only.');
      await refused([{ Name: 'email', StringAttributeConstraints: { MinLength: '5', MaxLength: '3' } }], 'email: MinLength must not be greater than MaxLength.');
      // As infrastructure tools send them: the whole standard definition, made required.
      const res = await createWith([
        { Name: 'email', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: true, Required: true, StringAttributeConstraints: { MinLength: '1', MaxLength: '256' } },
      ]);
      const email = res.UserPool?.SchemaAttributes?.find((a) => a.Name === 'email');
      assert.deepEqual(email?.StringAttributeConstraints, { MinLength: '1', MaxLength: '256' });
      assert.equal(email?.Required, true);
    });

    it('refuses a name used twice, in one request or against the pool, with AWS text', async () => {
      await refused([{ Name: 'x' }, { Name: 'x' }], 'custom:x: Existing attribute already has name custom:x.');
      const { poolId } = await setup();
      await expectAwsError(
        () => server.client.send(new AddCustomAttributesCommand({ UserPoolId: poolId, CustomAttributes: [{ Name: 'secret', AttributeDataType: 'String' }] })),
        'InvalidParameterException',
        'custom:secret: Existing attribute already has name dev:custom:secret.',
      );
    });

    it('allows 50 custom attributes and no more', async () => {
      const { poolId } = await setup(); // 3 custom attributes
      const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ Name: `a${from + i}`, AttributeDataType: 'String' as const }));
      await server.client.send(new AddCustomAttributesCommand({ UserPoolId: poolId, CustomAttributes: batch(0, 25) }));
      await server.client.send(new AddCustomAttributesCommand({ UserPoolId: poolId, CustomAttributes: batch(25, 22) }));
      const pool = (await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool;
      assert.equal(pool?.SchemaAttributes?.filter((a) => /^(dev:)?custom:/u.test(a.Name ?? '')).length, 50);
      await expectAwsError(
        () => server.client.send(new AddCustomAttributesCommand({ UserPoolId: poolId, CustomAttributes: batch(47, 1) })),
        'InvalidParameterException',
        'Too many custom attributes: a user pool can have at most 50.',
      );
    });

    it('honours Mutable false after creation, for administrators and apps alike', async () => {
      const { poolId, clientId } = await setup({
        Schema: [...(SCHEMA ?? []), { Name: 'email', AttributeDataType: 'String', Mutable: false }],
      });
      await confirmedUser(poolId, 'lena');
      assert.equal((await attributesOf(poolId, 'lena')).email, 'lena@example.com');
      await expectAwsError(
        () => server.client.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'lena', UserAttributes: [{ Name: 'email', Value: 'new@example.com' }] })),
        'InvalidParameterException',
        'user.email: Attribute cannot be updated.\n',
      );
      const { access } = await signIn(clientId, 'lena');
      await expectAwsError(
        () => server.client.send(new UpdateUserAttributesCommand({ AccessToken: access, UserAttributes: [{ Name: 'custom:tenant', Value: 't2' }] })),
        'InvalidParameterException',
        'user.custom:tenant: Attribute cannot be updated.\n',
      );
      const attrs = await attributesOf(poolId, 'lena');
      assert.equal(attrs.email, 'lena@example.com');
      assert.equal(attrs['custom:tenant'], 't1');
    });

    it('lets only administrators write developer-only attributes', async () => {
      const { poolId, clientId } = await setup();
      await confirmedUser(poolId, 'milo');
      const { access } = await signIn(clientId, 'milo');
      for (const name of ['custom:secret', 'dev:custom:secret']) {
        await expectAwsError(
          () => server.client.send(new UpdateUserAttributesCommand({ AccessToken: access, UserAttributes: [{ Name: name, Value: 'mine' }] })),
          'NotAuthorizedException',
          UNAUTHORIZED_WRITE,
        );
      }
      await expectAwsError(
        () =>
          server.client.send(
            new SignUpCommand({ ClientId: clientId, Username: 'nora', Password: PASSWORD, UserAttributes: [{ Name: 'dev:custom:secret', Value: 'x' }] }),
          ),
        'NotAuthorizedException',
        UNAUTHORIZED_WRITE,
      );
      await server.client.send(
        new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'milo', UserAttributes: [{ Name: 'dev:custom:secret', Value: 'admin' }] }),
      );
      assert.equal((await attributesOf(poolId, 'milo'))['custom:secret'], 'admin');
    });
  });
});
