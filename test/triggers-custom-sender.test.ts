import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { buildClient, CommitmentPolicy, getClient, KMS, KmsKeyringNode } from '@aws-crypto/client-node';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPoolWithClient } from './support/fixtures.js';
import { startFunctionEndpoint, writeTriggersFile, type FunctionEndpoint } from './support/lambda-http.js';
import { MOTO_MISSING, startMoto, type MotoServer } from './support/moto-kms.js';
import { messagesFor } from './support/outbox.js';
import { sdkClient, startServer, type TestServer } from './support/server.js';
import { killRunningChildren, startChildServer, stopChildServer, type ChildServer } from './support/child-server.js';
import type { TriggerEvent } from '../src/services/triggers/trigger-event.js';

const SENDER_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:custom-sender';
const PASSWORD = 'Sender-Pass-1';
const NEW_PASSWORD = 'Sender-Pass-2';
// `<` and `>` reach the function HTML-escaped (cognito-facts-areas.md §2.3): the function below
// un-escapes them as a real one must.
const TEMPORARY_PASSWORD = 'Temp<Pass>1';
const DEVELOPER_EMAIL = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com' };
const SMS_CONFIG = { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns', ExternalId: 'x' };

if (MOTO_MISSING) {
  // .ci/run fails the build on this line: the custom senders must be proven against a real KMS.
  console.log(`# SKIPPED custom sender triggers: ${MOTO_MISSING}`);
}

interface Received {
  event: TriggerEvent;
  /** The code as the function decrypted it with the AWS Encryption SDK and KMS. */
  plaintext: string;
  /** The KMS key the Encryption SDK message names. */
  keyId: string;
}

type Medium = 'EMAIL' | 'SMS';

describe('CustomEmailSender and CustomSMSSender: codes encrypted with the pool KMS key, delivered by the function', { skip: MOTO_MISSING }, () => {
  let moto: MotoServer;
  let fn: FunctionEndpoint;
  let server: TestServer;
  let keyArn: string;
  const received: Received[] = [];
  /** Invocations still to fail (the function throws), to prove the outbox retries. */
  let failNext = 0;

  before(async () => {
    // moto accepts any credentials; the server's KMS client takes them from the standard chain.
    process.env.AWS_ACCESS_KEY_ID ??= 'test';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
    moto = await startMoto();
    const kms = new KMSClient({ endpoint: moto.endpoint, region: 'us-east-1' });
    keyArn = (await kms.send(new CreateKeyCommand({ Description: 'userpoold custom sender test' }))).KeyMetadata?.Arn as string;
    kms.destroy();

    // The function, as a Lambda would be written (DG23 custom sender sample): decrypt the code
    // with the Encryption SDK and a KMS keyring, then "send" it (here: record it).
    const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
    const keyring = new KmsKeyringNode({ keyIds: [keyArn], clientProvider: getClient(KMS, { endpoint: moto.endpoint }) });
    fn = await startFunctionEndpoint(async (raw) => {
      const event = raw as unknown as TriggerEvent;
      if (failNext > 0) {
        failNext--;
        throw new Error('provider down');
      }
      const { plaintext, messageHeader } = await decrypt(keyring, Buffer.from(event.request.code as string, 'base64'));
      received.push({ event, plaintext: plaintext.toString('utf8'), keyId: messageHeader.encryptedDataKeys[0]?.providerInfo ?? '' });
      return null;
    });
    server = await startServer({
      config: { triggersFile: writeTriggersFile({ [SENDER_ARN]: { url: fn.url } }), kmsEndpoint: moto.endpoint, deliveryBackoffMs: 1000 },
    });
  });
  after(async () => {
    await server?.close();
    await fn?.close();
    await moto?.close();
  });

  async function senderPool(medium: Medium) {
    const trigger = medium === 'EMAIL' ? 'CustomEmailSender' : 'CustomSMSSender';
    return createPoolWithClient(
      server.client,
      {
        PoolName: `sender-${medium}`,
        AutoVerifiedAttributes: [medium === 'EMAIL' ? 'email' : 'phone_number'],
        EmailConfiguration: DEVELOPER_EMAIL,
        SmsConfiguration: SMS_CONFIG,
        // CustomMessage is named too: with a sender for the medium it has nothing to do (no text is sent).
        LambdaConfig: { [trigger]: { LambdaVersion: 'V1_0', LambdaArn: SENDER_ARN }, KMSKeyID: keyArn, CustomMessage: SENDER_ARN },
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', medium === 'EMAIL' ? 'EMAIL_OTP' : 'SMS_OTP'] } },
      },
      { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    );
  }

  /** The next invocation of `source` (the sender runs from the outbox, after the call answered). */
  async function next(source: string): Promise<Received> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const index = received.findIndex((r) => r.event.triggerSource === source);
      if (index >= 0) return received.splice(index, 1)[0] as Received;
      if (Date.now() > deadline) throw new Error(`no ${source} invocation; seen: ${received.map((r) => r.event.triggerSource).join(', ') || 'none'}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** A user's outbox rows once none is pending (the worker records a try after the function answered). */
  async function settled(poolId: string, username: string) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const rows = await messagesFor(server, poolId, username);
      if (rows.every((row) => row.state !== 'pending') || Date.now() > deadline) return rows;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function userState(poolId: string, username: string) {
    const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    return { status: user.UserStatus as string, attributes: Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name as string, a.Value as string])) };
  }

  /** The event, field by field; `request.code` is checked apart (it is ciphertext, new each time). */
  function assertEvent(got: Received, expected: { source: string; medium: Medium; poolId: string; userName: string; clientId: string; userAttributes: Record<string, string>; clientMetadata?: Record<string, string> }) {
    const { code, ...request } = got.event.request;
    assert.equal(typeof code, 'string');
    assert.match(code as string, /^[A-Za-z0-9+/]+={0,2}$/, 'base64');
    assert.equal(got.keyId, keyArn, 'encrypted under the pool KMSKeyID');
    assert.deepEqual(
      { ...got.event, request },
      {
        version: '1',
        triggerSource: expected.source,
        region: 'us-east-1',
        userPoolId: expected.poolId,
        userName: expected.userName,
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: expected.clientId },
        request: {
          type: expected.medium === 'EMAIL' ? 'customEmailSenderRequestV1' : 'customSMSSenderRequestV1',
          userAttributes: expected.userAttributes,
          ...(expected.clientMetadata !== undefined ? { clientMetadata: expected.clientMetadata } : {}),
        },
        response: {},
      },
    );
  }

  for (const medium of ['EMAIL', 'SMS'] as const) {
    const trigger = medium === 'EMAIL' ? 'CustomEmailSender' : 'CustomSMSSender';
    const attr = medium === 'EMAIL' ? 'email' : 'phone_number';
    const contact = (n: number) => (medium === 'EMAIL' ? `user${n}@example.com` : `+1555555010${n}`);

    it(`${trigger}: every message goes to the function with its code encrypted, and each code works`, async () => {
      const { poolId, clientId } = await senderPool(medium);
      received.length = 0;

      // SignUp -> _SignUp; the decrypted code confirms the user.
      await server.client.send(
        new SignUpCommand({ ClientId: clientId, Username: 'ann', Password: PASSWORD, UserAttributes: [{ Name: attr, Value: contact(1) }], ClientMetadata: { app: 'web' } }),
      );
      const signUp = await next(`${trigger}_SignUp`);
      const annBefore = await userState(poolId, 'ann');
      assertEvent(signUp, {
        source: `${trigger}_SignUp`,
        medium,
        poolId,
        userName: 'ann',
        clientId,
        userAttributes: { ...annBefore.attributes, 'cognito:user_status': 'UNCONFIRMED' },
        clientMetadata: { app: 'web' },
      });
      assert.match(signUp.plaintext, /^\d{6}$/);
      await server.client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'ann', ConfirmationCode: signUp.plaintext }));
      assert.equal((await userState(poolId, 'ann')).status, 'CONFIRMED');

      // ResendConfirmationCode -> _ResendCode.
      await server.client.send(new SignUpCommand({ ClientId: clientId, Username: 'bob', Password: PASSWORD, UserAttributes: [{ Name: attr, Value: contact(2) }] }));
      await next(`${trigger}_SignUp`);
      await server.client.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'bob', ClientMetadata: { step: 'resend' } }));
      const resend = await next(`${trigger}_ResendCode`);
      const bob = await userState(poolId, 'bob');
      assertEvent(resend, {
        source: `${trigger}_ResendCode`,
        medium,
        poolId,
        userName: 'bob',
        clientId,
        userAttributes: { ...bob.attributes, 'cognito:user_status': 'UNCONFIRMED' },
        clientMetadata: { step: 'resend' },
      });
      await server.client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'bob', ConfirmationCode: resend.plaintext }));

      // ForgotPassword -> _ForgotPassword; the code resets the password, which then signs in.
      await server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'ann', ClientMetadata: { step: 'forgot' } }));
      const forgot = await next(`${trigger}_ForgotPassword`);
      const ann = await userState(poolId, 'ann');
      assertEvent(forgot, {
        source: `${trigger}_ForgotPassword`,
        medium,
        poolId,
        userName: 'ann',
        clientId,
        userAttributes: { ...ann.attributes, 'cognito:user_status': 'CONFIRMED' },
        clientMetadata: { step: 'forgot' },
      });
      await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'ann', ConfirmationCode: forgot.plaintext, Password: NEW_PASSWORD }));
      const signIn = await server.client.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ann', PASSWORD: NEW_PASSWORD } }),
      );
      const accessToken = signIn.AuthenticationResult?.AccessToken as string;
      assert.ok(accessToken);

      // UpdateUserAttributes -> _UpdateUserAttribute; the code verifies the new value.
      await server.client.send(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: attr, Value: contact(3) }], ClientMetadata: { step: 'update' } }));
      const update = await next(`${trigger}_UpdateUserAttribute`);
      const annUpdated = await userState(poolId, 'ann');
      assertEvent(update, {
        source: `${trigger}_UpdateUserAttribute`,
        medium,
        poolId,
        userName: 'ann',
        clientId,
        userAttributes: { ...annUpdated.attributes, 'cognito:user_status': 'CONFIRMED' },
        clientMetadata: { step: 'update' },
      });
      await server.client.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: attr, Code: update.plaintext }));
      assert.equal((await userState(poolId, 'ann')).attributes[attr], contact(3));
      assert.equal((await userState(poolId, 'ann')).attributes[`${attr}_verified`], 'true');

      // GetUserAttributeVerificationCode -> _VerifyUserAttribute.
      await server.client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: attr, ClientMetadata: { step: 'verify' } }));
      const verify = await next(`${trigger}_VerifyUserAttribute`);
      assertEvent(verify, {
        source: `${trigger}_VerifyUserAttribute`,
        medium,
        poolId,
        userName: 'ann',
        clientId,
        userAttributes: { ...(await userState(poolId, 'ann')).attributes, 'cognito:user_status': 'CONFIRMED' },
        clientMetadata: { step: 'verify' },
      });
      await server.client.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: attr, Code: verify.plaintext }));

      // AdminCreateUser -> _AdminCreateUser: the temporary password, `<`/`>` escaped; it signs in.
      await server.client.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: 'cat',
          TemporaryPassword: TEMPORARY_PASSWORD,
          DesiredDeliveryMediums: [medium],
          UserAttributes: [
            { Name: attr, Value: contact(4) },
            { Name: `${attr}_verified`, Value: 'true' },
          ],
          ClientMetadata: { step: 'invite' },
        }),
      );
      const invite = await next(`${trigger}_AdminCreateUser`);
      assertEvent(invite, {
        source: `${trigger}_AdminCreateUser`,
        medium,
        poolId,
        userName: 'cat',
        clientId: 'CLIENT_ID_NOT_APPLICABLE',
        userAttributes: { ...(await userState(poolId, 'cat')).attributes, 'cognito:user_status': 'FORCE_CHANGE_PASSWORD' },
        clientMetadata: { step: 'invite' },
      });
      assert.equal(invite.plaintext, 'Temp&lt;Pass&gt;1');
      const invited = await server.client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'cat', PASSWORD: invite.plaintext.replace(/&lt;/g, '<').replace(/&gt;/g, '>') },
        }),
      );
      assert.equal(invited.ChallengeName, 'NEW_PASSWORD_REQUIRED');

      // A one-time code at sign-in -> _Authentication; InitiateAuth passes no ClientMetadata to it.
      const otpChallenge = medium === 'EMAIL' ? 'EMAIL_OTP' : 'SMS_OTP';
      const started = await server.client.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'ann', PREFERRED_CHALLENGE: otpChallenge } }),
      );
      assert.equal(started.ChallengeName, otpChallenge);
      const otp = await next(`${trigger}_Authentication`);
      assertEvent(otp, {
        source: `${trigger}_Authentication`,
        medium,
        poolId,
        userName: 'ann',
        clientId,
        userAttributes: { ...(await userState(poolId, 'ann')).attributes, 'cognito:user_status': 'CONFIRMED' },
      });
      const done = await server.client.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: otpChallenge,
          Session: started.Session,
          ChallengeResponses: { USERNAME: 'ann', [`${otpChallenge}_CODE`]: otp.plaintext },
        }),
      );
      assert.ok(done.AuthenticationResult?.AccessToken);

      // userpoold delivered nothing itself: every message went to the function, and CustomMessage never ran.
      for (const username of ['ann', 'bob', 'cat']) {
        const rows = await settled(poolId, username);
        assert.ok(rows.length > 0);
        for (const row of rows) assert.deepEqual([row.channel, row.state], [trigger, 'delivered'], `${username} ${row.trigger}`);
      }
      assert.equal(
        fn.events.filter((e) => e.triggerSource.startsWith('CustomMessage_')).length,
        0,
      );
      assert.deepEqual(received, [], 'no invocation left unchecked');

      // Each invocation is audited (source, outcome, duration), and no code is in the audit log.
      await server.app.audit.flush();
      const audited = (await server.app.deps.store.listAudit({ poolId, limit: 1000 })).filter((r) => r.operation.startsWith(`Trigger:${trigger}_`));
      const sources = ['SignUp', 'ResendCode', 'ForgotPassword', 'UpdateUserAttribute', 'VerifyUserAttribute', 'AdminCreateUser', 'Authentication'];
      for (const source of sources) {
        const row = audited.find((r) => r.operation === `Trigger:${trigger}_${source}`);
        assert.deepEqual([row?.outcome, row?.status, typeof row?.durationMs], ['OK', 200, 'number'], source);
      }
      const codes = [signUp, resend, forgot, update, verify, invite, otp].map((r) => r.plaintext);
      const text = JSON.stringify(audited);
      for (const code of codes) assert.ok(!text.includes(code));
    });
  }

  it('a message whose function was running when the server was killed (kill -9) is sent again after the restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-sender-kill-'));
    const children: ChildServer[] = [];
    let calls = 0;
    const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
    const keyring = new KmsKeyringNode({ keyIds: [keyArn], clientProvider: getClient(KMS, { endpoint: moto.endpoint }) });
    const codes: string[] = [];
    // The first invocation never answers: the server is killed while it waits.
    const hanging = await startFunctionEndpoint(async (raw) => {
      const event = raw as unknown as TriggerEvent;
      if (++calls === 1) return new Promise(() => undefined);
      const { plaintext } = await decrypt(keyring, Buffer.from(event.request.code as string, 'base64'));
      codes.push(plaintext.toString('utf8'));
      return null;
    });
    const triggersFile = writeTriggersFile({ [SENDER_ARN]: { url: hanging.url } });
    const start = async () => {
      const child = await startChildServer([
        '--data-dir', dataDir, '--triggers-file', triggersFile, '--kms-endpoint', moto.endpoint,
        // A claim lapses soon after the kill, so the restarted worker takes the message again.
        '--delivery-claim-ttl-ms', '6000', '--delivery-poll-ms', '100',
        '--argon2-memory-kib', '64', '--argon2-iterations', '1',
      ]);
      children.push(child);
      return child;
    };
    try {
      const first = await start();
      const client = sdkClient(first.url);
      const poolId = (
        await client.send(
          new CreateUserPoolCommand({
            PoolName: 'sender-kill',
            AutoVerifiedAttributes: ['email'],
            LambdaConfig: { CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: SENDER_ARN }, KMSKeyID: keyArn },
          }),
        )
      ).UserPool?.Id as string;
      const clientId = (await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }))).UserPoolClient?.ClientId as string;
      // Acknowledged: the sign-up and the message it causes (committed together).
      await client.send(new SignUpCommand({ ClientId: clientId, Username: 'eve', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'eve@example.com' }] }));
      const deadline = Date.now() + 20_000;
      while (calls === 0) {
        assert.ok(Date.now() < deadline, 'the sender was never invoked');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      first.process.kill('SIGKILL');
      assert.equal((await first.exited).signal, 'SIGKILL');
      client.destroy();
      assert.equal(codes.length, 0, 'nothing delivered before the kill');

      const second = await start();
      const again = sdkClient(second.url);
      try {
        const until = Date.now() + 30_000;
        while (codes.length === 0) {
          assert.ok(Date.now() < until, 'the message was not sent again after the restart');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.equal(hanging.events.at(-1)?.triggerSource, 'CustomEmailSender_SignUp');
        await again.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'eve', ConfirmationCode: codes[0] as string }));
        assert.equal((await again.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'eve' }))).UserStatus, 'CONFIRMED');
      } finally {
        again.destroy();
        await stopChildServer(second);
      }
    } finally {
      killRunningChildren(children);
      await hanging.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a function that fails is retried from the outbox with backoff, and the code it finally gets still works', async () => {
    const { poolId, clientId } = await senderPool('EMAIL');
    received.length = 0;
    failNext = 1;
    await server.client.send(new SignUpCommand({ ClientId: clientId, Username: 'dan', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'dan@example.com' }] }));
    // The call answered at once (the sender is asynchronous, as on AWS); the first try fails.
    const deadline = Date.now() + 20_000;
    let rows = await messagesFor(server, poolId, 'dan');
    while (rows[0]?.attempts !== 1) {
      assert.ok(Date.now() < deadline, 'the first try was not made');
      await new Promise((resolve) => setTimeout(resolve, 50));
      rows = await messagesFor(server, poolId, 'dan');
    }
    assert.deepEqual([rows[0]?.state, rows[0]?.channel], ['pending', 'CustomEmailSender']);
    assert.equal(rows[0]?.lastError, 'CustomEmailSender failed with error provider down.');
    assert.equal(received.length, 0);
    // The next try is due after the backoff (the server's clock is pinned: move it on).
    server.clock.advance(5_000);
    server.app.delivery.wake();
    const retried = await next('CustomEmailSender_SignUp');
    await server.client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'dan', ConfirmationCode: retried.plaintext }));
    const [row] = await messagesFor(server, poolId, 'dan');
    assert.deepEqual([row?.state, row?.attempts], ['delivered', 2]);
  });
});
