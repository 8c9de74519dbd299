import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  type AttributeType,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { latestCode, messagesFor } from './support/outbox.js';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';
const NEW_PASSWORD = 'Battery-Staple-2';

// Every story runs on both stores; PostgreSQL skips with a reason when it is not running.
for (const dialect of E2E_DIALECTS) describe(`AdminResetUserPassword and the forgot-password flow (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ dialect });
  });
  after(() => server.close());

  async function pool(settings: Partial<CreateUserPoolCommandInput> = {}) {
    const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'reset', ...settings }));
    const poolId = created.UserPool?.Id as string;
    const client = await server.client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    return { poolId, clientId: client.UserPoolClient?.ClientId as string };
  }

  async function confirmedUser(poolId: string, username: string, attributes: AttributeType[] = verifiedEmail(username)) {
    await server.client.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, UserAttributes: attributes, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp-Pass-1' }),
    );
    await server.client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  }

  const verifiedEmail = (username: string): AttributeType[] => [
    { Name: 'email', Value: `${username}@example.com` },
    { Name: 'email_verified', Value: 'true' },
  ];

  const signIn = (clientId: string, username: string, password: string) =>
    server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));

  const status = async (poolId: string, username: string) =>
    (await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;

  it('tells the whole story: reset, refused sign-in, code, confirm, new password only', async () => {
    const { poolId, clientId } = await pool();
    await confirmedUser(poolId, 'alice');
    const first = await signIn(clientId, 'alice', PASSWORD);
    const oldRefresh = first.AuthenticationResult?.RefreshToken as string;
    assert.ok(oldRefresh);

    const reset = await server.client.send(
      new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice', ClientMetadata: { campaign: 'spring', locale: 'fr' } }),
    );
    assert.equal(reset.$metadata.httpStatusCode, 200);
    assert.equal(await status(poolId, 'alice'), 'RESET_REQUIRED');
    await expectAwsError(() => signIn(clientId, 'alice', PASSWORD), 'PasswordResetRequiredException', 'Password reset required for the user');

    const [message] = await messagesFor(server, poolId, 'alice');
    assert.ok(message);
    assert.equal(message.trigger, 'ForgotPassword');
    assert.equal(message.channel, 'EMAIL');
    assert.equal(message.destination, 'alice@example.com');
    assert.equal(message.state, 'pending');
    assert.match(message.payload.code ?? '', /^\d{6}$/);
    assert.deepEqual(message.payload.clientMetadata, { campaign: 'spring', locale: 'fr' });
    const code = message.payload.code as string;
    const wrong = code === '000000' ? '111111' : '000000';

    const confirm = (confirmationCode: string, password = NEW_PASSWORD) =>
      server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'alice', ConfirmationCode: confirmationCode, Password: password }));
    await expectAwsError(() => confirm(wrong), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    await expectAwsError(() => confirm(code, 'short'), 'InvalidPasswordException', 'Password did not conform with policy: Password not long enough');
    assert.equal(await status(poolId, 'alice'), 'RESET_REQUIRED');

    await confirm(code);
    assert.equal(await status(poolId, 'alice'), 'CONFIRMED');
    await expectAwsError(() => confirm(code), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');

    await expectAwsError(
      () => server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: oldRefresh } })),
      'NotAuthorizedException',
    );
    const again = await signIn(clientId, 'alice', NEW_PASSWORD);
    assert.ok(again.AuthenticationResult?.AccessToken);
    await expectAwsError(() => signIn(clientId, 'alice', PASSWORD), 'NotAuthorizedException', 'Incorrect username or password.');
  });

  it('expires a code after an hour (pinned clock)', async () => {
    const { poolId, clientId } = await pool();
    await confirmedUser(poolId, 'bob');
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'bob' }));
    const code = await latestCode(server, poolId, 'bob');
    server.clock.advance(3600_000 + 1000);
    await expectAwsError(
      () => server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'bob', ConfirmationCode: code, Password: NEW_PASSWORD })),
      'ExpiredCodeException',
      'Invalid code provided, please request a code again.',
    );
    // A new code from ForgotPassword completes the reset.
    const forgot = await server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'bob' }));
    assert.deepEqual(forgot.CodeDeliveryDetails, { Destination: 'b***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const fresh = await latestCode(server, poolId, 'bob');
    await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'bob', ConfirmationCode: fresh, Password: NEW_PASSWORD }));
    assert.equal(await status(poolId, 'bob'), 'CONFIRMED');
  });

  it('limits code attempts per user and hour, even for the right code, and lifts the limit after the hour', async () => {
    const { poolId, clientId } = await pool();
    await confirmedUser(poolId, 'carol');
    server.clock.set(Date.UTC(2026, 10, 2, 10, 30, 0));
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'carol' }));
    const code = await latestCode(server, poolId, 'carol');
    const wrong = code === '999999' ? '888888' : '999999';
    const confirm = (c: string) =>
      server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'carol', ConfirmationCode: c, Password: NEW_PASSWORD }));
    for (let i = 0; i < 5; i++) await expectAwsError(() => confirm(wrong), 'CodeMismatchException');
    await expectAwsError(() => confirm(code), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    await expectAwsError(() => confirm(code), 'LimitExceededException');
    server.clock.advance(20 * 60_000);
    await expectAwsError(() => confirm(code), 'LimitExceededException');
    server.clock.set(Date.UTC(2026, 10, 2, 11, 0, 1));
    await confirm(code);
    assert.equal(await status(poolId, 'carol'), 'CONFIRMED');
  });

  it('refuses as AWS does: unknown pool, unknown user, disabled, FORCE_CHANGE_PASSWORD, no verified contact', async () => {
    const { poolId } = await pool();
    await expectAwsError(
      () => server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: 'us-east-1_missing1', Username: 'x' })),
      'ResourceNotFoundException',
      'User pool us-east-1_missing1 does not exist.',
    );
    await expectAwsError(
      () => server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'nobody' })),
      'UserNotFoundException',
      'User does not exist.',
    );
    await confirmedUser(poolId, 'dave');
    await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'dave' }));
    await expectAwsError(
      () => server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'dave' })),
      'NotAuthorizedException',
      'User is disabled.',
    );
    await server.client.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'erin', UserAttributes: verifiedEmail('erin'), MessageAction: 'SUPPRESS' }),
    );
    await expectAwsError(
      () => server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'erin' })),
      'NotAuthorizedException',
      'User password cannot be reset in the current state.',
    );
    await confirmedUser(poolId, 'frank', [{ Name: 'email', Value: 'frank@example.com' }, { Name: 'email_verified', Value: 'false' }]);
    await expectAwsError(
      () => server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'frank' })),
      'InvalidParameterException',
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
    assert.equal(await status(poolId, 'frank'), 'CONFIRMED');
    assert.equal((await messagesFor(server, poolId, 'frank')).length, 0);
  });

  it('issues a fresh code on a second reset and invalidates the first', async () => {
    const { poolId, clientId } = await pool();
    await confirmedUser(poolId, 'gina');
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'gina' }));
    const first = await latestCode(server, poolId, 'gina');
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'gina' }));
    const messages = await messagesFor(server, poolId, 'gina');
    assert.equal(messages.length, 2);
    const second = messages[1]?.payload.code as string;
    if (first !== second) {
      await expectAwsError(
        () => server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'gina', ConfirmationCode: first, Password: NEW_PASSWORD })),
        'CodeMismatchException',
      );
    }
    await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'gina', ConfirmationCode: second, Password: NEW_PASSWORD }));
    assert.equal(await status(poolId, 'gina'), 'CONFIRMED');
  });

  it('sends by the channel AccountRecoverySetting picks, by priority', async () => {
    const { poolId } = await pool({
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_phone_number', Priority: 1 }, { Name: 'verified_email', Priority: 2 }] },
    });
    const both: AttributeType[] = [...verifiedEmail('hank'), { Name: 'phone_number', Value: '+15555550123' }, { Name: 'phone_number_verified', Value: 'true' }];
    await confirmedUser(poolId, 'hank', both);
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'hank' }));
    const [sms] = await messagesFor(server, poolId, 'hank');
    assert.equal(sms?.channel, 'SMS');
    assert.equal(sms?.destination, '+15555550123');

    const emailFirst = await pool({ AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }, { Name: 'verified_phone_number', Priority: 2 }] } });
    await confirmedUser(emailFirst.poolId, 'hank', both);
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: emailFirst.poolId, Username: 'hank' }));
    const [email] = await messagesFor(server, emailFirst.poolId, 'hank');
    assert.equal(email?.channel, 'EMAIL');

    // Without the setting: the legacy order, verified phone first.
    const legacy = await pool();
    await confirmedUser(legacy.poolId, 'hank', both);
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: legacy.poolId, Username: 'hank' }));
    assert.equal((await messagesFor(server, legacy.poolId, 'hank'))[0]?.channel, 'SMS');
  });

  it('admin_only pools: the administrator resets without a code; users cannot ask for one', async () => {
    const { poolId, clientId } = await pool({ AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] } });
    await confirmedUser(poolId, 'ivan');
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'ivan' }));
    assert.equal(await status(poolId, 'ivan'), 'RESET_REQUIRED');
    assert.equal((await messagesFor(server, poolId, 'ivan')).length, 0);
    await expectAwsError(() => server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'ivan' })), 'NotAuthorizedException');
  });

  it('ForgotPassword and ConfirmForgotPassword refuse unknown clients and users as AWS does', async () => {
    const { poolId, clientId } = await pool();
    await expectAwsError(
      () => server.client.send(new ForgotPasswordCommand({ ClientId: 'nosuchclient0000000000000', Username: 'x' })),
      'ResourceNotFoundException',
      'User pool client nosuchclient0000000000000 does not exist.',
    );
    await expectAwsError(
      () => server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'ghost' })),
      'UserNotFoundException',
      'Username/client id combination not found.',
    );
    await expectAwsError(
      () => server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'ghost', ConfirmationCode: '123456', Password: NEW_PASSWORD })),
      'UserNotFoundException',
      'Username/client id combination not found.',
    );
    await confirmedUser(poolId, 'judy');
    await expectAwsError(
      () => server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'judy', ConfirmationCode: '123456', Password: NEW_PASSWORD })),
      'ExpiredCodeException',
      'Invalid code provided, please request a code again.',
    );
    // ForgotPassword leaves the status and the current password alone.
    await server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'judy' }));
    assert.equal(await status(poolId, 'judy'), 'CONFIRMED');
    assert.ok((await signIn(clientId, 'judy', PASSWORD)).AuthenticationResult);
  });

  it('hides user existence when the client prevents user existence errors', async () => {
    const { poolId } = await pool();
    const hidden = await server.client.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'hidden', PreventUserExistenceErrors: 'ENABLED', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }),
    );
    const clientId = hidden.UserPoolClient?.ClientId as string;
    const answer = await server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'ghost@example.com' }));
    assert.deepEqual(answer.CodeDeliveryDetails, { Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    assert.equal((await server.app.deps.store.listMessages({ poolId, limit: 10 })).length, 0);
    await expectAwsError(
      () => server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'ghost@example.com', ConfirmationCode: '123456', Password: NEW_PASSWORD })),
      'CodeMismatchException',
      'Invalid verification code provided, please try again.',
    );
  });

  it('limits ForgotPassword code requests per user and hour', async () => {
    const { poolId, clientId } = await pool();
    await confirmedUser(poolId, 'kim');
    server.clock.set(Date.UTC(2026, 10, 3, 10, 0, 0));
    for (let i = 0; i < 5; i++) await server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'kim' }));
    await expectAwsError(
      () => server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'kim' })),
      'LimitExceededException',
      'Attempt limit exceeded, please try after some time.',
    );
    assert.equal((await messagesFor(server, poolId, 'kim')).length, 5);
  });

  it('two resets and a confirm racing on one user leave a consistent state', async () => {
    const { poolId, clientId } = await pool();
    await confirmedUser(poolId, 'leo');
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'leo' }));
    const code = await latestCode(server, poolId, 'leo');
    const results = await Promise.allSettled([
      server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'leo' })),
      server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'leo', ConfirmationCode: code, Password: NEW_PASSWORD })),
      server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'leo' })),
    ]);
    assert.equal(results[0].status, 'fulfilled');
    assert.equal(results[2].status, 'fulfilled');
    const final = await status(poolId, 'leo');
    const messages = await messagesFor(server, poolId, 'leo');
    assert.equal(messages.length, 3, 'every reset queued exactly one message');
    if (final === 'RESET_REQUIRED') {
      // Whatever the interleaving, the newest code is the one live code and completes the reset.
      const newest = messages[2]?.payload.code as string;
      await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'leo', ConfirmationCode: newest, Password: 'Third-Password-3' }));
      assert.ok((await signIn(clientId, 'leo', 'Third-Password-3')).AuthenticationResult);
    } else {
      assert.equal(final, 'CONFIRMED');
      assert.equal(results[1].status, 'fulfilled');
      assert.ok((await signIn(clientId, 'leo', NEW_PASSWORD)).AuthenticationResult);
    }
  });
});
