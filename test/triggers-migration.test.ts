import {
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPoolWithClient } from './support/fixtures.js';
import { writeTriggersFile } from './support/lambda-http.js';
import { latestCode } from './support/outbox.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';
import type { SeenEvent } from './support/trigger-switchboard.js';

const MIGRATION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:legacy-migration';

for (const dialect of E2E_DIALECTS) describe(`UserMigration: legacy users move in at sign-in and at password reset, module function (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;
  let logDir: string;
  let log: string;
  const saved = process.env.TRIGGER_EVENT_LOG;

  /** The events the module function has received so far. */
  const received = (): SeenEvent[] =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as SeenEvent);

  before(async () => {
    logDir = mkdtempSync(join(tmpdir(), 'userpoold-migration-'));
    log = join(logDir, 'events.jsonl');
    writeFileSync(log, '');
    // Worker threads copy the environment when they start: the module reads the log path from it.
    process.env.TRIGGER_EVENT_LOG = log;
    server = await startServer({ dialect, config: { triggersFile: writeTriggersFile({ [MIGRATION_ARN]: { module: resolve('test/fixtures/legacy-migration-fn.mjs') } }) } });
    ({ poolId, clientId } = await createPoolWithClient(
      server.client,
      { PoolName: 'migration', LambdaConfig: { UserMigration: MIGRATION_ARN }, Schema: [{ Name: 'name', AttributeDataType: 'String', Mutable: true }] },
      { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    ));
  });
  after(async () => {
    await server.close();
    rmSync(logDir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.TRIGGER_EVENT_LOG;
    else process.env.TRIGGER_EVENT_LOG = saved;
  });

  const signIn = (username: string, password: string, clientMetadata?: Record<string, string>) =>
    server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password }, ClientMetadata: clientMetadata }));
  const stored = async (username: string) => {
    const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    return { status: user.UserStatus, attributes: Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value])) };
  };

  it('a legacy user signing in with the legacy password is migrated with that password and signed in', async () => {
    const before = received().length;
    const out = await signIn('legacy-ann', 'Legacy-Pass-1', { app: 'web' });
    assert.ok(out.AuthenticationResult?.IdToken, 'tokens at the first sign-in');
    const [event, ...rest] = received().slice(before);
    assert.equal(rest.length, 0);
    assert.deepEqual(event, {
      version: '1',
      triggerSource: 'UserMigration_Authentication',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: 'legacy-ann',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
      request: { password: 'Legacy-Pass-1', validationData: { app: 'web' }, clientMetadata: { app: 'web' } },
      response: { userAttributes: null, finalUserStatus: null, messageAction: null, desiredDeliveryMediums: null, forceAliasCreation: null, enableSMSMFA: null },
    } satisfies SeenEvent);

    const user = await stored('legacy-ann');
    assert.equal(user.status, 'CONFIRMED');
    assert.equal(user.attributes.email, 'ann@legacy.example');
    assert.equal(user.attributes.email_verified, 'true');
    assert.equal(user.attributes.name, 'Ann Legacy');
    // From now on the user is the pool's: the function is not asked again, and the password is checked here.
    const again = received().length;
    assert.ok((await signIn('legacy-ann', 'Legacy-Pass-1')).AuthenticationResult?.AccessToken);
    await expectAwsError(() => signIn('legacy-ann', 'Wrong-Pass-1'), 'NotAuthorizedException', 'Incorrect username or password.');
    assert.equal(received().length, again);
  });

  it('a wrong legacy password is the function refusing: nothing is created', async () => {
    await expectAwsError(() => signIn('legacy-bob', 'Not-His-Pass-1'), 'UserLambdaValidationException', 'UserMigration failed with error Bad password.');
    await expectAwsError(() => server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'legacy-bob' })), 'UserNotFoundException');
  });

  it('a name the legacy directory does not know either is refused by the function', async () => {
    await expectAwsError(() => signIn('nobody', 'Any-Pass-123'), 'UserLambdaValidationException', 'UserMigration failed with error User does not exist in the legacy directory.');
  });

  it('without finalUserStatus the migrated user is RESET_REQUIRED, and sign-in asks for a reset', async () => {
    await expectAwsError(() => signIn('legacy-cy', 'Cy-Legacy-33'), 'PasswordResetRequiredException', 'Password reset required for the user');
    assert.equal((await stored('legacy-cy')).status, 'RESET_REQUIRED');
  });

  it('an answer without userAttributes is InvalidLambdaResponseException', async () => {
    await expectAwsError(() => signIn('legacy-empty', 'Empty-Pass-44'), 'InvalidLambdaResponseException', 'Unrecognizable lambda output');
    await expectAwsError(() => server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'legacy-empty' })), 'UserNotFoundException');
  });

  it('unknown legacy user -> ForgotPassword -> migrated, code sent -> ConfirmForgotPassword -> signs in with the new password', async () => {
    const before = received().length;
    const forgot = await server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'legacy-bob', ClientMetadata: { flow: 'reset' } }));
    assert.equal(forgot.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    assert.equal(forgot.CodeDeliveryDetails?.AttributeName, 'email');
    const [event, ...rest] = received().slice(before);
    assert.equal(rest.length, 0);
    assert.deepEqual(event, {
      version: '1',
      triggerSource: 'UserMigration_ForgotPassword',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: 'legacy-bob',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
      request: { validationData: null, clientMetadata: { flow: 'reset' } },
      response: { userAttributes: null, finalUserStatus: null, messageAction: null, desiredDeliveryMediums: null, forceAliasCreation: null, enableSMSMFA: null },
    } satisfies SeenEvent);
    assert.equal((await stored('legacy-bob')).status, 'RESET_REQUIRED');

    const code = await latestCode(server, poolId, 'legacy-bob');
    await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'legacy-bob', ConfirmationCode: code, Password: 'Brand-New-Pass-5' }));
    assert.equal((await stored('legacy-bob')).status, 'CONFIRMED');
    const out = await signIn('legacy-bob', 'Brand-New-Pass-5');
    assert.ok(out.AuthenticationResult?.IdToken);
    assert.equal(received().length, before + 1, 'the function ran once, for the reset');
  });

  it('ForgotPassword for a name the function refuses answers its error', async () => {
    await expectAwsError(
      () => server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'stranger' })),
      'UserLambdaValidationException',
      'UserMigration failed with error User does not exist in the legacy directory.',
    );
  });
});
