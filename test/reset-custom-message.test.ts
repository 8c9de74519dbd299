import {
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser } from './support/fixtures.js';
import { startFunctionEndpoint, writeTriggersFile, type FunctionEndpoint } from './support/lambda-http.js';
import { messagesFor } from './support/outbox.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const SHAPING_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:shape-reset-message';
const FAILING_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:broken-message';

describe('AdminResetUserPassword with a CustomMessage trigger', () => {
  let server: TestServer;
  let shaping: FunctionEndpoint;
  let failing: FunctionEndpoint;

  before(async () => {
    shaping = await startFunctionEndpoint((event) => {
      const locale = event.request.clientMetadata?.locale ?? 'en';
      event.response.emailSubject = `[${locale}] Reset your password`;
      event.response.emailMessage = `<p>Hello ${event.userName}, your ${locale} code is ${event.request.codeParameter}</p>`;
      event.response.smsMessage = `Code ${event.request.codeParameter}`;
      return event;
    });
    failing = await startFunctionEndpoint(() => {
      throw new Error('Pending for approval');
    });
    const triggersFile = writeTriggersFile({ [SHAPING_ARN]: { url: shaping.url }, [FAILING_ARN]: { url: failing.url } });
    server = await startServer({ config: { triggersFile } });
  });
  after(async () => {
    await server.close();
    await shaping.close();
    await failing.close();
  });

  async function poolWithUser(functionArn: string, username: string) {
    const created = await server.client.send(
      new CreateUserPoolCommand({
        PoolName: 'custom-message',
        LambdaConfig: { CustomMessage: functionArn },
        EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: 'Support <support@example.com>', SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/support@example.com' },
      }),
    );
    const poolId = created.UserPool?.Id as string;
    await createConfirmedUser(server.client, poolId, username, { password: 'First-Password-1' });
    return poolId;
  }

  it('passes ClientMetadata to the function and queues the text it returns', async () => {
    const poolId = await poolWithUser(SHAPING_ARN, 'mona');
    const before = shaping.events.length;
    await server.client.send(
      new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'mona', ClientMetadata: { locale: 'de', ticket: 'T-42' } }),
    );
    const event = shaping.events[before];
    assert.ok(event, 'the function was invoked');
    assert.equal(event.version, '1');
    assert.equal(event.triggerSource, 'CustomMessage_ForgotPassword');
    assert.equal(event.region, 'us-east-1');
    assert.equal(event.userPoolId, poolId);
    assert.equal(event.userName, 'mona');
    assert.equal(event.callerContext.clientId, 'CLIENT_ID_NOT_APPLICABLE');
    assert.deepEqual(event.request.clientMetadata, { locale: 'de', ticket: 'T-42' });
    assert.equal(event.request.codeParameter, '{####}');
    assert.equal(event.request.usernameParameter, null);
    assert.equal(event.request.userAttributes.email, 'mona@example.com');
    assert.equal(event.request.userAttributes.email_verified, 'true');
    assert.equal(event.request.userAttributes['cognito:user_status'], 'CONFIRMED');
    assert.match(event.request.userAttributes.sub ?? '', /^[0-9a-f-]{36}$/);

    const [message] = await messagesFor(server, poolId, 'mona');
    assert.equal(message?.payload.subject, '[de] Reset your password');
    assert.equal(message?.payload.body, '<p>Hello mona, your de code is {####}</p>');
    assert.equal(message?.payload.from, 'Support <support@example.com>');
    assert.match(message?.payload.code ?? '', /^\d{6}$/);
  });

  it('sends the public flow the app client id and the metadata too', async () => {
    const poolId = await poolWithUser(SHAPING_ARN, 'nora');
    const client = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }));
    const clientId = client.UserPoolClient?.ClientId as string;
    const before = shaping.events.length;
    await server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'nora', ClientMetadata: { locale: 'it' } }));
    const event = shaping.events[before];
    assert.equal(event?.triggerSource, 'CustomMessage_ForgotPassword');
    assert.equal(event?.callerContext.clientId, clientId);
    assert.deepEqual(event?.request.clientMetadata, { locale: 'it' });
    const [message] = await messagesFor(server, poolId, 'nora');
    assert.equal(message?.payload.subject, '[it] Reset your password');
    // The code in the message completes the reset.
    await server.client.send(
      new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'nora', ConfirmationCode: message?.payload.code as string, Password: 'Second-Password-2' }),
    );
  });

  it('fails the reset with AWS error when the function fails, and commits nothing', async () => {
    const poolId = await poolWithUser(FAILING_ARN, 'olga');
    await expectAwsError(
      () => server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'olga', ClientMetadata: { a: 'b' } })),
      'UserLambdaValidationException',
      'CustomMessage failed with error Pending for approval.',
    );
    assert.equal(failing.events.length > 0, true);
    const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'olga' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
    assert.equal((await messagesFor(server, poolId, 'olga')).length, 0);
  });
});
