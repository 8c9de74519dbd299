import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, defaultConfig } from '../src/kernel/config.js';
import { silentLogger } from '../src/kernel/logger.js';
import type { CustomMessageEvent, LambdaInvoker } from '../src/services/triggers/custom-message.js';
import { DEVELOPER_ONLY, buildCustomMessageEvent, runCustomMessage } from '../src/services/triggers/custom-message-runner.js';
import { createHttpInvoker } from '../src/services/triggers/http-invoker.js';
import { createLambdaInvoker } from '../src/services/triggers/invoker-registry.js';
import { createLambdaApiInvoker, regionOf } from '../src/services/triggers/lambda-api-invoker.js';
import { createModuleInvoker } from '../src/services/triggers/module-invoker.js';
import { HttpReply, startFunctionEndpoint } from './support/lambda-http.js';
import { InvokeReply, startFakeLambda } from './support/lambda-invoke-fake.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:custom-message';
const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

function forgotPasswordEvent(overrides: Partial<Parameters<typeof buildCustomMessageEvent>[0]> = {}): CustomMessageEvent {
  return buildCustomMessageEvent({
    triggerSource: 'CustomMessage_ForgotPassword',
    region: 'eu-west-1',
    poolId: 'eu-west-1_AbCdEf123',
    user: { username: 'alice', attributes: { sub: '11111111-2222-3333-4444-555555555555', email: 'alice@example.com', email_verified: 'true' }, status: 'CONFIRMED' },
    clientId: 'client123',
    clientMetadata: { brand: 'Acme' },
    ...overrides,
  });
}

/** Rejects with exactly this AWS error name and message. */
async function rejectsWith(promise: Promise<unknown>, name: string, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (err: Error) => {
    assert.equal(err.name, name);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

/** An invoker whose function answers with `answer(event)`, to test the runner's rules alone. */
function answering(answer: (event: CustomMessageEvent) => unknown): LambdaInvoker {
  return { invoke: async (_arn, event) => answer(structuredClone(event) as CustomMessageEvent) as CustomMessageEvent };
}

describe('buildCustomMessageEvent', () => {
  it('builds the event Cognito sends for a forgot-password message', () => {
    assert.deepEqual(forgotPasswordEvent(), {
      version: '1',
      triggerSource: 'CustomMessage_ForgotPassword',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_AbCdEf123',
      userName: 'alice',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client123' },
      request: {
        userAttributes: {
          sub: '11111111-2222-3333-4444-555555555555',
          email: 'alice@example.com',
          email_verified: 'true',
          'cognito:user_status': 'CONFIRMED',
        },
        codeParameter: '{####}',
        linkParameter: '{##Click Here##}',
        usernameParameter: null,
        clientMetadata: { brand: 'Acme' },
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    });
  });

  it('names no client for admin operations, leaves out absent ClientMetadata, and offers {username} to invitations', () => {
    const event = buildCustomMessageEvent({
      triggerSource: 'CustomMessage_AdminCreateUser',
      region: 'us-east-1',
      poolId: 'us-east-1_X',
      user: { username: 'bob', attributes: { sub: 's' }, status: 'FORCE_CHANGE_PASSWORD' },
    });
    assert.equal(event.callerContext.clientId, 'CLIENT_ID_NOT_APPLICABLE');
    assert.equal('clientMetadata' in event.request, false);
    assert.equal(event.request.usernameParameter, '{username}');
    assert.equal(event.request.userAttributes['cognito:user_status'], 'FORCE_CHANGE_PASSWORD');
  });
});

describe('module invoker', () => {
  const timeoutMs = 2000;

  it('runs the module in a worker thread and returns the message it words', async () => {
    const invoker = createModuleInvoker(join(FIXTURES, 'custom-message-fn.mjs'), timeoutMs);
    const text = await runCustomMessage(invoker, ARN, forgotPasswordEvent(), 'EMAIL', 'DEVELOPER');
    assert.deepEqual(text, { subject: 'Acme password reset', body: '<p>Hello alice, your Acme code is {####}</p>' });
    assert.deepEqual(await runCustomMessage(invoker, ARN, forgotPasswordEvent(), 'SMS', 'COGNITO_DEFAULT'), { body: 'Acme: your code is {####}' });
  });

  it('accepts callback-style handlers', async () => {
    const invoker = createModuleInvoker(join(FIXTURES, 'callback-fn.mjs'), timeoutMs);
    assert.deepEqual(await runCustomMessage(invoker, ARN, forgotPasswordEvent(), 'SMS', undefined), { body: 'Callback code {####}' });
  });

  it('turns a thrown error into UserLambdaValidationException with the function message', async () => {
    const invoker = createModuleInvoker(join(FIXTURES, 'throwing-fn.mjs'), timeoutMs);
    await rejectsWith(invoker.invoke(ARN, forgotPasswordEvent()), 'UserLambdaValidationException', 'CustomMessage failed with error The wording service is down.');
  });

  it('reports a module without a handler as a function failure', async () => {
    const invoker = createModuleInvoker(join(FIXTURES, 'no-handler.mjs'), timeoutMs);
    await rejectsWith(invoker.invoke(ARN, forgotPasswordEvent()), 'UserLambdaValidationException', 'CustomMessage failed with error no-handler.handler is undefined or not exported.');
  });

  it('reports a handler that returns nothing as an invalid response', async () => {
    const invoker = createModuleInvoker(join(FIXTURES, 'returns-nothing.mjs'), timeoutMs);
    await rejectsWith(invoker.invoke(ARN, forgotPasswordEvent()), 'InvalidLambdaResponseException', 'Invalid lambda function output : Invalid JSON');
  });

  it('terminates a function that never yields and answers UnexpectedLambdaException', async () => {
    const invoker = createModuleInvoker(join(FIXTURES, 'looping-fn.mjs'), 150);
    const started = Date.now();
    await rejectsWith(
      invoker.invoke(ARN, forgotPasswordEvent()),
      'UnexpectedLambdaException',
      'CustomMessage invocation failed due to error Socket timeout while invoking Lambda function.',
    );
    assert.ok(Date.now() - started < 1500, 'the timeout ends the wait');
    // The server's own thread is free again: a later invocation still works.
    const ok = createModuleInvoker(join(FIXTURES, 'custom-message-fn.mjs'), timeoutMs);
    assert.ok(await ok.invoke(ARN, forgotPasswordEvent()));
  });
});

describe('HTTP invoker', () => {
  it('POSTs the event and uses the event it gets back', async () => {
    const fn = await startFunctionEndpoint((event) => {
      event.response.smsMessage = `Code ${event.request.codeParameter} for ${event.request.clientMetadata?.brand}`;
      return event;
    });
    try {
      const invoker = createHttpInvoker(fn.url, 2000);
      assert.deepEqual(await runCustomMessage(invoker, ARN, forgotPasswordEvent(), 'SMS', 'COGNITO_DEFAULT'), { body: 'Code {####} for Acme' });
      assert.equal(fn.events.length, 1);
      assert.deepEqual(fn.events[0], forgotPasswordEvent());
    } finally {
      await fn.close();
    }
  });

  it('maps failures to AWS errors', async () => {
    const fn = await startFunctionEndpoint((event) => {
      const mode = event.request.clientMetadata?.mode;
      if (mode === 'throw') throw new Error('Nope');
      if (mode === 'text') return new HttpReply(502, 'bad gateway');
      if (mode === 'garbage') return new HttpReply(200, '<html>');
      if (mode === 'slow') return new Promise((resolve) => setTimeout(() => resolve(event), 1000));
      return event;
    });
    try {
      const invoker = createHttpInvoker(fn.url, 200);
      const withMode = (mode: string) => forgotPasswordEvent({ clientMetadata: { mode } });
      await rejectsWith(invoker.invoke(ARN, withMode('throw')), 'UserLambdaValidationException', 'CustomMessage failed with error Nope.');
      await rejectsWith(invoker.invoke(ARN, withMode('text')), 'UserLambdaValidationException', 'CustomMessage failed with error bad gateway.');
      await rejectsWith(invoker.invoke(ARN, withMode('garbage')), 'InvalidLambdaResponseException', 'Invalid lambda function output : Invalid JSON');
      await rejectsWith(
        invoker.invoke(ARN, withMode('slow')),
        'UnexpectedLambdaException',
        'CustomMessage invocation failed due to error Socket timeout while invoking Lambda function.',
      );
    } finally {
      await fn.close();
    }
  });

  it('reports an unreachable function as UnexpectedLambdaException', async () => {
    const fn = await startFunctionEndpoint();
    const url = fn.url;
    await fn.close();
    await rejectsWith(createHttpInvoker(url, 2000).invoke(ARN, forgotPasswordEvent()), 'UnexpectedLambdaException', 'CustomMessage invocation failed due to error ECONNREFUSED.');
  });
});

describe('Lambda Invoke API invoker (real @aws-sdk/client-lambda against a fake endpoint)', () => {
  let lambda: Awaited<ReturnType<typeof startFakeLambda>>;
  let invoker: LambdaInvoker;
  before(async () => {
    lambda = await startFakeLambda({
      'custom-message': (event) => {
        const e = event as CustomMessageEvent;
        e.response.emailSubject = 'Reset';
        e.response.emailMessage = `Your code: ${e.request.codeParameter}`;
        return e;
      },
      failing: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'brand')");
      },
      nothing: () => null,
      text: () => new InvokeReply(200, { 'content-type': 'application/json' }, 'not json'),
      throttled: () =>
        new InvokeReply(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' }, JSON.stringify({ Type: 'User', message: 'Rate exceeded', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' })),
      denied: () =>
        new InvokeReply(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' }, JSON.stringify({ Message: 'not authorized' })),
      slow: (event) => new Promise((resolve) => setTimeout(() => resolve(event), 5000)),
    });
    // The first call loads the Lambda SDK: the limit leaves room for that on a loaded machine.
    invoker = createLambdaApiInvoker({ endpoint: lambda.endpoint, defaultRegion: 'us-east-1', timeoutMs: 2000, credentials: CREDS });
  });
  after(async () => {
    await invoker.close?.();
    await lambda.close();
  });
  const arn = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;

  it('invokes RequestResponse with the event, signed for the region of the ARN', async () => {
    const text = await runCustomMessage(invoker, arn('custom-message'), forgotPasswordEvent(), 'EMAIL', 'DEVELOPER');
    assert.deepEqual(text, { subject: 'Reset', body: 'Your code: {####}' });
    const call = lambda.invocations.at(-1);
    assert.equal(call?.functionName, arn('custom-message'));
    assert.equal(call?.invocationType, 'RequestResponse');
    assert.match(call?.authorization ?? '', /\/eu-west-1\/lambda\/aws4_request/);
    assert.deepEqual(call?.payload, forgotPasswordEvent());
  });

  it('maps a function error to UserLambdaValidationException', async () => {
    await rejectsWith(
      invoker.invoke(arn('failing'), forgotPasswordEvent()),
      'UserLambdaValidationException',
      "CustomMessage failed with error Cannot read properties of undefined (reading 'brand').",
    );
  });

  it('maps unusable payloads to InvalidLambdaResponseException', async () => {
    await rejectsWith(invoker.invoke(arn('nothing'), forgotPasswordEvent()), 'InvalidLambdaResponseException', 'Invalid lambda function output : Invalid JSON');
    await rejectsWith(invoker.invoke(arn('text'), forgotPasswordEvent()), 'InvalidLambdaResponseException', 'Invalid lambda function output : Invalid JSON');
  });

  it('maps throttling, denial, a missing function and timeouts to UnexpectedLambdaException', async () => {
    const cases: [string, string][] = [
      ['throttled', 'TooManyRequestsException'],
      ['denied', 'AccessDeniedException'],
      ['missing', 'ResourceNotFoundException'],
      ['slow', 'Socket timeout while invoking Lambda function'],
    ];
    for (const [name, cause] of cases) {
      await rejectsWith(invoker.invoke(arn(name), forgotPasswordEvent()), 'UnexpectedLambdaException', `CustomMessage invocation failed due to error ${cause}.`);
    }
  });

  it('reads the region from the ARN', () => {
    assert.equal(regionOf('arn:aws:lambda:ap-south-1:123456789012:function:f:live'), 'ap-south-1');
    assert.equal(regionOf('just-a-name'), undefined);
  });
});

describe('runCustomMessage response rules', () => {
  const event = forgotPasswordEvent();
  const respond = (response: Record<string, unknown>) => answering((e) => ({ ...e, response: { ...e.response, ...response } }));

  it('falls back to the default message when the function leaves the response empty', async () => {
    assert.equal(await runCustomMessage(answering((e) => e), ARN, event, 'EMAIL', 'DEVELOPER'), undefined);
    assert.equal(await runCustomMessage(respond({ smsMessage: '' }), ARN, event, 'SMS', 'DEVELOPER'), undefined);
    // An email-only answer does not change an SMS.
    assert.equal(await runCustomMessage(respond({ emailMessage: 'Code {####}' }), ARN, event, 'SMS', 'DEVELOPER'), undefined);
  });

  it('refuses an answer that is not an event', async () => {
    await rejectsWith(runCustomMessage(answering(() => ({ hello: 'world' })), ARN, event, 'SMS', undefined), 'InvalidLambdaResponseException', 'Unrecognizable lambda output');
    await rejectsWith(runCustomMessage(respond({ smsMessage: 42 }), ARN, event, 'SMS', undefined), 'InvalidLambdaResponseException', 'Unrecognizable lambda output');
  });

  it('requires the code placeholder and at most 140 characters in an SMS', async () => {
    await rejectsWith(
      runCustomMessage(respond({ smsMessage: 'no code here' }), ARN, event, 'SMS', undefined),
      'InvalidParameterException',
      String.raw`1 validation error detected: Value 'no code here' at 'smsMessage' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\{####\}.*`,
    );
    const long = `{####}${'x'.repeat(135)}`;
    await rejectsWith(
      runCustomMessage(respond({ smsMessage: long }), ARN, event, 'SMS', undefined),
      'InvalidParameterException',
      `1 validation error detected: Value '${long}' at 'smsMessage' failed to satisfy constraint: Member must have length less than or equal to 140`,
    );
    // 140 characters, some of them outside the BMP, is still allowed.
    const exact = `{####}${'😀'.repeat(134)}`;
    assert.deepEqual(await runCustomMessage(respond({ smsMessage: exact }), ARN, event, 'SMS', undefined), { body: exact });
  });

  it('requires the code placeholder and at most 20,000 characters in an email, and a subject of at most 140', async () => {
    await rejectsWith(
      runCustomMessage(respond({ emailMessage: 'Hello' }), ARN, event, 'EMAIL', 'DEVELOPER'),
      'InvalidParameterException',
      String.raw`1 validation error detected: Value 'Hello' at 'emailBody' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*`,
    );
    const long = `{####}${'y'.repeat(19995)}`;
    await rejectsWith(runCustomMessage(respond({ emailMessage: long }), ARN, event, 'EMAIL', 'DEVELOPER'), 'InvalidParameterException', /at 'emailBody' failed to satisfy constraint: Member must have length less than or equal to 20000$/);
    const subject = 's'.repeat(141);
    await rejectsWith(
      runCustomMessage(respond({ emailMessage: 'Code {####}', emailSubject: subject }), ARN, event, 'EMAIL', 'DEVELOPER'),
      'InvalidParameterException',
      `1 validation error detected: Value '${subject}' at 'emailSubject' failed to satisfy constraint: Member must have length less than or equal to 140`,
    );
    // A no-break space is not among the characters the service's pattern allows.
    await rejectsWith(runCustomMessage(respond({ emailMessage: 'Code\u00a0{####}' }), ARN, event, 'EMAIL', 'DEVELOPER'), 'InvalidParameterException', /at 'emailBody'/);
    assert.deepEqual(await runCustomMessage(respond({ emailMessage: `{####}${'y'.repeat(19994)}` }), ARN, event, 'EMAIL', 'DEVELOPER'), {
      body: `{####}${'y'.repeat(19994)}`,
    });
  });

  it('requires both {username} and {####} in an invitation', async () => {
    const invite = buildCustomMessageEvent({
      triggerSource: 'CustomMessage_AdminCreateUser',
      region: 'us-east-1',
      poolId: 'us-east-1_X',
      user: { username: 'bob', attributes: {}, status: 'FORCE_CHANGE_PASSWORD' },
    });
    await rejectsWith(
      runCustomMessage(respond({ smsMessage: 'Password {####}' }), ARN, invite, 'SMS', undefined),
      'InvalidParameterException',
      String.raw`1 validation error detected: Value 'Password {####}' at 'smsMessage' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\{username\}.*`,
    );
    assert.deepEqual(await runCustomMessage(respond({ smsMessage: 'User {username} password {####}' }), ARN, invite, 'SMS', undefined), {
      body: 'User {username} password {####}',
    });
  });

  it('honours email text only for DEVELOPER email sending', async () => {
    await rejectsWith(runCustomMessage(respond({ emailMessage: 'Code {####}' }), ARN, event, 'EMAIL', 'COGNITO_DEFAULT'), 'InvalidLambdaResponseException', DEVELOPER_ONLY);
    await rejectsWith(runCustomMessage(respond({ emailSubject: 'Hi' }), ARN, event, 'EMAIL', undefined), 'InvalidLambdaResponseException', DEVELOPER_ONLY);
  });
});

describe('createLambdaInvoker (triggers file)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'userpoold-triggers-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const config = (triggersFile: string | undefined, lambdaEndpoint?: string) => ({
    ...defaultConfig(),
    triggersFile,
    lambdaEndpoint,
    triggerTimeoutMs: 2000,
  });
  const writeTriggers = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('routes listed ARNs to a URL or a module (relative to the file) and the rest to the Lambda API', async () => {
    writeFileSync(join(dir, 'fn.mjs'), "export const handler = async (e) => { e.response.smsMessage = 'module {####}'; return e; };");
    const fn = await startFunctionEndpoint((event) => ({ ...event, response: { ...event.response, smsMessage: 'url {####}' } }));
    const lambda = await startFakeLambda({
      api: (event) => {
        const e = event as CustomMessageEvent;
        return { ...e, response: { ...e.response, smsMessage: 'api {####}' } };
      },
    });
    const path = writeTriggers('triggers.json', {
      'arn:aws:lambda:us-east-1:123456789012:function:by-url': { url: fn.url },
      'arn:aws:lambda:us-east-1:123456789012:function:by-module': { module: './fn.mjs' },
    });
    const invoker = createLambdaInvoker(config(path, lambda.endpoint), silentLogger);
    try {
      const sms = async (name: string) => (await runCustomMessage(invoker, `arn:aws:lambda:us-east-1:123456789012:function:${name}`, forgotPasswordEvent(), 'SMS', undefined))?.body;
      assert.equal(await sms('by-url'), 'url {####}');
      assert.equal(await sms('by-module'), 'module {####}');
      assert.equal(await sms('api'), 'api {####}');
      assert.equal(fn.events.length, 1);
      assert.equal(lambda.invocations.length, 1);
    } finally {
      await invoker.close?.();
      await fn.close();
      await lambda.close();
    }
  });

  it('sends {"lambda": {"endpoint"}} entries to that endpoint', async () => {
    const lambda = await startFakeLambda({ 'arn:aws:lambda:us-east-1:123456789012:function:other': (event) => event });
    const path = writeTriggers('lambda.json', { 'arn:aws:lambda:us-east-1:123456789012:function:other': { lambda: { endpoint: lambda.endpoint } } });
    const invoker = createLambdaInvoker(config(path, 'http://127.0.0.1:9'), silentLogger);
    try {
      assert.equal(await runCustomMessage(invoker, 'arn:aws:lambda:us-east-1:123456789012:function:other', forgotPasswordEvent(), 'SMS', undefined), undefined);
      assert.equal(lambda.invocations.length, 1);
    } finally {
      await invoker.close?.();
      await lambda.close();
    }
  });

  it('refuses a bad triggers file with a one-line ConfigError', () => {
    const bad: [string, unknown, RegExp][] = [
      ['missing.json', undefined, /cannot be read \(ENOENT\)/],
      ['syntax.json', '{', /is not valid JSON/],
      ['array.json', [], /must hold a JSON object/],
      ['two-kinds.json', { 'arn:x': { url: 'http://a', module: './m.mjs' } }, /entry "arn:x" must have exactly one of "url", "module" or "lambda"/],
      ['bad-url.json', { 'arn:x': { url: 'ftp://a' } }, /entry "arn:x" "url" must be an http:\/\/ or https:\/\/ URL/],
      ['no-module.json', { 'arn:x': { module: './absent.mjs' } }, /entry "arn:x" module .*absent\.mjs does not exist/],
      ['lambda-key.json', { 'arn:x': { lambda: { region: 'x' } } }, /entry "arn:x" "lambda" has an unknown key "region"/],
    ];
    for (const [name, content, message] of bad) {
      const path = content === undefined ? join(dir, name) : writeTriggers(name, content);
      assert.throws(
        () => createLambdaInvoker(config(path), silentLogger),
        (err: Error) => err instanceof ConfigError && message.test(err.message) && !err.message.includes('\n'),
        name,
      );
    }
  });
});
