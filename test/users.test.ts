import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolCommand,
  type AdminCreateUserCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';
import { generateTemporaryPassword, temporaryPasswordExpired } from '../src/domain/users/temporary-password.js';
import { assertPasswordMeetsPolicy } from '../src/domain/pools/password-policy.js';
import { poolSettingsFromRequest } from '../src/domain/pools/user-pool.js';
import { cryptoRandom } from '../src/kernel/random.js';
import type { UserRecord } from '../src/domain/users/user.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PASSWORD = 'Temp-Passw0rd!';
const DAY = 86_400_000;

// Every story runs on both stores; PostgreSQL skips with a reason when it is not running.
for (const dialect of E2E_DIALECTS) describe(`users (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ dialect });
  });
  after(() => server.close());

  const createPool = async (extra: Omit<CreateUserPoolCommandInput, 'PoolName'> = {}) => {
    const res = await server.client.send(new CreateUserPoolCommand({ PoolName: 'users', ...extra }));
    return res.UserPool?.Id as string;
  };
  const create = (poolId: string, input: Omit<AdminCreateUserCommandInput, 'UserPoolId'>) =>
    server.client.send(new AdminCreateUserCommand({ UserPoolId: poolId, ...input }));
  const get = (poolId: string, username: string) => server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  const messages = (poolId: string) => server.app.deps.store.listMessages({ poolId, limit: 100 });
  const payload = (sealed: string) => JSON.parse(server.app.deps.secrets.open(sealed)) as { temporaryPassword: string; clientMetadata?: unknown };
  const stored = async (poolId: string, username: string) => {
    const user = await server.app.deps.store.getUserByUsernameKey(poolId, username);
    assert.ok(user, `no stored user ${username}`);
    return user;
  };

  describe('AdminCreateUser', () => {
    it('creates a FORCE_CHANGE_PASSWORD user with a generated sub, suppressing the invitation', async () => {
      const poolId = await createPool();
      const res = await create(poolId, {
        Username: 'alice',
        TemporaryPassword: PASSWORD,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }, { Name: 'name', Value: 'Alice' }],
        ValidationData: [{ Name: 'ignored', Value: 'yes' }],
      });
      const user = res.User;
      assert.equal(user?.Username, 'alice');
      assert.equal(user?.UserStatus, 'FORCE_CHANGE_PASSWORD');
      assert.equal(user?.Enabled, true);
      assert.equal(user?.UserCreateDate?.getTime(), server.clock.nowMs());
      assert.equal(user?.UserLastModifiedDate?.getTime(), server.clock.nowMs());
      assert.equal(user?.Attributes?.[0]?.Name, 'sub');
      assert.match(user?.Attributes?.[0]?.Value ?? '', UUID);
      assert.deepEqual(user?.Attributes?.slice(1), [
        { Name: 'email', Value: 'alice@example.com' },
        { Name: 'name', Value: 'Alice' },
      ]);
      assert.deepEqual(await messages(poolId), []);
      const record = await stored(poolId, 'alice');
      assert.ok(record.passwordHash?.startsWith('$argon2id$'));
      assert.ok(await server.app.deps.hasher.verify(record.passwordHash ?? '', PASSWORD));
      assert.equal(record.passwordUpdatedAt, server.clock.nowMs());
    });

    it('refuses a taken username', async () => {
      const poolId = await createPool();
      await create(poolId, { Username: 'bob', MessageAction: 'SUPPRESS' });
      await expectAwsError(() => create(poolId, { Username: 'bob', MessageAction: 'SUPPRESS' }), 'UsernameExistsException', 'User account already exists');
    });

    it('checks the temporary password against the pool policy', async () => {
      const poolId = await createPool({ Policies: { PasswordPolicy: { MinimumLength: 10, RequireSymbols: false } } });
      await expectAwsError(
        () => create(poolId, { Username: 'carol', TemporaryPassword: 'Short1a', MessageAction: 'SUPPRESS' }),
        'InvalidPasswordException',
        'Password did not conform with policy: Password not long enough',
      );
      await expectAwsError(
        () => create(poolId, { Username: 'carol', TemporaryPassword: 'alllowercase1', MessageAction: 'SUPPRESS' }),
        'InvalidPasswordException',
        'Password did not conform with policy: Password must have uppercase characters',
      );
      await expectAwsError(() => get(poolId, 'carol'), 'UserNotFoundException', 'User does not exist.');
    });

    it('generates a temporary password meeting the policy and queues the invitation by email', async () => {
      const poolId = await createPool({ Policies: { PasswordPolicy: { MinimumLength: 20 } } });
      await create(poolId, {
        Username: 'dave',
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [{ Name: 'email', Value: 'dave@example.com' }],
        ClientMetadata: { origin: 'test' },
      });
      const queued = await messages(poolId);
      assert.equal(queued.length, 1);
      const [message] = queued;
      assert.equal(message?.trigger, 'AdminCreateUser');
      assert.equal(message?.channel, 'EMAIL');
      assert.equal(message?.destination, 'dave@example.com');
      assert.equal(message?.username, 'dave');
      assert.equal(message?.state, 'pending');
      assert.equal(message?.nextAttemptAt, server.clock.nowMs());
      const opened = payload(message?.payloadSealed ?? '');
      assert.deepEqual(opened.clientMetadata, { origin: 'test' });
      assert.ok(opened.temporaryPassword.length >= 20);
      const settings = poolSettingsFromRequest({ Policies: { PasswordPolicy: { MinimumLength: 20 } } });
      assert.doesNotThrow(() => assertPasswordMeetsPolicy(settings, opened.temporaryPassword));
      const record = await stored(poolId, 'dave');
      assert.equal(message?.userSub, record.sub);
      assert.ok(await server.app.deps.hasher.verify(record.passwordHash ?? '', opened.temporaryPassword));
    });

    it('sends by SMS by default, to every desired medium, and skips a default SMS without a phone', async () => {
      const poolId = await createPool();
      await create(poolId, { Username: 'erin', TemporaryPassword: PASSWORD, UserAttributes: [{ Name: 'phone_number', Value: '+15555550100' }] });
      await create(poolId, {
        Username: 'frank',
        TemporaryPassword: PASSWORD,
        DesiredDeliveryMediums: ['EMAIL', 'SMS'],
        UserAttributes: [
          { Name: 'phone_number', Value: '+15555550101' },
          { Name: 'email', Value: 'frank@example.com' },
        ],
      });
      await create(poolId, { Username: 'gina', TemporaryPassword: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'gina@example.com' }] });
      const sent = (await messages(poolId)).map((m) => [m.username, m.channel, m.destination, payload(m.payloadSealed).temporaryPassword]);
      assert.deepEqual(sent, [
        ['erin', 'SMS', '+15555550100', PASSWORD],
        ['frank', 'EMAIL', 'frank@example.com', PASSWORD],
        ['frank', 'SMS', '+15555550101', PASSWORD],
      ]);
    });

    it('refuses a desired medium the user has no address for', async () => {
      const poolId = await createPool();
      await expectAwsError(
        () => create(poolId, { Username: 'hank', DesiredDeliveryMediums: ['EMAIL'] }),
        'InvalidParameterException',
        'No email provided but desired delivery medium was Email',
      );
      await expectAwsError(() => get(poolId, 'hank'), 'UserNotFoundException', 'User does not exist.');
    });

    it('RESEND gives an invited user a new temporary password, a new validity period and a new message', async () => {
      const poolId = await createPool();
      await create(poolId, { Username: 'ivy', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'ivy@example.com' }] });
      const createdAt = server.clock.nowMs();
      server.clock.advance(8 * DAY);
      const settings = poolSettingsFromRequest({});
      assert.equal(temporaryPasswordExpired(settings, await stored(poolId, 'ivy'), server.clock.nowMs()), true);

      const res = await create(poolId, { Username: 'ivy', MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] });
      assert.equal(res.User?.Username, 'ivy');
      assert.equal(res.User?.UserStatus, 'FORCE_CHANGE_PASSWORD');
      assert.equal(res.User?.UserCreateDate?.getTime(), createdAt);
      assert.equal(res.User?.UserLastModifiedDate?.getTime(), server.clock.nowMs());
      const [message] = await messages(poolId);
      const fresh = payload(message?.payloadSealed ?? '').temporaryPassword;
      assert.notEqual(fresh, PASSWORD);
      const record = await stored(poolId, 'ivy');
      assert.ok(await server.app.deps.hasher.verify(record.passwordHash ?? '', fresh));
      assert.equal(record.passwordUpdatedAt, server.clock.nowMs());
      assert.equal(temporaryPasswordExpired(settings, record, server.clock.nowMs()), false);
    });

    it('RESEND refuses unknown users and users past their first sign-in', async () => {
      const poolId = await createPool();
      await expectAwsError(() => create(poolId, { Username: 'nobody', MessageAction: 'RESEND' }), 'UserNotFoundException', 'User does not exist.');
      await create(poolId, { Username: 'jack', MessageAction: 'SUPPRESS' });
      await server.client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'jack', Password: PASSWORD, Permanent: true }));
      const sub = (await stored(poolId, 'jack')).sub;
      await expectAwsError(
        () => create(poolId, { Username: 'jack', MessageAction: 'RESEND' }),
        'UnsupportedUserStateException',
        `Resend not possible. ${sub} status is not FORCE_CHANGE_PASSWORD`,
      );
    });
  });

  describe('pools with email or phone as username', () => {
    it('stores the sub as username and the email given as attribute', async () => {
      const poolId = await createPool({ UsernameAttributes: ['email'] });
      const res = await create(poolId, { Username: 'Kim@Example.com', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' });
      const sub = res.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
      assert.match(sub ?? '', UUID);
      assert.equal(res.User?.Username, sub);
      assert.deepEqual(res.User?.Attributes?.find((a) => a.Name === 'email'), { Name: 'email', Value: 'Kim@Example.com' });
      const byEmail = await get(poolId, 'Kim@Example.com');
      assert.equal(byEmail.Username, sub);
      const bySub = await get(poolId, sub ?? '');
      assert.equal(bySub.Username, sub);
    });

    it('requires the username to be an email or phone number', async () => {
      const emailPool = await createPool({ UsernameAttributes: ['email'] });
      await expectAwsError(() => create(emailPool, { Username: 'plain', MessageAction: 'SUPPRESS' }), 'InvalidParameterException', 'Username should be an email.');
      const phonePool = await createPool({ UsernameAttributes: ['phone_number'] });
      await expectAwsError(
        () => create(phonePool, { Username: 'a@b.example', MessageAction: 'SUPPRESS' }),
        'InvalidParameterException',
        'Username should be a phone number.',
      );
      const phone = await create(phonePool, { Username: '+15555550123', MessageAction: 'SUPPRESS' });
      assert.deepEqual(phone.User?.Attributes?.find((a) => a.Name === 'phone_number'), { Name: 'phone_number', Value: '+15555550123' });
      const both = await createPool({ UsernameAttributes: ['email', 'phone_number'] });
      await expectAwsError(
        () => create(both, { Username: 'plain', MessageAction: 'SUPPRESS' }),
        'InvalidParameterException',
        'Username should be either an email or a phone number.',
      );
    });

    it('refuses a second account with the same email', async () => {
      const poolId = await createPool({ UsernameAttributes: ['email'] });
      await create(poolId, { Username: 'lee@example.com', MessageAction: 'SUPPRESS' });
      await expectAwsError(
        () => create(poolId, { Username: 'lee@example.com', MessageAction: 'SUPPRESS' }),
        'UsernameExistsException',
        'An account with the given email already exists.',
      );
    });

    it('RESEND finds the user by email', async () => {
      const poolId = await createPool({ UsernameAttributes: ['email'] });
      const created = await create(poolId, { Username: 'mo@example.com', MessageAction: 'SUPPRESS' });
      const res = await create(poolId, { Username: 'mo@example.com', MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] });
      assert.equal(res.User?.Username, created.User?.Username);
      const [message] = await messages(poolId);
      assert.equal(message?.destination, 'mo@example.com');
    });
  });

  describe('pools with aliases', () => {
    const verifiedEmail = (email: string) => [
      { Name: 'email', Value: email },
      { Name: 'email_verified', Value: 'true' },
    ];

    it('refuses an email-shaped username', async () => {
      const poolId = await createPool({ AliasAttributes: ['email'] });
      await expectAwsError(
        () => create(poolId, { Username: 'nia@example.com', MessageAction: 'SUPPRESS' }),
        'InvalidParameterException',
        'Username cannot be of email format, since user pool is configured for email alias.',
      );
    });

    it('finds users by verified email alias and by sub, not by an unverified email', async () => {
      const poolId = await createPool({ AliasAttributes: ['email', 'preferred_username'] });
      const res = await create(poolId, { Username: 'olga', MessageAction: 'SUPPRESS', UserAttributes: verifiedEmail('olga@example.com') });
      await create(poolId, { Username: 'pat', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'pat@example.com' }] });
      assert.equal((await get(poolId, 'olga@example.com')).Username, 'olga');
      const sub = res.User?.Attributes?.find((a) => a.Name === 'sub')?.Value ?? '';
      assert.equal((await get(poolId, sub)).Username, 'olga');
      await expectAwsError(() => get(poolId, 'pat@example.com'), 'UserNotFoundException', 'User does not exist.');
    });

    it('refuses a verified email another user holds, unless ForceAliasCreation moves it', async () => {
      const poolId = await createPool({ AliasAttributes: ['email'] });
      await create(poolId, { Username: 'quinn', MessageAction: 'SUPPRESS', UserAttributes: verifiedEmail('shared@example.com') });
      await expectAwsError(
        () => create(poolId, { Username: 'rory', MessageAction: 'SUPPRESS', UserAttributes: verifiedEmail('shared@example.com') }),
        'AliasExistsException',
        'An account with the email already exists.',
      );
      await create(poolId, { Username: 'rory', MessageAction: 'SUPPRESS', ForceAliasCreation: true, UserAttributes: verifiedEmail('shared@example.com') });
      assert.equal((await get(poolId, 'shared@example.com')).Username, 'rory');
      const quinn = await get(poolId, 'quinn');
      assert.deepEqual(quinn.UserAttributes?.find((a) => a.Name === 'email_verified'), { Name: 'email_verified', Value: 'false' });
    });
  });

  describe('case-insensitive pools', () => {
    it('keep the username as given and find it in any case', async () => {
      const poolId = await createPool({ UsernameConfiguration: { CaseSensitive: false }, AliasAttributes: ['email'] });
      await create(poolId, { Username: 'Sam', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'Sam@Example.com' }, { Name: 'email_verified', Value: 'true' }] });
      assert.equal((await get(poolId, 'SAM')).Username, 'Sam');
      assert.equal((await get(poolId, 'sam@example.COM')).Username, 'Sam');
      await expectAwsError(() => create(poolId, { Username: 'sAM', MessageAction: 'SUPPRESS' }), 'UsernameExistsException', 'User account already exists');
    });

    it('are case-sensitive by default', async () => {
      const poolId = await createPool();
      await create(poolId, { Username: 'Tess', MessageAction: 'SUPPRESS' });
      await expectAwsError(() => get(poolId, 'tess'), 'UserNotFoundException', 'User does not exist.');
      await create(poolId, { Username: 'tess', MessageAction: 'SUPPRESS' });
    });
  });

  describe('AdminGetUser', () => {
    it('reports the user without MFA members', async () => {
      const poolId = await createPool();
      await create(poolId, { Username: 'uma', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'given_name', Value: 'Uma' }] });
      const res = await get(poolId, 'uma');
      assert.equal(res.Username, 'uma');
      assert.equal(res.UserStatus, 'FORCE_CHANGE_PASSWORD');
      assert.equal(res.Enabled, true);
      assert.equal(res.UserCreateDate?.getTime(), server.clock.nowMs());
      assert.equal(res.UserLastModifiedDate?.getTime(), server.clock.nowMs());
      assert.deepEqual(res.UserAttributes?.map((a) => a.Name), ['sub', 'given_name']);
      assert.equal(res.MFAOptions, undefined);
      assert.equal(res.PreferredMfaSetting, undefined);
      assert.equal(res.UserMFASettingList, undefined);
    });

    it('answers unknown pools and users', async () => {
      await expectAwsError(() => get('us-east-1_nope', 'x'), 'ResourceNotFoundException', 'User pool us-east-1_nope does not exist.');
      const poolId = await createPool();
      await expectAwsError(() => get(poolId, 'x'), 'UserNotFoundException', 'User does not exist.');
    });
  });

  describe('AdminDeleteUser, AdminDisableUser, AdminEnableUser', () => {
    it('deletes a user, freeing the username', async () => {
      const poolId = await createPool();
      await create(poolId, { Username: 'vic', MessageAction: 'SUPPRESS' });
      await server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'vic' }));
      await expectAwsError(() => get(poolId, 'vic'), 'UserNotFoundException', 'User does not exist.');
      await expectAwsError(
        () => server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'vic' })),
        'UserNotFoundException',
        'User does not exist.',
      );
      await create(poolId, { Username: 'vic', MessageAction: 'SUPPRESS' });
    });

    it('disables (revoking refresh tokens) and enables again', async () => {
      const poolId = await createPool();
      await create(poolId, { Username: 'wes', MessageAction: 'SUPPRESS' });
      const user = await stored(poolId, 'wes');
      const now = server.clock.nowMs();
      await server.app.deps.store.insertRefreshToken({
        tokenHash: 'hash-wes',
        poolId,
        clientId: 'client',
        userSub: user.sub,
        originJti: 'jti',
        authTime: now,
        createdAt: now,
        expiresAt: now + DAY,
        revokedAt: null,
      });
      server.clock.advance(1000);
      await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'wes' }));
      const disabled = await get(poolId, 'wes');
      assert.equal(disabled.Enabled, false);
      assert.equal(disabled.UserLastModifiedDate?.getTime(), server.clock.nowMs());
      assert.equal((await server.app.deps.store.getRefreshToken('hash-wes'))?.revokedAt, server.clock.nowMs());
      await server.client.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'wes' }));
      assert.equal((await get(poolId, 'wes')).Enabled, true);
      assert.notEqual((await server.app.deps.store.getRefreshToken('hash-wes'))?.revokedAt, null);
      for (const Command of [AdminDisableUserCommand, AdminEnableUserCommand]) {
        await expectAwsError(() => server.client.send(new Command({ UserPoolId: poolId, Username: 'ghost' })), 'UserNotFoundException', 'User does not exist.');
      }
    });
  });

  describe('AdminSetUserPassword', () => {
    const setPassword = (poolId: string, username: string, password: string, permanent?: boolean) =>
      server.client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: permanent }));

    it('sets a permanent password: CONFIRMED', async () => {
      const poolId = await createPool();
      await create(poolId, { Username: 'xena', MessageAction: 'SUPPRESS' });
      server.clock.advance(5000);
      await setPassword(poolId, 'xena', 'N3w-Password!', true);
      const user = await stored(poolId, 'xena');
      assert.equal(user.status, 'CONFIRMED');
      assert.equal(user.passwordUpdatedAt, server.clock.nowMs());
      assert.ok(await server.app.deps.hasher.verify(user.passwordHash ?? '', 'N3w-Password!'));
    });

    it('sets a temporary password: FORCE_CHANGE_PASSWORD with a fresh validity period', async () => {
      const poolId = await createPool({ Policies: { PasswordPolicy: { TemporaryPasswordValidityDays: 2 } } });
      await create(poolId, { Username: 'yuri', MessageAction: 'SUPPRESS' });
      await setPassword(poolId, 'yuri', 'N3w-Password!', true);
      server.clock.advance(10 * DAY);
      await setPassword(poolId, 'yuri', 'Tmp-Password1!', false);
      const user = await stored(poolId, 'yuri');
      assert.equal(user.status, 'FORCE_CHANGE_PASSWORD');
      const settings = poolSettingsFromRequest({ Policies: { PasswordPolicy: { TemporaryPasswordValidityDays: 2 } } });
      assert.equal(temporaryPasswordExpired(settings, user, server.clock.nowMs() + 2 * DAY), false);
      assert.equal(temporaryPasswordExpired(settings, user, server.clock.nowMs() + 2 * DAY + 1), true);
    });

    it('confirms a RESET_REQUIRED user and deletes the pending reset code', async () => {
      const poolId = await createPool();
      await create(poolId, { Username: 'zoe', MessageAction: 'SUPPRESS' });
      const user = await stored(poolId, 'zoe');
      const now = server.clock.nowMs();
      await server.app.deps.store.updateUser({ ...user, status: 'RESET_REQUIRED', passwordHash: null });
      await server.app.deps.store.putCode({ userSub: user.sub, purpose: 'reset_password', poolId, codeHash: 'h', expiresAt: now + DAY, createdAt: now });
      await setPassword(poolId, 'zoe', 'N3w-Password!', true);
      assert.equal((await stored(poolId, 'zoe')).status, 'CONFIRMED');
      assert.equal(await server.app.deps.store.getCode(user.sub, 'reset_password'), undefined);
    });

    it('checks the policy, the pool and the user', async () => {
      const poolId = await createPool();
      await create(poolId, { Username: 'abe', MessageAction: 'SUPPRESS' });
      await expectAwsError(() => setPassword(poolId, 'abe', 'nouppercase1!', true), 'InvalidPasswordException', 'Password did not conform with policy: Password must have uppercase characters');
      await expectAwsError(() => setPassword(poolId, 'abe', 'NoNumbers!!', true), 'InvalidPasswordException', 'Password did not conform with policy: Password must have numeric characters');
      await expectAwsError(() => setPassword(poolId, 'ghost', 'N3w-Password!', true), 'UserNotFoundException', 'User does not exist.');
      await expectAwsError(() => setPassword('us-east-1_nope', 'abe', 'N3w-Password!', true), 'ResourceNotFoundException', 'User pool us-east-1_nope does not exist.');
      assert.equal((await stored(poolId, 'abe')).status, 'FORCE_CHANGE_PASSWORD');
    });
  });
});

describe('temporary passwords', () => {
  it('are generated to meet strict policies', () => {
    const settings = poolSettingsFromRequest({ Policies: { PasswordPolicy: { MinimumLength: 30 } } });
    for (let i = 0; i < 50; i++) {
      const password = generateTemporaryPassword(settings, cryptoRandom);
      assert.equal(password.length, 30);
      assert.doesNotThrow(() => assertPasswordMeetsPolicy(settings, password));
    }
    assert.equal(generateTemporaryPassword(poolSettingsFromRequest({}), cryptoRandom).length, 12);
  });

  it('expire after the pool validity, counted from the last time one was set', () => {
    const settings = poolSettingsFromRequest({});
    const user = { status: 'FORCE_CHANGE_PASSWORD', createdAt: 0, passwordUpdatedAt: 1000 } as UserRecord;
    assert.equal(temporaryPasswordExpired(settings, user, 1000 + 7 * DAY), false);
    assert.equal(temporaryPasswordExpired(settings, user, 1001 + 7 * DAY), true);
    assert.equal(temporaryPasswordExpired(settings, { ...user, status: 'CONFIRMED' }, 1001 + 7 * DAY), false);
  });
});
