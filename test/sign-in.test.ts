import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';
const TEMP_PASSWORD = 'Temp-Pass-1!';
const NEW_PASSWORD = 'Battery-Staple-2';
const INCORRECT = 'Incorrect username or password.';
const SECOND = 1000;
const DAY = 86_400_000;

// Every story runs on both stores; PostgreSQL skips with a reason when it is not running.
for (const dialect of E2E_DIALECTS) describe(`password sign-in (InitiateAuth, AdminInitiateAuth, NEW_PASSWORD_REQUIRED) (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ dialect });
  });
  after(() => server.close());

  async function setup(options: { pool?: Partial<CreateUserPoolCommandInput>; client?: Partial<CreateUserPoolClientCommandInput> } = {}) {
    const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'sign-in', ...options.pool }));
    const poolId = created.UserPool?.Id as string;
    const client = await server.client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        ...options.client,
      }),
    );
    return { poolId, clientId: client.UserPoolClient?.ClientId as string, clientSecret: client.UserPoolClient?.ClientSecret };
  }

  async function invitedUser(poolId: string, username: string) {
    await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: TEMP_PASSWORD,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: `${username}@example.com` },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
  }

  async function confirmedUser(poolId: string, username: string) {
    await invitedUser(poolId, username);
    await server.client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  }

  const signIn = (clientId: string, username: string, password: string, extra: Record<string, string> = {}) =>
    server.client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password, ...extra } }),
    );

  it('signs a confirmed user in with tokens and an empty ChallengeParameters', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'alice');
    const res = await signIn(clientId, 'alice', PASSWORD);
    assert.equal(res.ChallengeName, undefined);
    assert.deepEqual(res.ChallengeParameters, {});
    assert.equal(res.AuthenticationResult?.TokenType, 'Bearer');
    assert.equal(res.AuthenticationResult?.ExpiresIn, 3600);
    assert.ok(res.AuthenticationResult?.IdToken);
    assert.ok(res.AuthenticationResult?.RefreshToken);
    const me = await server.client.send(new GetUserCommand({ AccessToken: res.AuthenticationResult?.AccessToken }));
    assert.equal(me.Username, 'alice');
  });

  it('signs in through AdminInitiateAuth with both server-side flow names', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'bob');
    for (const flow of ['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'] as const) {
      const res = await server.client.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: flow, AuthParameters: { USERNAME: 'bob', PASSWORD: PASSWORD } }),
      );
      assert.ok(res.AuthenticationResult?.AccessToken, flow);
    }
  });

  it('refuses flows the client does not allow', async () => {
    const { poolId, clientId } = await setup({ client: { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } });
    await confirmedUser(poolId, 'carol');
    await expectAwsError(() => signIn(clientId, 'carol', PASSWORD), 'InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client');
    await expectAwsError(
      () =>
        server.client.send(
          new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'carol', PASSWORD } }),
        ),
      'InvalidParameterException',
      'Auth flow not enabled for this client',
    );
    await expectAwsError(
      () => server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'carol' } })),
      'InvalidParameterException',
      'CUSTOM_AUTH flow not enabled for this client',
    );
  });

  it('answers an unknown client and missing parameters in AWS words', async () => {
    const { clientId } = await setup();
    await expectAwsError(() => signIn('nosuchclient0000000000000', 'x', PASSWORD), 'ResourceNotFoundException', 'User pool client nosuchclient0000000000000 does not exist.');
    await expectAwsError(
      () => server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { PASSWORD } })),
      'InvalidParameterException',
      'Missing required parameter USERNAME',
    );
    await expectAwsError(
      () => server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'x' } })),
      'InvalidParameterException',
      'Missing required parameter PASSWORD',
    );
  });

  it('requires the SECRET_HASH of a client with a secret', async () => {
    const { poolId, clientId, clientSecret } = await setup({ client: { GenerateSecret: true } });
    await confirmedUser(poolId, 'dave');
    const message = `Unable to verify secret hash for client ${clientId}`;
    await expectAwsError(() => signIn(clientId, 'dave', PASSWORD), 'NotAuthorizedException', message);
    await expectAwsError(() => signIn(clientId, 'dave', PASSWORD, { SECRET_HASH: 'AAAA' }), 'NotAuthorizedException', message);
    const hash = createHmac('sha256', clientSecret as string).update('dave' + clientId).digest('base64');
    const res = await signIn(clientId, 'dave', PASSWORD, { SECRET_HASH: hash });
    assert.ok(res.AuthenticationResult?.AccessToken);
  });

  it('answers an unknown user by the client’s PreventUserExistenceErrors', async () => {
    const legacy = await setup({ client: { PreventUserExistenceErrors: 'LEGACY' } });
    await expectAwsError(() => signIn(legacy.clientId, 'ghost', PASSWORD), 'UserNotFoundException', 'User does not exist.');
    const enabled = await setup({ client: { PreventUserExistenceErrors: 'ENABLED' } });
    await expectAwsError(() => signIn(enabled.clientId, 'ghost', PASSWORD), 'NotAuthorizedException', INCORRECT);
  });

  it('refuses a wrong password, a disabled user and an unconfirmed user, in that order', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'erin');
    await expectAwsError(() => signIn(clientId, 'erin', 'Wrong-Pass-1'), 'NotAuthorizedException', INCORRECT);
    await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'erin' }));
    await expectAwsError(() => signIn(clientId, 'erin', 'Wrong-Pass-1'), 'NotAuthorizedException', INCORRECT);
    await expectAwsError(() => signIn(clientId, 'erin', PASSWORD), 'NotAuthorizedException', 'User is disabled.');

    await confirmedUser(poolId, 'frank');
    const store = server.app.deps.store;
    const frank = await store.getUserByUsernameKey(poolId, 'frank');
    assert.ok(frank);
    await store.updateUser({ ...frank, status: 'UNCONFIRMED' });
    await expectAwsError(() => signIn(clientId, 'frank', 'Wrong-Pass-1'), 'NotAuthorizedException', INCORRECT);
    await expectAwsError(() => signIn(clientId, 'frank', PASSWORD), 'UserNotConfirmedException', 'User is not confirmed.');
  });

  it('refuses a user in RESET_REQUIRED with PasswordResetRequiredException, whatever the password', async () => {
    const { poolId, clientId } = await setup({ client: { PreventUserExistenceErrors: 'ENABLED' } });
    await confirmedUser(poolId, 'gina');
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'gina' }));
    for (const password of [PASSWORD, 'Wrong-Pass-1']) {
      await expectAwsError(() => signIn(clientId, 'gina', password), 'PasswordResetRequiredException', 'Password reset required for the user');
    }
  });

  it('challenges a user with a temporary password, then confirms them with the new one', async () => {
    const { poolId, clientId } = await setup();
    await invitedUser(poolId, 'hank');
    const res = await signIn(clientId, 'hank', TEMP_PASSWORD);
    assert.equal(res.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.equal(res.AuthenticationResult, undefined);
    assert.ok(res.Session && res.Session.length >= 20);
    assert.equal(res.ChallengeParameters?.USER_ID_FOR_SRP, 'hank');
    assert.equal(res.ChallengeParameters?.requiredAttributes, '[]');
    assert.deepEqual(JSON.parse(res.ChallengeParameters?.userAttributes ?? ''), { email: 'hank@example.com', email_verified: 'true' });

    await expectAwsError(
      () =>
        server.client.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: res.Session,
            ChallengeResponses: { USERNAME: 'hank', NEW_PASSWORD: 'short' },
          }),
        ),
      'InvalidPasswordException',
      'Password did not conform with policy: Password not long enough',
    );
    const done = await server.client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: res.Session,
        ChallengeResponses: { USERNAME: 'hank', NEW_PASSWORD, 'userAttributes.name': 'Hank' },
      }),
    );
    assert.ok(done.AuthenticationResult?.AccessToken);
    assert.ok(done.AuthenticationResult?.RefreshToken);
    const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'hank' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
    assert.equal(user.UserAttributes?.find((a) => a.Name === 'name')?.Value, 'Hank');
    assert.ok((await signIn(clientId, 'hank', NEW_PASSWORD)).AuthenticationResult);
    await expectAwsError(() => signIn(clientId, 'hank', TEMP_PASSWORD), 'NotAuthorizedException', INCORRECT);
  });

  it('lists missing required attributes and insists on them', async () => {
    const { poolId, clientId } = await setup({ pool: { Schema: [{ Name: 'name', Required: true, Mutable: true, AttributeDataType: 'String' }] } });
    const store = server.app.deps.store;
    await invitedUserWithout(poolId, 'ivy');
    const res = await server.client.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ivy', PASSWORD: TEMP_PASSWORD } }),
    );
    assert.equal(res.ChallengeParameters?.requiredAttributes, '["userAttributes.name"]');
    const answer = (responses: Record<string, string>) =>
      server.client.send(
        new AdminRespondToAuthChallengeCommand({ UserPoolId: poolId, ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: res.Session, ChallengeResponses: responses }),
      );
    await expectAwsError(() => answer({ USERNAME: 'ivy', NEW_PASSWORD }), 'InvalidParameterException', /name: The attribute is required/);
    assert.equal((await store.getUserByUsernameKey(poolId, 'ivy'))?.status, 'FORCE_CHANGE_PASSWORD');
    const done = await answer({ USERNAME: 'ivy', NEW_PASSWORD, 'userAttributes.name': 'Ivy' });
    assert.ok(done.AuthenticationResult?.IdToken);

    async function invitedUserWithout(pool: string, username: string) {
      // AdminCreateUser requires required attributes, so the user is seeded with `name` and loses it.
      await server.client.send(
        new AdminCreateUserCommand({
          UserPoolId: pool,
          Username: username,
          TemporaryPassword: TEMP_PASSWORD,
          MessageAction: 'SUPPRESS',
          UserAttributes: [{ Name: 'name', Value: 'placeholder' }],
        }),
      );
      const user = await store.getUserByUsernameKey(pool, username);
      assert.ok(user);
      const { name: _name, ...attributes } = user.attributes;
      await store.updateUser({ ...user, attributes });
    }
  });

  it('refuses attributes the client may not write', async () => {
    const { poolId, clientId } = await setup({ client: { WriteAttributes: ['email'] } });
    await invitedUser(poolId, 'jack');
    const res = await signIn(clientId, 'jack', TEMP_PASSWORD);
    await expectAwsError(
      () =>
        server.client.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: res.Session,
            ChallengeResponses: { USERNAME: 'jack', NEW_PASSWORD, 'userAttributes.name': 'Jack' },
          }),
        ),
      'NotAuthorizedException',
      'A client attempted to write unauthorized attribute',
    );
  });

  it('refuses a tampered, foreign or expired session', async () => {
    const { poolId, clientId } = await setup();
    const other = await setup();
    await invitedUser(poolId, 'kate');
    const res = await signIn(clientId, 'kate', TEMP_PASSWORD);
    const session = res.Session as string;
    const answer = (client: string, s: string) =>
      server.client.send(
        new RespondToAuthChallengeCommand({ ClientId: client, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: s, ChallengeResponses: { USERNAME: 'kate', NEW_PASSWORD } }),
      );
    const expired = 'Invalid session for the user, session is expired.';
    const flipped = session.slice(0, -3) + (session.at(-3) === 'A' ? 'B' : 'A') + session.slice(-2);
    await expectAwsError(() => answer(clientId, flipped), 'NotAuthorizedException', expired);
    await expectAwsError(() => answer(other.clientId, session), 'NotAuthorizedException', expired);
    server.clock.advance(3 * 60 * SECOND);
    await expectAwsError(() => answer(clientId, session), 'NotAuthorizedException', expired);
  });

  it('ends a session when the administrator rotates the temporary password that opened it', async () => {
    const { poolId, clientId } = await setup();
    await invitedUser(poolId, 'lena');
    const session = (await signIn(clientId, 'lena', TEMP_PASSWORD)).Session as string;
    server.clock.advance(SECOND);
    await server.client.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'lena', MessageAction: 'RESEND', TemporaryPassword: 'Rotated-Temp-2!' }),
    );
    await expectAwsError(
      () =>
        server.client.send(
          new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: session, ChallengeResponses: { USERNAME: 'lena', NEW_PASSWORD } }),
        ),
      'NotAuthorizedException',
      'Invalid session for the user, session is expired.',
    );
  });

  it('refuses an expired temporary password', async () => {
    const { poolId, clientId } = await setup({ pool: { Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 2 } } } });
    await invitedUser(poolId, 'liam');
    server.clock.advance(2 * DAY - SECOND);
    assert.equal((await signIn(clientId, 'liam', TEMP_PASSWORD)).ChallengeName, 'NEW_PASSWORD_REQUIRED');
    server.clock.advance(2 * SECOND);
    await expectAwsError(() => signIn(clientId, 'liam', TEMP_PASSWORD), 'NotAuthorizedException', 'User account has expired, it must be reset by an administrator.');
  });

  it('locks sign-in after five wrong passwords, with a back-off that doubles and then expires', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'mia');
    for (let i = 0; i < 5; i++) await expectAwsError(() => signIn(clientId, 'mia', 'Wrong-Pass-1'), 'NotAuthorizedException', INCORRECT);
    // Locked for 1 s: even the right password is refused unchecked.
    await expectAwsError(() => signIn(clientId, 'mia', PASSWORD), 'NotAuthorizedException', 'Password attempts exceeded');
    server.clock.advance(SECOND);
    await expectAwsError(() => signIn(clientId, 'mia', 'Wrong-Pass-1'), 'NotAuthorizedException', INCORRECT);
    // The sixth failure locks for 2 s.
    server.clock.advance(SECOND);
    await expectAwsError(() => signIn(clientId, 'mia', PASSWORD), 'NotAuthorizedException', 'Password attempts exceeded');
    server.clock.advance(SECOND);
    assert.ok((await signIn(clientId, 'mia', PASSWORD)).AuthenticationResult);
    // Success forgets the streak.
    await expectAwsError(() => signIn(clientId, 'mia', 'Wrong-Pass-1'), 'NotAuthorizedException', INCORRECT);
    assert.ok((await signIn(clientId, 'mia', PASSWORD)).AuthenticationResult);
  });

  it('checks at most five passwords when thirty guesses arrive at once', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'noah');
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => signIn(clientId, 'noah', 'Wrong-Pass-1')));
    const messages = results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'signed in'));
    assert.equal(messages.filter((m) => m === INCORRECT).length, 5, messages.join(' | '));
    assert.equal(messages.filter((m) => m === 'Password attempts exceeded').length, 25);
  });

  it('signs in all of 64 parallel attempts with the right password, then still stops guesses at five', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'ruth');
    const right = await Promise.allSettled(Array.from({ length: 64 }, () => signIn(clientId, 'ruth', PASSWORD)));
    const refused = right.filter((r) => r.status === 'rejected').map((r) => (r.reason as Error).message);
    assert.deepEqual(refused, []);
    // The streak the 64 attempts held while in flight is gone: guesses still stop at five.
    const guesses = await Promise.allSettled(Array.from({ length: 12 }, () => signIn(clientId, 'ruth', 'Wrong-Pass-1')));
    const messages = guesses.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'signed in'));
    assert.equal(messages.filter((m) => m === INCORRECT).length, 5, messages.join(' | '));
  });

  it('forgets failures after 15 quiet minutes, and counts unknown names alike', async () => {
    const { clientId } = await setup({ client: { PreventUserExistenceErrors: 'ENABLED' } });
    for (let i = 0; i < 5; i++) await expectAwsError(() => signIn(clientId, 'nobody', 'Wrong-Pass-1'), 'NotAuthorizedException', INCORRECT);
    await expectAwsError(() => signIn(clientId, 'nobody', 'Wrong-Pass-1'), 'NotAuthorizedException', 'Password attempts exceeded');
    server.clock.advance(15 * 60 * SECOND);
    for (let i = 0; i < 5; i++) await expectAwsError(() => signIn(clientId, 'nobody', 'Wrong-Pass-1'), 'NotAuthorizedException', INCORRECT);
    await expectAwsError(() => signIn(clientId, 'nobody', 'Wrong-Pass-1'), 'NotAuthorizedException', 'Password attempts exceeded');
  });
});
