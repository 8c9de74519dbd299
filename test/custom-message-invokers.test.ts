import {
  AdminResetUserPasswordCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, verifiedEmail } from './support/fixtures.js';
import { startFunctionEndpoint, writeTriggersFile, type FunctionEndpoint } from './support/lambda-http.js';
import { startFakeLambda, type FakeLambda } from './support/lambda-invoke-fake.js';
import { messagesFor } from './support/outbox.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

// One CustomMessage function, reached through each kind of invoker: it words the message
// with the ClientMetadata that AdminResetUserPassword passes on.
const FIXTURE = resolve('test/fixtures/custom-message-fn.mjs');
const THROWING = resolve('test/fixtures/throwing-fn.mjs');
const arn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

async function brandFunction(event: { request: { clientMetadata?: Record<string, string>; codeParameter: string }; userName: string; response: Record<string, string | null> }) {
  const { handler } = (await import(FIXTURE)) as { handler: (e: unknown) => Promise<unknown> };
  return handler(event);
}

describe('the CustomMessage trigger through each invoker, from AdminResetUserPassword', () => {
  let server: TestServer;
  let http: FunctionEndpoint;
  let lambda: FakeLambda;

  before(async () => {
    http = await startFunctionEndpoint((event) => brandFunction(event as never));
    lambda = await startFakeLambda({ 'brand-api': (event) => brandFunction(event as never) });
    const triggersFile = writeTriggersFile({
      [arn('brand-module')]: { module: FIXTURE },
      [arn('brand-http')]: { url: http.url },
      [arn('brand-api')]: { lambda: { endpoint: lambda.endpoint } },
      [arn('throwing-module')]: { module: THROWING },
    });
    server = await startServer({ config: { triggersFile } });
  });
  after(async () => {
    await server.close();
    await http.close();
    await lambda.close();
  });

  async function resetWithTrigger(functionArn: string, username: string, phoneFirst: boolean) {
    const created = await server.client.send(
      new CreateUserPoolCommand({
        PoolName: 'invokers',
        LambdaConfig: { CustomMessage: functionArn },
        EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: 'reset@example.com' },
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: phoneFirst ? 'verified_phone_number' : 'verified_email', Priority: 1 }] },
      }),
    );
    const poolId = created.UserPool?.Id as string;
    await createConfirmedUser(server.client, poolId, username, {
      password: 'First-Password-1',
      attributes: [...verifiedEmail(username), { Name: 'phone_number', Value: '+15555550100' }, { Name: 'phone_number_verified', Value: 'true' }],
    });
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: username, ClientMetadata: { brand: 'Acme' } }));
    const [message] = await messagesFor(server, poolId, username);
    assert.ok(message, 'a message was queued');
    return message;
  }

  for (const kind of ['module', 'http', 'api'] as const) {
    it(`words the email through the ${kind} invoker`, async () => {
      const message = await resetWithTrigger(arn(`brand-${kind}`), `email-${kind}`, false);
      assert.equal(message.channel, 'EMAIL');
      assert.equal(message.payload.subject, 'Acme password reset');
      assert.equal(message.payload.body, `<p>Hello email-${kind}, your Acme code is {####}</p>`);
      assert.match(message.payload.code ?? '', /^\d{6}$/);
    });

    it(`words the SMS through the ${kind} invoker`, async () => {
      const message = await resetWithTrigger(arn(`brand-${kind}`), `sms-${kind}`, true);
      assert.equal(message.channel, 'SMS');
      assert.equal(message.payload.body, 'Acme: your code is {####}');
    });
  }

  it('the HTTP and Lambda API invokers received the ClientMetadata', () => {
    assert.ok(http.events.length >= 2);
    for (const event of http.events) assert.deepEqual(event.request.clientMetadata, { brand: 'Acme' });
    assert.ok(lambda.invocations.length >= 2);
    for (const call of lambda.invocations) {
      assert.deepEqual((call.payload as { request: { clientMetadata: unknown } }).request.clientMetadata, { brand: 'Acme' });
      assert.equal(call.functionName, arn('brand-api'));
    }
  });

  it('a function that throws fails the reset with UserLambdaValidationException', async () => {
    await expectAwsError(
      () => resetWithTrigger(arn('throwing-module'), 'thrown', false),
      'UserLambdaValidationException',
      'CustomMessage failed with error The wording service is down.',
    );
  });
});
