import {
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolCommand,
  type AttributeType,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectAwsError, startServer, type TestServer } from './support/server.js';
import { assertRequiredAttributes, missingRequiredAttributes } from '../src/domain/users/attributes.js';
import { poolSettingsFromRequest } from '../src/domain/pools/user-pool.js';

const SCHEMA: CreateUserPoolCommandInput['Schema'] = [
  { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
  { Name: 'tenant', AttributeDataType: 'String', Mutable: false },
  { Name: 'short', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '5' } },
  { Name: 'secret', AttributeDataType: 'String', DeveloperOnlyAttribute: true },
  { Name: 'level', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '1', MaxValue: '10' } },
];

describe('user attributes', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const createPool = async (extra: Omit<CreateUserPoolCommandInput, 'PoolName'> = {}) => {
    const res = await server.client.send(new CreateUserPoolCommand({ PoolName: 'attributes', Schema: SCHEMA, ...extra }));
    return res.UserPool?.Id as string;
  };
  const createUser = (poolId: string, username: string, attributes: AttributeType[]) =>
    server.client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: attributes }));
  const update = (poolId: string, username: string, attributes: AttributeType[]) =>
    server.client.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: username, UserAttributes: attributes }));
  const remove = (poolId: string, username: string, names: string[]) =>
    server.client.send(new AdminDeleteUserAttributesCommand({ UserPoolId: poolId, Username: username, UserAttributeNames: names }));
  const attributesOf = async (poolId: string, username: string) => {
    const res = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    return Object.fromEntries((res.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
  };
  const email = (value: string, verified?: boolean): AttributeType[] => [
    { Name: 'email', Value: value },
    ...(verified === undefined ? [] : [{ Name: 'email_verified', Value: String(verified) }]),
  ];

  describe('AdminCreateUser', () => {
    it('refuses attributes outside the schema and sub, in the creation wording', async () => {
      const poolId = await createPool();
      await expectAwsError(
        () => createUser(poolId, 'a', [{ Name: 'custom:nope', Value: 'x' }, { Name: 'favorite', Value: 'y' }]),
        'InvalidParameterException',
        'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\nfavorite: Attribute does not exist in the schema.\n',
      );
      await expectAwsError(() => createUser(poolId, 'a', [{ Name: 'sub', Value: 'x' }]), 'InvalidParameterException', 'Cannot modify the non-mutable attribute sub');
      await expectAwsError(
        () => createUser(poolId, 'a', [{ Name: 'custom:short', Value: 'toolong' }]),
        'InvalidParameterException',
        'Attributes did not conform to the schema: custom:short: String must be no longer than 5 characters.\n',
      );
      await expectAwsError(() => createUser(poolId, 'a', email('not-an-email')), 'InvalidParameterException', 'Invalid email address format.');
      await expectAwsError(() => createUser(poolId, 'a', [{ Name: 'phone_number', Value: '555-0100' }]), 'InvalidParameterException', 'Invalid phone number format.');
    });

    it('sets immutable and developer-only attributes, and leaves required ones to the user', async () => {
      const poolId = await createPool();
      await createUser(poolId, 'b', [
        { Name: 'custom:tenant', Value: 't1' },
        { Name: 'dev:custom:secret', Value: 's' },
        { Name: 'custom:level', Value: '3' },
      ]);
      const attrs = await attributesOf(poolId, 'b');
      assert.equal(attrs['custom:tenant'], 't1');
      assert.equal(attrs['custom:secret'], 's');
      assert.equal(attrs['custom:level'], '3');
      assert.equal(attrs.email, undefined);
    });
  });

  describe('AdminUpdateUserAttributes', () => {
    it('sets attributes and the modification date', async () => {
      const poolId = await createPool();
      await createUser(poolId, 'c', email('c@example.com'));
      server.clock.advance(1000);
      await update(poolId, 'c', [{ Name: 'name', Value: 'Cee' }, { Name: 'custom:secret', Value: 'dev' }, { Name: 'custom:level', Value: '10' }]);
      const res = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'c' }));
      assert.equal(res.UserLastModifiedDate?.getTime(), server.clock.nowMs());
      const attrs = Object.fromEntries((res.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
      assert.equal(attrs.name, 'Cee');
      assert.equal(attrs['custom:secret'], 'dev');
      assert.equal(attrs['custom:level'], '10');
    });

    it('refuses unknown, immutable and sub attributes, in the update wording', async () => {
      const poolId = await createPool();
      await createUser(poolId, 'd', [{ Name: 'custom:tenant', Value: 't1' }]);
      await expectAwsError(
        () => update(poolId, 'd', [{ Name: 'custom:nope', Value: 'x' }, { Name: 'custom:tenant', Value: 't2' }]),
        'InvalidParameterException',
        'user.custom:nope: Attribute does not exist in the schema.\nuser.custom:tenant: Attribute cannot be updated.\n',
      );
      await expectAwsError(() => update(poolId, 'd', [{ Name: 'sub', Value: 'x' }]), 'InvalidParameterException', 'Cannot modify the non-mutable attribute sub');
      assert.equal((await attributesOf(poolId, 'd'))['custom:tenant'], 't1');
    });

    it('refuses an immutable attribute even when the user never had it', async () => {
      const poolId = await createPool();
      await createUser(poolId, 'e', []);
      await expectAwsError(() => update(poolId, 'e', [{ Name: 'custom:tenant', Value: 't' }]), 'InvalidParameterException', 'user.custom:tenant: Attribute cannot be updated.\n');
    });

    it('checks values against their types and constraints', async () => {
      const poolId = await createPool();
      await createUser(poolId, 'f', []);
      await expectAwsError(
        () => update(poolId, 'f', [{ Name: 'email_verified', Value: 'yes' }]),
        'InvalidParameterException',
        'user.email_verified: Attribute value must be true or false.\n',
      );
      await expectAwsError(() => update(poolId, 'f', [{ Name: 'custom:level', Value: '11' }]), 'InvalidParameterException', 'user.custom:level: Number must be less than or equal to 10.\n');
      await expectAwsError(() => update(poolId, 'f', [{ Name: 'custom:level', Value: 'high' }]), 'InvalidParameterException', 'user.custom:level: Attribute value must be a number.\n');
      await expectAwsError(() => update(poolId, 'f', [{ Name: 'custom:short', Value: 'sixsix' }]), 'InvalidParameterException', 'user.custom:short: String must be no longer than 5 characters.\n');
      await expectAwsError(() => update(poolId, 'f', email('nope')), 'InvalidParameterException', 'Invalid email address format.');
    });

    it('makes a changed email unverified unless the request verifies it', async () => {
      const poolId = await createPool({ AliasAttributes: ['email'] });
      await createUser(poolId, 'g', email('g1@example.com', true));
      assert.equal((await attributesOf(poolId, 'g1@example.com')).email_verified, 'true');

      await update(poolId, 'g', email('g1@example.com'));
      assert.equal((await attributesOf(poolId, 'g')).email_verified, 'true', 'same value keeps verification');

      await update(poolId, 'g', email('g2@example.com'));
      assert.equal((await attributesOf(poolId, 'g')).email_verified, 'false');
      await expectAwsError(() => attributesOf(poolId, 'g1@example.com'), 'UserNotFoundException', 'User does not exist.');
      await expectAwsError(() => attributesOf(poolId, 'g2@example.com'), 'UserNotFoundException', 'User does not exist.');

      await update(poolId, 'g', email('g3@example.com', true));
      assert.equal((await attributesOf(poolId, 'g3@example.com')).email, 'g3@example.com');
    });

    it('resets phone_number_verified the same way', async () => {
      const poolId = await createPool();
      await createUser(poolId, 'h', [{ Name: 'phone_number', Value: '+15555550100' }, { Name: 'phone_number_verified', Value: 'true' }]);
      await update(poolId, 'h', [{ Name: 'phone_number', Value: '+15555550199' }]);
      assert.equal((await attributesOf(poolId, 'h')).phone_number_verified, 'false');
    });

    it('deletes an attribute given an empty value, except a required one', async () => {
      const poolId = await createPool();
      await createUser(poolId, 'i', [...email('i@example.com'), { Name: 'name', Value: 'Eye' }]);
      await update(poolId, 'i', [{ Name: 'name', Value: '' }]);
      assert.equal((await attributesOf(poolId, 'i')).name, undefined);
      await expectAwsError(() => update(poolId, 'i', [{ Name: 'email', Value: '' }]), 'InvalidParameterException', 'user.email: The attribute is required\n');
    });

    it('refuses a verified email another user holds as alias', async () => {
      const poolId = await createPool({ AliasAttributes: ['email'] });
      await createUser(poolId, 'j', email('taken@example.com', true));
      await createUser(poolId, 'k', []);
      await expectAwsError(() => update(poolId, 'k', email('taken@example.com', true)), 'AliasExistsException', 'An account with the email already exists.');
      await update(poolId, 'k', email('taken@example.com'));
      assert.equal((await attributesOf(poolId, 'taken@example.com')).sub, (await attributesOf(poolId, 'j')).sub);
    });

    it('refuses another user’s email in pools signing in by email, whatever the case', async () => {
      const poolId = await createPool({ UsernameAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false } });
      await createUser(poolId, 'l@example.com', []);
      await createUser(poolId, 'm@example.com', []);
      await expectAwsError(() => update(poolId, 'M@example.com', email('L@EXAMPLE.com')), 'AliasExistsException', 'An account with the given email already exists.');
      await update(poolId, 'm@example.com', email('n@example.com'));
      assert.equal((await attributesOf(poolId, 'N@example.com')).email, 'n@example.com');
    });

    it('answers unknown users', async () => {
      const poolId = await createPool();
      await expectAwsError(() => update(poolId, 'ghost', [{ Name: 'name', Value: 'x' }]), 'UserNotFoundException', 'User does not exist.');
    });
  });

  describe('AdminDeleteUserAttributes', () => {
    it('removes attributes, an email with its verification and alias', async () => {
      const poolId = await createPool({ AliasAttributes: ['email'], Schema: [{ Name: 'nickname', AttributeDataType: 'String', Mutable: true }] });
      await createUser(poolId, 'o', [...email('o@example.com', true), { Name: 'nickname', Value: 'oh' }, { Name: 'name', Value: 'Oh' }]);
      server.clock.advance(1000);
      await remove(poolId, 'o', ['email', 'nickname']);
      const res = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'o' }));
      assert.deepEqual(res.UserAttributes?.map((a) => a.Name), ['sub', 'name']);
      assert.equal(res.UserLastModifiedDate?.getTime(), server.clock.nowMs());
      await expectAwsError(() => attributesOf(poolId, 'o@example.com'), 'UserNotFoundException', 'User does not exist.');
    });

    it('refuses sub, unknown, immutable and required attributes', async () => {
      const poolId = await createPool();
      await createUser(poolId, 'p', [...email('p@example.com'), { Name: 'custom:tenant', Value: 't' }]);
      await expectAwsError(() => remove(poolId, 'p', ['sub']), 'InvalidParameterException', 'Cannot modify the non-mutable attribute sub');
      await expectAwsError(
        () => remove(poolId, 'p', ['custom:nope', 'custom:tenant', 'email']),
        'InvalidParameterException',
        'user.custom:nope: Attribute does not exist in the schema.\nuser.custom:tenant: Attribute cannot be updated.\nuser.email: The attribute is required\n',
      );
      const attrs = await attributesOf(poolId, 'p');
      assert.equal(attrs.email, 'p@example.com');
      assert.equal(attrs['custom:tenant'], 't');
      await expectAwsError(() => remove(poolId, 'ghost', ['name']), 'UserNotFoundException', 'User does not exist.');
    });
  });
});

describe('required attributes', () => {
  it('are listed and reported in the creation wording', () => {
    const settings = poolSettingsFromRequest({ Schema: [{ Name: 'email', Required: true }, { Name: 'name', Required: true }] });
    assert.deepEqual(missingRequiredAttributes(settings, { sub: 'x', name: 'N' }), ['email']);
    assert.throws(() => assertRequiredAttributes(settings, { sub: 'x' }), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: name: The attribute is required\nemail: The attribute is required\n',
    });
    assert.doesNotThrow(() => assertRequiredAttributes(settings, { email: 'e@example.com', name: 'N' }));
  });
});
