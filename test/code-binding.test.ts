import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  SignUpCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { latestCode } from './support/outbox.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';

// A code proves the address it was sent to. When an administrator changes that address, the
// code must stop proving anything: otherwise an address nobody proved becomes a verified
// sign-in alias and recovery channel.
describe('codes are bound to the address they were sent to', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  async function pool() {
    const created = await server.client.send(
      new CreateUserPoolCommand({ PoolName: 'binding', AutoVerifiedAttributes: ['email'], AliasAttributes: ['email'] }),
    );
    const poolId = created.UserPool?.Id as string;
    const client = await server.client.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    return { poolId, clientId: client.UserPoolClient?.ClientId as string };
  }
  const emailOf = async (poolId: string, username: string) => {
    const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    const attr = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
    return { email: attr('email'), verified: attr('email_verified'), status: user.UserStatus };
  };

  it('a sign-up code does not verify an address the administrator set afterwards', async () => {
    const { poolId, clientId } = await pool();
    await server.client.send(
      new SignUpCommand({ ClientId: clientId, Username: 'bob', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'bob@old.example' }] }),
    );
    const code = await latestCode(server, poolId, 'bob');
    await server.client.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'bob', UserAttributes: [{ Name: 'email', Value: 'victim@new.example' }] }),
    );
    await expectAwsError(
      () => server.client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'bob', ConfirmationCode: code })),
      'CodeMismatchException',
      'Invalid verification code provided, please try again.',
    );
    assert.deepEqual(await emailOf(poolId, 'bob'), { email: 'victim@new.example', verified: 'false', status: 'UNCONFIRMED' });
  });

  it('an attribute code does not verify an address the administrator set afterwards', async () => {
    const { poolId, clientId } = await pool();
    await server.client.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'carl', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'carl@old.example' }] }),
    );
    await server.client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'carl', Password: PASSWORD, Permanent: true }));
    const signedIn = await server.client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'carl', PASSWORD } }),
    );
    const accessToken = signedIn.AuthenticationResult?.AccessToken as string;
    await server.client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'email' }));
    const code = await latestCode(server, poolId, 'carl');
    await server.client.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'carl', UserAttributes: [{ Name: 'email', Value: 'victim@new.example' }] }),
    );
    await expectAwsError(
      () => server.client.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: code })),
      'CodeMismatchException',
    );
    assert.equal((await emailOf(poolId, 'carl')).verified, 'false');
    await expectAwsError(() => server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'victim@new.example' })), 'UserNotFoundException');
  });

  it('a reset code stops working when the recovery address changes, and the new address gets a working one', async () => {
    const { poolId, clientId } = await pool();
    await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'dora',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: 'dora@old.example' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await server.client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'dora', Password: PASSWORD, Permanent: true }));
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'dora' }));
    const oldCode = await latestCode(server, poolId, 'dora');
    await server.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: 'dora',
        UserAttributes: [
          { Name: 'email', Value: 'dora@new.example' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    const confirm = (code: string) =>
      server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'dora', ConfirmationCode: code, Password: 'Second-Password-2' }));
    await expectAwsError(() => confirm(oldCode), 'CodeMismatchException');
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'dora' }));
    await confirm(await latestCode(server, poolId, 'dora'));
    assert.equal((await emailOf(poolId, 'dora')).status, 'CONFIRMED');
  });
});
