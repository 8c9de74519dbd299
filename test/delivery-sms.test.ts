import {
  AdminResetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, defaultConfig, type Config } from '../src/kernel/config.js';
import { silentLogger } from '../src/kernel/logger.js';
import { createSnsSmsTransport } from '../src/services/delivery/sms-sns-transport.js';
import { createSmsTransport } from '../src/services/delivery/sms-transport-factory.js';
import { createSmsWebhookTransport } from '../src/services/delivery/sms-webhook-transport.js';
import { PermanentDeliveryError, type SmsMessage, type SmsTransport } from '../src/services/delivery/transport.js';
import { startFakeSns, type FakeSns } from './support/fake-sns.js';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { messagesFor } from './support/outbox.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';
import { codeIn, startSmsWebhook, type SmsWebhook } from './support/sms-webhook.js';
import { until } from './support/until.js';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

let seq = 0;
function sms(overrides: Partial<SmsMessage> = {}): SmsMessage {
  seq++;
  return { messageId: `msg-${seq}`, to: '+15555550100', text: `Your code is ${100000 + seq}`, ...overrides };
}

/** Runs `fn`, expecting it to reject with exactly this error class and message. */
async function rejectsWith(fn: () => Promise<unknown>, permanent: boolean, message: string | RegExp): Promise<Error> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof Error, 'expected the send to fail');
  assert.equal(caught instanceof PermanentDeliveryError, permanent, `permanent? ${caught.message}`);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else assert.match(caught.message, message);
  return caught;
}

function config(overrides: Partial<Config>): Config {
  return { ...defaultConfig(), ...overrides };
}

describe('SMS webhook transport', () => {
  let hook: SmsWebhook;
  before(async () => {
    hook = await startSmsWebhook();
  });
  after(() => hook.close());

  it('POSTs messageId, to and text as JSON with the idempotency key and the secret', async () => {
    const transport = createSmsWebhookTransport({ url: hook.url, secret: 's3cret-value' });
    const message = sms({ messageId: 'abc-123', to: '+447700900123', text: 'Your code is 123456 ✓' });
    const before = hook.calls.length;
    await transport.send(message);
    assert.equal(hook.calls.length, before + 1);
    const call = hook.calls[before]!;
    assert.equal(call.method, 'POST');
    assert.equal(call.path, '/sms');
    assert.deepEqual(call.body, { messageId: 'abc-123', to: '+447700900123', text: 'Your code is 123456 ✓' });
    assert.equal(call.headers['content-type'], 'application/json');
    assert.equal(call.headers['idempotency-key'], 'abc-123');
    assert.equal(call.headers['x-userpoold-secret'], 's3cret-value');
  });

  it('sends no secret header when none is configured', async () => {
    const transport = createSmsWebhookTransport({ url: hook.url });
    const before = hook.calls.length;
    await transport.send(sms());
    assert.equal(hook.calls[before]!.headers['x-userpoold-secret'], undefined);
  });

  it('a 500 is retryable and the same message succeeds when sent again', async () => {
    const transport = createSmsWebhookTransport({ url: hook.url });
    const message = sms({ text: 'Your code is 654321' });
    hook.respondWith(500);
    const before = hook.calls.length;
    const err = await rejectsWith(() => transport.send(message), false, 'SMS webhook answered HTTP 500');
    assert.doesNotMatch(err.message, /654321/);
    await transport.send(message);
    assert.equal(hook.calls.length, before + 2);
    assert.equal(hook.calls[before]!.headers['idempotency-key'], message.messageId);
    assert.equal(hook.calls[before + 1]!.headers['idempotency-key'], message.messageId);
  });

  it('a 400 is permanent; 408 and 429 are retryable', async () => {
    const transport = createSmsWebhookTransport({ url: hook.url });
    hook.respondWith(400, 404, 408, 429, 503);
    await rejectsWith(() => transport.send(sms()), true, 'SMS webhook answered HTTP 400');
    await rejectsWith(() => transport.send(sms()), true, 'SMS webhook answered HTTP 404');
    await rejectsWith(() => transport.send(sms()), false, 'SMS webhook answered HTTP 408');
    await rejectsWith(() => transport.send(sms()), false, 'SMS webhook answered HTTP 429');
    await rejectsWith(() => transport.send(sms()), false, 'SMS webhook answered HTTP 503');
  });

  it('a redirect is not followed, so the secret stays with the configured host', async () => {
    const transport = createSmsWebhookTransport({ url: hook.url, secret: 'x' });
    hook.respondWith(307);
    const before = hook.calls.length;
    await rejectsWith(() => transport.send(sms()), false, 'SMS webhook answered HTTP 307');
    assert.equal(hook.calls.length, before + 1);
  });

  it('a slow receiver times out as a retryable error', async () => {
    const transport = createSmsWebhookTransport({ url: hook.url, timeoutMs: 100 });
    hook.delayMs = 1000;
    try {
      await rejectsWith(() => transport.send(sms()), false, 'SMS webhook timed out after 100 ms');
    } finally {
      hook.delayMs = 0;
    }
  });

  it('an unreachable receiver is retryable and the error names the network failure only', async () => {
    const closed = await startSmsWebhook();
    const url = closed.url;
    await closed.close();
    const transport = createSmsWebhookTransport({ url });
    await rejectsWith(() => transport.send(sms({ text: 'code 777777' })), false, 'SMS webhook unreachable: ECONNREFUSED');
  });
});

describe('SMS SNS transport', () => {
  let sns: FakeSns;
  let transport: SmsTransport;
  before(async () => {
    sns = await startFakeSns();
    transport = createSnsSmsTransport({ region: 'eu-west-1', endpoint: sns.endpoint, credentials: CREDENTIALS });
  });
  after(async () => {
    await transport.close?.();
    await sns.close();
  });

  it('publishes to the phone number as a Transactional SMS, signed for the region', async () => {
    const before = sns.calls.length;
    await transport.send(sms({ to: '+15555550199', text: 'Your code is 246810 & more' }));
    assert.equal(sns.calls.length, before + 1);
    const call = sns.calls[before]!;
    assert.ok(call.messageId);
    assert.equal(call.params.Action, 'Publish');
    assert.equal(call.params.Version, '2010-03-31');
    assert.equal(call.params.PhoneNumber, '+15555550199');
    assert.equal(call.params.Message, 'Your code is 246810 & more');
    assert.equal(call.params['MessageAttributes.entry.1.Name'], 'AWS.SNS.SMS.SMSType');
    assert.equal(call.params['MessageAttributes.entry.1.Value.DataType'], 'String');
    assert.equal(call.params['MessageAttributes.entry.1.Value.StringValue'], 'Transactional');
    assert.match(String(call.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/sns\/aws4_request, /);
  });

  for (const [code, name] of [
    ['InvalidParameter', 'InvalidParameterException'],
    // SNS's wire code for InvalidParameterValueException.
    ['ParameterValueInvalid', 'InvalidParameterValueException'],
    ['OptedOut', 'OptedOutException'],
    ['EndpointDisabled', 'EndpointDisabledException'],
    // A code the SDK does not model keeps its own name.
    ['InvalidParameterValue', 'InvalidParameterValue'],
  ] as const) {
    it(`${code} is permanent`, async () => {
      sns.failWith({ status: 400, code, message: 'Invalid parameter: PhoneNumber Reason: +1 code 135791' });
      const err = await rejectsWith(() => transport.send(sms({ text: 'code 135791' })), true, `SNS Publish failed: HTTP 400 ${name}`);
      assert.doesNotMatch(err.message, /135791/);
    });
  }

  it('an unknown 4xx code is retryable', async () => {
    sns.failWith({ status: 400, code: 'SomethingNew', message: 'x' });
    await rejectsWith(() => transport.send(sms()), false, 'SNS Publish failed: HTTP 400 SomethingNew');
  });

  it('throttling, internal errors and authorization failures are retryable, and a retry goes through', async () => {
    sns.failWith(
      { status: 429, code: 'Throttled', message: 'Rate exceeded' },
      { status: 500, code: 'InternalError', message: 'Internal error' },
      { status: 403, code: 'AuthorizationError', message: 'not authorized' },
    );
    const message = sms();
    await rejectsWith(() => transport.send(message), false, 'SNS Publish failed: HTTP 429 ThrottledException');
    await rejectsWith(() => transport.send(message), false, 'SNS Publish failed: HTTP 500 InternalErrorException');
    await rejectsWith(() => transport.send(message), false, 'SNS Publish failed: HTTP 403 AuthorizationErrorException');
    const before = sns.calls.length;
    await transport.send(message);
    assert.equal(sns.calls.length, before + 1, 'the SDK made exactly one attempt: retries belong to the worker');
    assert.ok(sns.calls[before]!.messageId);
  });

  it('an unreachable endpoint is retryable', async () => {
    const down = await startFakeSns();
    await down.close();
    const t = createSnsSmsTransport({ region: 'us-east-1', endpoint: down.endpoint, credentials: CREDENTIALS });
    try {
      await rejectsWith(() => t.send(sms()), false, 'SNS Publish failed: ECONNREFUSED');
    } finally {
      await t.close?.();
    }
  });
});

describe('createSmsTransport', () => {
  it("'outbox' builds no transport: SMS stay queued", () => {
    assert.equal(createSmsTransport(config({ smsTransport: 'outbox', smsWebhookUrl: 'http://127.0.0.1:1/' }), silentLogger), undefined);
  });

  it("'webhook' without a URL is a one-line ConfigError", () => {
    assert.throws(() => createSmsTransport(config({ smsTransport: 'webhook' }), silentLogger), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.message, '--sms-transport webhook needs --sms-webhook-url');
      return true;
    });
  });

  for (const [options, message] of [
    [{ smsTransport: 'webhook', smsWebhookUrl: 'not a url' }, '--sms-webhook-url: expected an http:// or https:// URL'],
    [{ smsTransport: 'webhook', smsWebhookUrl: 'ftp://example.com/x' }, '--sms-webhook-url: expected an http:// or https:// URL'],
    [{ smsTransport: 'webhook', smsWebhookUrl: 'https://u:p@example.com/x' }, '--sms-webhook-url: a URL may not hold user:password'],
    [{ smsTransport: 'webhook', smsWebhookUrl: 'https://example.com/x', smsWebhookSecret: 'two\nlines' }, '--sms-webhook-secret: expected printable ASCII without surrounding spaces'],
    [{ smsTransport: 'sns', snsEndpoint: 'localhost:4566' }, '--sns-endpoint: expected an http:// or https:// URL'],
  ] as const) {
    it(`rejects ${JSON.stringify(options)}`, () => {
      assert.throws(() => createSmsTransport(config(options), silentLogger), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.message, message);
        return true;
      });
    });
  }

  it('a bad SMS setting stops `userpoold serve` with one line and exit status 2', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-sms-cli-'));
    try {
      const entry = join(import.meta.dirname, 'support', 'cli-entry.ts');
      const result = spawnSync(process.execPath, ['--import', 'tsx', entry, 'serve', '--port', '0', '--data-dir', dataDir, '--sms-transport', 'webhook'], {
        env: { PATH: process.env.PATH },
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(result.stderr, 'userpoold: --sms-transport webhook needs --sms-webhook-url\n');
      assert.equal(result.status, 2);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("'webhook' posts to the configured URL with the configured secret", async () => {
    const hook = await startSmsWebhook();
    try {
      const transport = createSmsTransport(config({ smsTransport: 'webhook', smsWebhookUrl: hook.url, smsWebhookSecret: 'shh' }), silentLogger);
      assert.ok(transport);
      await transport.send(sms({ messageId: 'via-factory' }));
      assert.equal(hook.calls[0]!.headers['x-userpoold-secret'], 'shh');
      assert.equal(hook.calls[0]!.headers['idempotency-key'], 'via-factory');
    } finally {
      await hook.close();
    }
  });

  it("'sns' publishes to snsEndpoint in the configured region with credentials from the standard chain", async () => {
    const sns = await startFakeSns();
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, key: process.env.AWS_SECRET_ACCESS_KEY, profile: process.env.AWS_PROFILE };
    process.env.AWS_ACCESS_KEY_ID = 'AKIDFROMENV';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret-from-env';
    delete process.env.AWS_PROFILE;
    const transport = createSmsTransport(config({ smsTransport: 'sns', snsEndpoint: sns.endpoint, region: 'ap-southeast-2' }), silentLogger);
    try {
      assert.ok(transport);
      await transport.send(sms({ to: '+61400000000' }));
      assert.equal(sns.calls[0]!.params.PhoneNumber, '+61400000000');
      assert.match(String(sns.calls[0]!.headers.authorization), /Credential=AKIDFROMENV\/\d{8}\/ap-southeast-2\/sns\/aws4_request/);
    } finally {
      await transport?.close?.();
      await sns.close();
      restoreEnv('AWS_ACCESS_KEY_ID', saved.id);
      restoreEnv('AWS_SECRET_ACCESS_KEY', saved.key);
      restoreEnv('AWS_PROFILE', saved.profile);
    }
  });
});

describe('AdminResetUserPassword by SMS, end to end through the webhook', () => {
  let hook: SmsWebhook;
  let server: TestServer;
  before(async () => {
    hook = await startSmsWebhook();
    server = await startServer({
      config: { smsTransport: 'webhook', smsWebhookUrl: hook.url, smsWebhookSecret: 'e2e-secret', deliveryBackoffMs: 1000 },
    });
  });
  after(async () => {
    await server.close();
    await hook.close();
  });

  async function poolWithPhoneUser(username: string, phone: string) {
    const { poolId, clientId } = await createPoolWithClient(
      server.client,
      { PoolName: 'sms-reset', AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_phone_number', Priority: 1 }] } },
      { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    );
    await createConfirmedUser(server.client, poolId, username, {
      temporaryPassword: 'Temp-Pass-1',
      password: 'Old-Password-1',
      attributes: [
        { Name: 'phone_number', Value: phone },
        { Name: 'phone_number_verified', Value: 'true' },
      ],
    });
    return { poolId, clientId };
  }

  const signIn = (clientId: string, username: string, password: string) =>
    server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));

  it('the code arrives at the webhook and completes ConfirmForgotPassword', async () => {
    const { poolId, clientId } = await poolWithPhoneUser('pat', '+15555550123');
    const seen = hook.calls.length;
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'pat' }));

    const call = await hook.nextCall(seen);
    const [row] = await messagesFor(server, poolId, 'pat');
    assert.ok(row);
    assert.equal(row.channel, 'SMS');
    assert.equal(call.headers['x-userpoold-secret'], 'e2e-secret');
    assert.equal(call.headers['idempotency-key'], row.id);
    const body = call.body as { messageId: string; to: string; text: string };
    assert.deepEqual(Object.keys(body).sort(), ['messageId', 'text', 'to']);
    assert.equal(body.messageId, row.id);
    assert.equal(body.to, '+15555550123');
    const code = codeIn(body.text);
    assert.equal(code, row.payload.code);

    await expectAwsError(() => signIn(clientId, 'pat', 'Old-Password-1'), 'PasswordResetRequiredException', 'Password reset required for the user');
    await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'pat', ConfirmationCode: code, Password: 'New-Password-2' }));
    const tokens = await signIn(clientId, 'pat', 'New-Password-2');
    assert.ok(tokens.AuthenticationResult?.AccessToken);
    await until('the message to pat to be delivered', async () => (await messagesFor(server, poolId, 'pat'))[0]?.state === 'delivered');
  });

  it('a 500 from the webhook leaves the SMS pending; the retry delivers it with the same idempotency key', async () => {
    const { poolId } = await poolWithPhoneUser('quinn', '+15555550124');
    hook.respondWith(500);
    const seen = hook.calls.length;
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'quinn' }));
    const first = await hook.nextCall(seen);
    await until('a first attempt for quinn', async () => (await messagesFor(server, poolId, 'quinn'))[0]?.attempts === 1);
    const [pending] = await messagesFor(server, poolId, 'quinn');
    assert.equal(pending?.state, 'pending');
    assert.equal(pending?.lastError, 'SMS webhook answered HTTP 500');

    // The retry is due only once the (pinned) clock passes the backoff.
    server.clock.advance(10_000);
    await server.app.delivery.runOnce();
    assert.equal(hook.calls.length, seen + 2);
    const second = hook.calls[seen + 1]!;
    assert.equal(second.headers['idempotency-key'], first.headers['idempotency-key']);
    assert.deepEqual(second.body, first.body);
    const [delivered] = await messagesFor(server, poolId, 'quinn');
    assert.equal(delivered?.state, 'delivered');
    assert.equal(delivered?.attempts, 2);
  });

  it('a 400 from the webhook fails the SMS at once, without retries', async () => {
    const { poolId } = await poolWithPhoneUser('rory', '+15555550125');
    hook.respondWith(400);
    const seen = hook.calls.length;
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'rory' }));
    await hook.nextCall(seen);
    await until('the message to rory to fail', async () => (await messagesFor(server, poolId, 'rory'))[0]?.state === 'failed');
    const [failed] = await messagesFor(server, poolId, 'rory');
    assert.equal(failed?.attempts, 1);
    assert.equal(failed?.lastError, 'SMS webhook answered HTTP 400');
    server.clock.advance(3_600_000);
    await server.app.delivery.runOnce();
    assert.equal(hook.calls.length, seen + 1);
  });
});

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
