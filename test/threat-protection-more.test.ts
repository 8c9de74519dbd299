import {
  AdminInitiateAuthCommand,
  AdminListUserAuthEventsCommand,
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetLogDeliveryConfigurationCommand,
  SetRiskConfigurationCommand,
  SignUpCommand,
  UpdateUserPoolClientCommand,
  type AuthEventType,
  type CreateUserPoolCommandInput,
  type SetRiskConfigurationCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createInvitedUser, createPoolWithClient, verifiedEmail } from './support/fixtures.js';
import { writeTriggersFile } from './support/lambda-http.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Perm-Passw0rd!';
const TEMPORARY = 'Temp-Passw0rd!';
/** On the compromised list the server is given. */
const LEAKED = 'Summer2024!Pass';
const BLOCKED_IP = 'Request blocked by the user pool\u2019s threat protection: the address is in its BlockedIPRangeList.';
const COMPROMISED = 'This password was found among compromised credentials; choose another password.';
const NEEDS_SECRET = 'EnablePropagateAdditionalUserContextData can only be true for an app client that has a client secret.';
const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
const OTP_FN = 'arn:aws:lambda:us-east-1:000000000000:function:otp-auth';
const LOOPBACK = /^(::ffff:)?127\.0\.0\.1$|^::1$/;

describe('threat protection: propagated context data, new passwords, custom authentication, userAuthEvents logs', () => {
  let server: TestServer;
  let dir: string;
  let logDir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'userpoold-threat-more-'));
    logDir = join(dir, 'logs');
    const list = join(dir, 'compromised.txt');
    writeFileSync(list, `${LEAKED}\n`);
    server = await startServer({
      config: { compromisedPasswords: list, logDeliveryDir: logDir, triggersFile: writeTriggersFile({ [OTP_FN]: { module: resolve('test/fixtures/custom-auth-otp-fn.mjs') } }) },
    });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const plusPool = (mode: 'AUDIT' | 'ENFORCED', extra: Partial<CreateUserPoolCommandInput> = {}, client: Parameters<typeof createPoolWithClient>[2] = {}) =>
    createPoolWithClient(server.client, { PoolName: `tpm-${mode}`, UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: mode }, ...extra }, { ExplicitAuthFlows: [...FLOWS], ...client });
  const events = async (poolId: string, username: string) =>
    (await server.client.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username }))).AuthEvents as AuthEventType[];
  const setRisk = (input: SetRiskConfigurationCommandInput) => server.client.send(new SetRiskConfigurationCommand(input));
  const secretHash = (secret: string, username: string, clientId: string) => createHmac('sha256', secret).update(username + clientId).digest('base64');

  describe('EnablePropagateAdditionalUserContextData', () => {
    it('needs a client secret, and then UserContextData.IpAddress is the address judged and recorded', async () => {
      const { poolId, clientId: publicClient } = await plusPool('ENFORCED');
      // Refused without a secret, on create and on update; accepted with one and kept.
      await expectAwsError(
        () => server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'p', EnablePropagateAdditionalUserContextData: true })),
        'InvalidParameterException',
        NEEDS_SECRET,
      );
      await expectAwsError(
        () => server.client.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: publicClient, EnablePropagateAdditionalUserContextData: true })),
        'InvalidParameterException',
        NEEDS_SECRET,
      );
      const made = await server.client.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', GenerateSecret: true, ExplicitAuthFlows: [...FLOWS], EnablePropagateAdditionalUserContextData: true }),
      );
      const clientId = made.UserPoolClient?.ClientId as string;
      const secret = made.UserPoolClient?.ClientSecret as string;
      assert.equal(made.UserPoolClient?.EnablePropagateAdditionalUserContextData, true);
      const described = await server.client.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
      assert.equal(described.UserPoolClient?.EnablePropagateAdditionalUserContextData, true);
      // A confidential client that does not propagate: UserContextData.IpAddress is ignored.
      const quiet = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'q', GenerateSecret: true, ExplicitAuthFlows: [...FLOWS] }));
      const quietId = quiet.UserPoolClient?.ClientId as string;
      const quietSecret = quiet.UserPoolClient?.ClientSecret as string;

      await createConfirmedUser(server.client, poolId, 'pia', { password: PASSWORD, attributes: verifiedEmail('pia') });
      await setRisk({ UserPoolId: poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['203.0.113.0/24'] } });
      const signIn = (id: string, key: string, ip: string) =>
        server.client.send(
          new InitiateAuthCommand({
            ClientId: id,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'pia', PASSWORD, SECRET_HASH: secretHash(key, 'pia', id) },
            UserContextData: { IpAddress: ip, EncodedData: 'opaque-device-fingerprint' },
          }),
        );
      await expectAwsError(() => signIn(clientId, secret, '203.0.113.5'), 'NotAuthorizedException', BLOCKED_IP);
      server.clock.advance(1000);
      assert.ok((await signIn(quietId, quietSecret, '203.0.113.5')).AuthenticationResult, 'a client that does not propagate is judged by its source address');
      server.clock.advance(1000);
      assert.ok((await signIn(clientId, secret, '192.0.2.44')).AuthenticationResult);
      server.clock.advance(1000);
      await server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'pia', SecretHash: secretHash(secret, 'pia', clientId), UserContextData: { IpAddress: '192.0.2.45' } }));
      server.clock.advance(1000);
      await server.client.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: 'sam',
          Password: PASSWORD,
          SecretHash: secretHash(secret, 'sam', clientId),
          UserAttributes: [{ Name: 'email', Value: 'sam@example.com' }],
          UserContextData: { IpAddress: '2001:db8::9', EncodedData: 'x' },
        }),
      );

      const recorded = await events(poolId, 'pia');
      assert.deepEqual(
        recorded.map((e) => [e.EventType, e.EventResponse, e.EventRisk?.RiskDecision, LOOPBACK.test(e.EventContextData?.IpAddress as string) ? 'source' : e.EventContextData?.IpAddress]),
        [
          ['ForgotPassword', 'Pass', 'NoRisk', '192.0.2.45'],
          ['SignIn', 'Pass', 'NoRisk', '192.0.2.44'],
          ['SignIn', 'Pass', 'NoRisk', 'source'],
          ['SignIn', 'Fail', 'Block', '203.0.113.5'],
        ],
      );
      assert.deepEqual((await events(poolId, 'sam')).map((e) => [e.EventType, e.EventContextData?.IpAddress]), [['SignUp', '2001:db8::9']]);
    });
  });

  describe('NEW_PASSWORD_REQUIRED', () => {
    const startInvited = async (clientId: string, username: string) => {
      const first = await server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: TEMPORARY } }));
      assert.equal(first.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      return first.Session as string;
    };
    const answer = (clientId: string, username: string, session: string, password: string) =>
      server.client.send(
        new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: session, ChallengeResponses: { USERNAME: username, NEW_PASSWORD: password } }),
      );

    it('is checked as a password change (EventFilter PASSWORD_CHANGE): BLOCK refuses it and the session allows another', async () => {
      const { poolId, clientId } = await plusPool('ENFORCED');
      await setRisk({ UserPoolId: poolId, CompromisedCredentialsRiskConfiguration: { EventFilter: ['PASSWORD_CHANGE'], Actions: { EventAction: 'BLOCK' } } });
      await createInvitedUser(server.client, poolId, 'nia', { temporaryPassword: TEMPORARY });
      const session = await startInvited(clientId, 'nia');
      await expectAwsError(() => answer(clientId, 'nia', session, LEAKED), 'InvalidPasswordException', COMPROMISED);
      const done = await answer(clientId, 'nia', session, PASSWORD);
      assert.ok(done.AuthenticationResult?.AccessToken);
      const [signIn] = await events(poolId, 'nia');
      assert.equal(signIn?.EventType, 'SignIn');
      assert.equal(signIn?.EventResponse, 'Pass');
      assert.deepEqual(signIn?.EventRisk, { RiskDecision: 'Block', RiskLevel: 'Low', CompromisedCredentialsDetected: true });
    });

    it('is not checked when the filter leaves PASSWORD_CHANGE out; AUDIT only records what it found', async () => {
      const { poolId, clientId } = await plusPool('ENFORCED');
      await setRisk({ UserPoolId: poolId, CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_IN', 'SIGN_UP'], Actions: { EventAction: 'BLOCK' } } });
      await createInvitedUser(server.client, poolId, 'ned', { temporaryPassword: TEMPORARY });
      assert.ok((await answer(clientId, 'ned', await startInvited(clientId, 'ned'), LEAKED)).AuthenticationResult);
      assert.equal((await events(poolId, 'ned'))[0]?.EventRisk?.CompromisedCredentialsDetected, false);

      const audit = await plusPool('AUDIT');
      await setRisk({ UserPoolId: audit.poolId, CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } } });
      await createInvitedUser(server.client, audit.poolId, 'nat', { temporaryPassword: TEMPORARY });
      assert.ok((await answer(audit.clientId, 'nat', await startInvited(audit.clientId, 'nat'), LEAKED)).AuthenticationResult);
      const [event] = await events(audit.poolId, 'nat');
      assert.deepEqual([event?.EventResponse, event?.EventRisk?.RiskDecision, event?.EventRisk?.CompromisedCredentialsDetected], ['Pass', 'NoRisk', true]);
    });
  });

  describe('custom authentication (AdvancedSecurityAdditionalFlows.CustomAuthMode)', () => {
    const customPool = (mode: 'AUDIT' | 'ENFORCED', customMode?: 'AUDIT' | 'ENFORCED') =>
      createPoolWithClient(
        server.client,
        {
          PoolName: 'tpm-custom',
          UserPoolTier: 'PLUS',
          UserPoolAddOns: { AdvancedSecurityMode: mode, ...(customMode && { AdvancedSecurityAdditionalFlows: { CustomAuthMode: customMode } }) },
          LambdaConfig: { DefineAuthChallenge: OTP_FN, CreateAuthChallenge: OTP_FN, VerifyAuthChallengeResponse: OTP_FN },
        },
        { ExplicitAuthFlows: [...FLOWS] },
      );
    const start = (clientId: string, username: string) =>
      server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: username } }));
    const answer = (clientId: string, username: string, session: string | undefined, code: string) =>
      server.client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: session, ChallengeResponses: { USERNAME: username, ANSWER: code } }));
    const adminStart = (poolId: string, clientId: string, username: string, ip: string) =>
      server.client.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: username }, ContextData: { IpAddress: ip, ServerName: 's', ServerPath: '/', HttpHeaders: [] } }),
      );

    it('records a SignIn event per custom sign-in under CustomAuthMode, completed by the answers', async () => {
      const { poolId, clientId } = await customPool('AUDIT', 'AUDIT');
      await createConfirmedUser(server.client, poolId, 'cal', { password: PASSWORD });
      const first = await start(clientId, 'cal');
      const second = await answer(clientId, 'cal', first.Session, '000000');
      assert.equal(second.ChallengeName, 'CUSTOM_CHALLENGE');
      assert.equal((await events(poolId, 'cal'))[0]?.EventResponse, 'InProgress');
      assert.ok((await answer(clientId, 'cal', second.Session, '246810')).AuthenticationResult);
      server.clock.advance(1000);
      let session = (await start(clientId, 'cal')).Session;
      for (let i = 0; i < 2; i += 1) session = (await answer(clientId, 'cal', session, '111111')).Session;
      await expectAwsError(() => answer(clientId, 'cal', session, '111111'), 'NotAuthorizedException');
      const recorded = await events(poolId, 'cal');
      assert.deepEqual(
        recorded.map((e) => [e.EventType, e.EventResponse, e.ChallengeResponses]),
        [
          ['SignIn', 'Fail', []],
          ['SignIn', 'Pass', []],
        ],
      );
    });

    it('without CustomAuthMode records nothing; its mode, not the pool’s, decides whether a blocked address is refused', async () => {
      const off = await customPool('ENFORCED');
      await createConfirmedUser(server.client, off.poolId, 'col', { password: PASSWORD });
      const first = await start(off.clientId, 'col');
      assert.ok((await answer(off.clientId, 'col', first.Session, '246810')).AuthenticationResult);
      assert.deepEqual(await events(off.poolId, 'col'), []);

      for (const [customMode, refused] of [['ENFORCED', true], ['AUDIT', false]] as const) {
        const { poolId, clientId } = await customPool('ENFORCED', customMode);
        await createConfirmedUser(server.client, poolId, 'cy', { password: PASSWORD });
        await setRisk({ UserPoolId: poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['198.51.100.0/24'] } });
        if (refused) {
          await expectAwsError(() => adminStart(poolId, clientId, 'cy', '198.51.100.3'), 'NotAuthorizedException', BLOCKED_IP);
        } else {
          assert.equal((await adminStart(poolId, clientId, 'cy', '198.51.100.3')).ChallengeName, 'CUSTOM_CHALLENGE');
        }
        const [event] = await events(poolId, 'cy');
        assert.deepEqual([event?.EventResponse, event?.EventRisk?.RiskDecision, event?.EventContextData?.IpAddress], [refused ? 'Fail' : 'InProgress', 'Block', '198.51.100.3']);
      }
    });
  });

  describe('userAuthEvents log delivery', () => {
    it('writes each stored event to the log group’s file as one JSON line, without secrets; other pools and sources get none', async () => {
      const { poolId, clientId } = await plusPool('AUDIT');
      const other = await plusPool('AUDIT');
      const group = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/cognito/auth-events';
      await server.client.send(
        new SetLogDeliveryConfigurationCommand({ UserPoolId: poolId, LogConfigurations: [{ EventSource: 'userAuthEvents', LogLevel: 'INFO', CloudWatchLogsConfiguration: { LogGroupArn: group } }] }),
      );
      // The other pool logs only user notifications: its auth events go nowhere.
      await server.client.send(
        new SetLogDeliveryConfigurationCommand({
          UserPoolId: other.poolId,
          LogConfigurations: [{ EventSource: 'userNotification', LogLevel: 'ERROR', CloudWatchLogsConfiguration: { LogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:notes' } }],
        }),
      );
      await createConfirmedUser(server.client, poolId, 'lou', { password: PASSWORD });
      await createConfirmedUser(server.client, other.poolId, 'lou', { password: PASSWORD });
      const signIn = (id: string, password: string) =>
        server.client.send(new InitiateAuthCommand({ ClientId: id, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'lou', PASSWORD: password } }));
      const tokens = await signIn(clientId, PASSWORD);
      await expectAwsError(() => signIn(clientId, 'Wrong-Passw0rd!'), 'NotAuthorizedException');
      await signIn(other.clientId, PASSWORD);
      await server.app.deps.authEventLog?.flush();

      const file = join(logDir, '_aws_cognito_auth-events.log');
      const text = readFileSync(file, 'utf8');
      for (const secret of [PASSWORD, 'Wrong-Passw0rd!', tokens.AuthenticationResult?.AccessToken as string, tokens.AuthenticationResult?.RefreshToken as string]) {
        assert.ok(!text.includes(secret), 'no password or token in the log');
      }
      const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { message: Record<string, unknown> } & Record<string, unknown>);
      const stored = await events(poolId, 'lou');
      assert.equal(lines.length, 2);
      assert.deepEqual(new Set(lines.map((l) => l.userPoolId)), new Set([poolId]));
      const byId = new Map(lines.map((l) => [l.message.eventId, l]));
      for (const e of stored) {
        const line = byId.get(e.EventId);
        assert.ok(line, `event ${e.EventId as string} is logged`);
        assert.deepEqual({ ...line, eventTimestamp: undefined, message: { ...line.message, ipAddress: undefined, userSub: undefined } }, {
          eventTimestamp: undefined,
          logLevel: 'INFO',
          eventSource: 'USER_AUTH_EVENTS',
          userPoolId: poolId,
          message: {
            eventId: e.EventId,
            eventType: 'SignIn',
            creationDate: (e.CreationDate as Date).toISOString(),
            eventResponse: e.EventResponse,
            riskDecision: 'NoRisk',
            riskLevel: 'Low',
            compromisedCredentialsDetected: false,
            challenges: e.ChallengeResponses?.map((c) => ({ challengeName: c.ChallengeName, challengeResponse: c.ChallengeResponse })),
            ipAddress: undefined,
            userSub: undefined,
            clientId,
          },
        });
        assert.equal(line.message.ipAddress, e.EventContextData?.IpAddress);
        assert.match(line.message.userSub as string, /^[0-9a-f-]{36}$/);
      }
      assert.ok(!existsSync(join(logDir, 'notes.log')), 'no user notification failed, and auth events never go there');
    });
  });
});
