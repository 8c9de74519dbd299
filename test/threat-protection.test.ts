import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedbackCommand,
  ChangePasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DescribeRiskConfigurationCommand,
  DescribeUserPoolCommand,
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  SetRiskConfigurationCommand,
  SignUpCommand,
  UpdateAuthEventFeedbackCommand,
  UpdateUserPoolCommand,
  type AuthEventType,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { feedbackToken } from '../src/services/threat/feedback-token.js';
import { createConfirmedUser, createPoolWithClient, verifiedEmail } from './support/fixtures.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';
import { srpAnswer, srpRespond, srpStart, srpTimestamp } from './support/srp-client.js';
import { authenticatorCode } from './support/totp.js';

const PASSWORD = 'Perm-Passw0rd!';
/** On the compromised list the server is given (and meeting the default password policy). */
const LEAKED = 'Summer2024!Pass';
const OTHER_LEAKED = 'Winter2024!Pass';
const ADD_ON = 'Threat protection (advanced security) is not enabled for this user pool.';
const TIER = 'Threat protection (UserPoolAddOns.AdvancedSecurityMode AUDIT or ENFORCED) needs the PLUS feature plan (UserPoolTier); this user pool is on a lower plan.';
const BLOCKED_IP = 'Request blocked by the user pool\u2019s threat protection: the address is in its BlockedIPRangeList.';
const COMPROMISED = 'This password was found among compromised credentials; choose another password.';
const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

describe('threat protection (UserPoolAddOns AUDIT/ENFORCED)', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'userpoold-threat-'));
    const list = join(dir, 'compromised.txt');
    writeFileSync(list, `123456\r\n${LEAKED}\n\n${OTHER_LEAKED}\n`);
    server = await startServer({ config: { compromisedPasswords: list } });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const plusPool = (mode: 'AUDIT' | 'ENFORCED', extra: Partial<CreateUserPoolCommandInput> = {}) =>
    createPoolWithClient(server.client, { PoolName: `tp-${mode}`, UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: mode }, ...extra }, { ExplicitAuthFlows: [...FLOWS] });
  const passwordSignIn = (clientId: string, username: string, password: string) =>
    server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
  const adminSignIn = (poolId: string, clientId: string, username: string, password: string, ip: string) =>
    server.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
        ContextData: {
          IpAddress: ip,
          ServerName: 'app.example',
          ServerPath: '/login',
          HttpHeaders: [{ headerName: 'User-Agent', headerValue: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36' }],
        },
      }),
    );
  const events = async (poolId: string, username: string, max?: number, next?: string) =>
    server.client.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username, MaxResults: max, NextToken: next }));
  const setRisk = (input: ConstructorParameters<typeof SetRiskConfigurationCommand>[0]) => server.client.send(new SetRiskConfigurationCommand(input));

  describe('the pool setting', () => {
    it('AUDIT and ENFORCED need the PLUS plan (FeatureUnavailableInTierException), are kept, and OFF turns the operations off', async () => {
      await expectAwsError(
        () => server.client.send(new CreateUserPoolCommand({ PoolName: 'essentials', UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } })),
        'FeatureUnavailableInTierException',
        TIER,
      );
      const { poolId } = await plusPool('AUDIT');
      const described = (await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool;
      assert.deepEqual(described?.UserPoolAddOns, { AdvancedSecurityMode: 'AUDIT' });
      await expectAwsError(
        () => server.client.send(new UpdateUserPoolCommand({ UserPoolId: poolId, UserPoolTier: 'ESSENTIALS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } })),
        'FeatureUnavailableInTierException',
        TIER,
      );
      await server.client.send(new UpdateUserPoolCommand({ UserPoolId: poolId, UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED', AdvancedSecurityAdditionalFlows: { CustomAuthMode: 'AUDIT' } } }));
      const updated = (await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool;
      assert.deepEqual(updated?.UserPoolAddOns, { AdvancedSecurityMode: 'ENFORCED', AdvancedSecurityAdditionalFlows: { CustomAuthMode: 'AUDIT' } });
      await server.client.send(new UpdateUserPoolCommand({ UserPoolId: poolId, UserPoolAddOns: { AdvancedSecurityMode: 'OFF' } }));
      await expectAwsError(() => server.client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId })), 'UserPoolAddOnNotEnabledException', ADD_ON);
    });
  });

  describe('risk configuration', () => {
    it('keeps what is set per pool and per client, a client’s replacing the pool’s; only UserPoolId resets', async () => {
      const { poolId, clientId } = await plusPool('AUDIT');
      assert.deepEqual((await server.client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }))).RiskConfiguration, { UserPoolId: poolId });
      const poolLevel = {
        CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_IN' as const, 'SIGN_UP' as const], Actions: { EventAction: 'BLOCK' as const } },
        AccountTakeoverRiskConfiguration: {
          NotifyConfiguration: { SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/example.com', BlockEmail: { Subject: 'Blocked', TextBody: 'We blocked a sign-in.' } },
          Actions: { HighAction: { EventAction: 'BLOCK' as const, Notify: true }, MediumAction: { EventAction: 'MFA_IF_CONFIGURED' as const, Notify: false } },
        },
        RiskExceptionConfiguration: { BlockedIPRangeList: ['198.51.100.0/24'], SkippedIPRangeList: ['2001:db8::/32'] },
      };
      const set = (await setRisk({ UserPoolId: poolId, ...poolLevel })).RiskConfiguration;
      assert.equal(set?.LastModifiedDate?.getTime(), server.clock.nowMs());
      assert.deepEqual({ ...set, LastModifiedDate: undefined }, { UserPoolId: poolId, ...poolLevel, LastModifiedDate: undefined });
      const described = (await server.client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }))).RiskConfiguration;
      assert.deepEqual({ ...described, LastModifiedDate: undefined }, { UserPoolId: poolId, ...poolLevel, LastModifiedDate: undefined });

      // A client without its own configuration inherits the pool's; its own replaces it as a whole.
      const inherited = (await server.client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }))).RiskConfiguration;
      assert.deepEqual(inherited?.RiskExceptionConfiguration, poolLevel.RiskExceptionConfiguration);
      assert.equal(inherited?.ClientId, clientId);
      const own = { RiskExceptionConfiguration: { SkippedIPRangeList: ['203.0.113.7/32'] } };
      await setRisk({ UserPoolId: poolId, ClientId: clientId, ...own });
      const clientLevel = (await server.client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }))).RiskConfiguration;
      assert.deepEqual({ ...clientLevel, LastModifiedDate: undefined }, { UserPoolId: poolId, ClientId: clientId, ...own, LastModifiedDate: undefined });

      // UserPoolId and ClientId only: the client inherits again.
      await setRisk({ UserPoolId: poolId, ClientId: clientId });
      assert.deepEqual(
        (await server.client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }))).RiskConfiguration?.RiskExceptionConfiguration,
        poolLevel.RiskExceptionConfiguration,
      );
      // UserPoolId only: the pool's defaults.
      assert.deepEqual((await setRisk({ UserPoolId: poolId })).RiskConfiguration, { UserPoolId: poolId });
      assert.deepEqual((await server.client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }))).RiskConfiguration, { UserPoolId: poolId });
    });

    it('refuses a range that is not CIDR, an unknown client, and a client of a deleted configuration is gone', async () => {
      const { poolId, clientId } = await plusPool('ENFORCED');
      await expectAwsError(
        () => setRisk({ UserPoolId: poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['10.0.0.0/33'] } }),
        'InvalidParameterException',
        '10.0.0.0/33 is not a valid IP address range in CIDR notation.',
      );
      await expectAwsError(
        () => setRisk({ UserPoolId: poolId, RiskExceptionConfiguration: { SkippedIPRangeList: ['not-an-ip'] } }),
        'InvalidParameterException',
        'not-an-ip is not a valid IP address range in CIDR notation.',
      );
      await expectAwsError(() => setRisk({ UserPoolId: poolId, ClientId: 'nosuchclient' }), 'ResourceNotFoundException', 'User pool client nosuchclient does not exist.');
      await setRisk({ UserPoolId: poolId, ClientId: clientId, RiskExceptionConfiguration: { BlockedIPRangeList: ['0.0.0.0/0'] } });
      await server.client.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
      await expectAwsError(() => server.client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId })), 'ResourceNotFoundException');
    });
  });

  describe('auth events', () => {
    it('records sign-ins newest first with AWS’s shape, pages them, and takes the address and device from ContextData', async () => {
      const { poolId, clientId } = await plusPool('AUDIT');
      await createConfirmedUser(server.client, poolId, 'ann', { password: PASSWORD, attributes: verifiedEmail('ann') });
      const start = server.clock.nowMs();
      await adminSignIn(poolId, clientId, 'ann', PASSWORD, '192.0.2.10');
      server.clock.advance(1000);
      await expectAwsError(() => passwordSignIn(clientId, 'ann', 'Wrong-Passw0rd!'), 'NotAuthorizedException', 'Incorrect username or password.');
      server.clock.advance(1000);
      const tokens = await passwordSignIn(clientId, 'ann', PASSWORD);
      assert.ok(tokens.AuthenticationResult?.AccessToken);

      const all = (await events(poolId, 'ann')).AuthEvents as AuthEventType[];
      assert.equal(all.length, 3);
      const [third, second, first] = all as [AuthEventType, AuthEventType, AuthEventType];
      assert.deepEqual(
        { ...first, EventId: undefined },
        {
          EventId: undefined,
          EventType: 'SignIn',
          CreationDate: new Date(start),
          EventResponse: 'Pass',
          EventRisk: { RiskDecision: 'NoRisk', RiskLevel: 'Low', CompromisedCredentialsDetected: false },
          ChallengeResponses: [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }],
          EventContextData: { IpAddress: '192.0.2.10', DeviceName: 'Chrome, Windows' },
        },
      );
      assert.match(first.EventId as string, /^[\w-]+$/);
      assert.equal(second.EventResponse, 'Fail');
      assert.deepEqual(second.ChallengeResponses, [{ ChallengeName: 'Password', ChallengeResponse: 'Failure' }]);
      assert.equal(third.EventResponse, 'Pass');
      // The public operation judges the request's own source address (loopback here).
      assert.match(third.EventContextData?.IpAddress as string, /^(::ffff:)?127\.0\.0\.1$|^::1$/);
      assert.equal(third.EventContextData?.DeviceName, undefined);

      // Paging: MaxResults 1, then the rest; AWS's NextToken form <EventId>#<date>.
      const page1 = await events(poolId, 'ann', 1);
      assert.deepEqual(page1.AuthEvents?.map((e) => e.EventId), [third.EventId]);
      assert.equal(page1.NextToken, `${third.EventId as string}#${new Date(start + 2000).toISOString()}`);
      const page2 = await events(poolId, 'ann', 2, page1.NextToken);
      assert.deepEqual(page2.AuthEvents?.map((e) => e.EventId), [second.EventId, first.EventId]);
      assert.equal(page2.NextToken, undefined);
      // MaxResults 0 is 60; the user may be named by sub.
      const sub = (await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ann' }))).UserAttributes?.find((a) => a.Name === 'sub')?.Value as string;
      assert.equal((await events(poolId, sub, 0)).AuthEvents?.length, 3);
      await expectAwsError(() => events(poolId, 'ann', 10, 'garbage'), 'InvalidParameterException', 'The pagination token is invalid.');
      await expectAwsError(() => events(poolId, 'nobody'), 'UserNotFoundException', 'User does not exist.');
    });

    it('an SRP sign-in is recorded at PASSWORD_VERIFIER; an MFA step completes the event InProgress', async () => {
      const { poolId, clientId } = await createPoolWithClient(
        server.client,
        { PoolName: 'tp-mfa', UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } },
        { ExplicitAuthFlows: [...FLOWS, 'ALLOW_USER_SRP_AUTH'] },
      );
      await createConfirmedUser(server.client, poolId, 'sam', { password: PASSWORD });
      const start = await srpStart(server, poolId, clientId, 'sam');
      assert.deepEqual((await events(poolId, 'sam')).AuthEvents, [], 'nothing is proven by the first SRP step');
      const done = await srpRespond(server, clientId, await srpAnswer(start, poolId, PASSWORD, srpTimestamp(server.clock.nowMs())), start.session);
      assert.ok(done.AuthenticationResult);
      assert.deepEqual(
        (await events(poolId, 'sam')).AuthEvents?.map((e) => [e.EventResponse, e.ChallengeResponses]),
        [['Pass', [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }]]],
      );

      await server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      await createConfirmedUser(server.client, poolId, 'tom', { password: PASSWORD });
      server.clock.advance(1000);
      const access = (await passwordSignIn(clientId, 'tom', PASSWORD)).AuthenticationResult?.AccessToken as string;
      const secret = (await server.client.send(new AssociateSoftwareTokenCommand({ AccessToken: access }))).SecretCode as string;
      await server.client.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: authenticatorCode(secret, server.clock.nowMs()) }));
      await server.client.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
      server.clock.advance(30_000);

      const challenge = await passwordSignIn(clientId, 'tom', PASSWORD);
      assert.equal(challenge.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      const latest = async () => ((await events(poolId, 'tom', 1)).AuthEvents as [AuthEventType])[0];
      assert.deepEqual([(await latest()).EventResponse, (await latest()).ChallengeResponses], ['InProgress', [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }]]);
      const answer = (code: string) =>
        server.client.send(
          new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: challenge.Session, ChallengeResponses: { USERNAME: 'tom', SOFTWARE_TOKEN_MFA_CODE: code } }),
        );
      await expectAwsError(() => answer(authenticatorCode(secret, server.clock.nowMs() + 120_000)), 'CodeMismatchException');
      assert.equal((await latest()).EventResponse, 'InProgress', 'a wrong code leaves the sign-in under way');
      assert.ok((await answer(authenticatorCode(secret, server.clock.nowMs()))).AuthenticationResult);
      const finished = await latest();
      assert.deepEqual(
        [finished.EventResponse, finished.ChallengeResponses],
        [
          'Pass',
          [
            { ChallengeName: 'Password', ChallengeResponse: 'Success' },
            { ChallengeName: 'Mfa', ChallengeResponse: 'Failure' },
            { ChallengeName: 'Mfa', ChallengeResponse: 'Success' },
          ],
        ],
      );
      assert.equal((await events(poolId, 'tom')).AuthEvents?.length, 2, 'one event per sign-in');
    });

    it('records nothing while the mode is OFF', async () => {
      const { poolId, clientId } = await createPoolWithClient(server.client, { PoolName: 'off', UserPoolTier: 'PLUS' }, { ExplicitAuthFlows: [...FLOWS] });
      await createConfirmedUser(server.client, poolId, 'olga', { password: PASSWORD });
      await passwordSignIn(clientId, 'olga', PASSWORD);
      await server.client.send(new UpdateUserPoolCommand({ UserPoolId: poolId, UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } }));
      assert.deepEqual((await events(poolId, 'olga')).AuthEvents, []);
    });

    it('takes feedback from the administrator and, with the event’s FeedbackToken, from the user', async () => {
      const { poolId, clientId } = await plusPool('AUDIT');
      await createConfirmedUser(server.client, poolId, 'fay', { password: PASSWORD });
      await passwordSignIn(clientId, 'fay', PASSWORD);
      const [event] = (await events(poolId, 'fay')).AuthEvents as [AuthEventType];
      const eventId = event.EventId as string;

      server.clock.advance(5000);
      await server.client.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'fay', EventId: eventId, FeedbackValue: 'Invalid' }));
      let [seen] = (await events(poolId, 'fay')).AuthEvents as [AuthEventType];
      assert.deepEqual(seen.EventFeedback, { FeedbackValue: 'Invalid', Provider: 'Admin', FeedbackDate: new Date(server.clock.nowMs()) });

      await expectAwsError(
        () => server.client.send(new UpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'fay', EventId: eventId, FeedbackToken: 'not-the-token', FeedbackValue: 'Valid' })),
        'NotAuthorizedException',
        'Invalid feedback token.',
      );
      const token = feedbackToken(server.app.deps.secrets, poolId, eventId);
      await server.client.send(new UpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'fay', EventId: eventId, FeedbackToken: token, FeedbackValue: 'Valid' }));
      [seen] = (await events(poolId, 'fay')).AuthEvents as [AuthEventType];
      assert.equal(seen.EventFeedback?.FeedbackValue, 'Valid');
      assert.equal(seen.EventFeedback?.Provider, 'User');

      await expectAwsError(
        () => server.client.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'fay', EventId: 'no-such-event', FeedbackValue: 'Valid' })),
        'ResourceNotFoundException',
        'Auth event no-such-event does not exist.',
      );
      // Another user's event is not this user's.
      await createConfirmedUser(server.client, poolId, 'gus', { password: PASSWORD });
      await expectAwsError(
        () => server.client.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'gus', EventId: eventId, FeedbackValue: 'Valid' })),
        'ResourceNotFoundException',
        `Auth event ${eventId} does not exist.`,
      );
      await expectAwsError(
        () => server.client.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'nobody', EventId: eventId, FeedbackValue: 'Valid' })),
        'UserNotFoundException',
        'User does not exist.',
      );
    });
  });

  describe('blocked and skipped IP ranges', () => {
    it('ENFORCED refuses sign-ins from a blocked range and records them; a skipped range overrides; AUDIT only records', async () => {
      const { poolId, clientId } = await plusPool('ENFORCED');
      await createConfirmedUser(server.client, poolId, 'ivy', { password: PASSWORD });
      await setRisk({ UserPoolId: poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['198.51.100.0/24', '2001:db8::/32'], SkippedIPRangeList: ['198.51.100.7/32'] } });

      // The clock moves between sign-ins so that the newest-first order is the order of the calls.
      await expectAwsError(() => adminSignIn(poolId, clientId, 'ivy', PASSWORD, '198.51.100.20'), 'NotAuthorizedException', BLOCKED_IP);
      server.clock.advance(1000);
      await expectAwsError(() => adminSignIn(poolId, clientId, 'ivy', PASSWORD, '2001:db8::1'), 'NotAuthorizedException', BLOCKED_IP);
      server.clock.advance(1000);
      // Blocked before the password is looked at: a wrong one gets the same answer.
      await expectAwsError(() => adminSignIn(poolId, clientId, 'ivy', 'Wrong-Passw0rd!', '198.51.100.20'), 'NotAuthorizedException', BLOCKED_IP);
      server.clock.advance(1000);
      assert.ok((await adminSignIn(poolId, clientId, 'ivy', PASSWORD, '198.51.100.7')).AuthenticationResult, 'the skipped address is not blocked');
      server.clock.advance(1000);
      assert.ok((await adminSignIn(poolId, clientId, 'ivy', PASSWORD, '203.0.113.1')).AuthenticationResult);
      server.clock.advance(1000);

      const recorded = (await events(poolId, 'ivy')).AuthEvents as AuthEventType[];
      assert.deepEqual(
        recorded.map((e) => [e.EventResponse, e.EventRisk?.RiskDecision, e.EventContextData?.IpAddress]),
        [
          ['Pass', 'NoRisk', '203.0.113.1'],
          ['Pass', 'NoRisk', '198.51.100.7'],
          ['Fail', 'Block', '198.51.100.20'],
          ['Fail', 'Block', '2001:db8::1'],
          ['Fail', 'Block', '198.51.100.20'],
        ],
      );

      // A client's own configuration replaces the pool's: no blocked ranges for it.
      const other = (await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'other', ExplicitAuthFlows: [...FLOWS] }))).UserPoolClient?.ClientId as string;
      await setRisk({ UserPoolId: poolId, ClientId: other, CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'NO_ACTION' } } });
      assert.ok((await adminSignIn(poolId, other, 'ivy', PASSWORD, '198.51.100.20')).AuthenticationResult);

      // AUDIT: recorded as the decision it would be, never refused.
      await server.client.send(new UpdateUserPoolCommand({ UserPoolId: poolId, UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } }));
      server.clock.advance(1000);
      assert.ok((await adminSignIn(poolId, clientId, 'ivy', PASSWORD, '198.51.100.20')).AuthenticationResult);
      const [latest] = (await events(poolId, 'ivy', 1)).AuthEvents as [AuthEventType];
      assert.deepEqual([latest.EventResponse, latest.EventRisk?.RiskDecision], ['Pass', 'Block']);
    });
  });

  describe('compromised credentials', () => {
    it('ENFORCED with BLOCK: sign-up and password change refuse a listed password; a sign-in with it resets the user', async () => {
      const { poolId, clientId } = await plusPool('ENFORCED');
      await setRisk({ UserPoolId: poolId, CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } } });

      await expectAwsError(
        () => server.client.send(new SignUpCommand({ ClientId: clientId, Username: 'newbie', Password: LEAKED, UserAttributes: [{ Name: 'email', Value: 'newbie@example.com' }] })),
        'InvalidPasswordException',
        COMPROMISED,
      );
      await server.client.send(new SignUpCommand({ ClientId: clientId, Username: 'newbie', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'newbie@example.com' }] }));
      assert.deepEqual(
        (await events(poolId, 'newbie')).AuthEvents?.map((e) => [e.EventType, e.EventResponse]),
        [['SignUp', 'Pass']],
      );

      // A user whose password is on the list (set by the administrator, which is not checked).
      await createConfirmedUser(server.client, poolId, 'leo', { password: LEAKED });
      // A wrong password is only wrong: nobody can lock another user out with a guess.
      await expectAwsError(() => passwordSignIn(clientId, 'leo', OTHER_LEAKED), 'NotAuthorizedException', 'Incorrect username or password.');
      server.clock.advance(1000);
      await expectAwsError(() => passwordSignIn(clientId, 'leo', LEAKED), 'PasswordResetRequiredException', 'Password reset required for the user');
      assert.equal((await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'leo' }))).UserStatus, 'RESET_REQUIRED');
      const [blocked, wrong] = (await events(poolId, 'leo')).AuthEvents as [AuthEventType, AuthEventType];
      assert.deepEqual(
        [blocked.EventResponse, blocked.EventRisk, blocked.ChallengeResponses],
        ['Fail', { RiskDecision: 'Block', RiskLevel: 'Low', CompromisedCredentialsDetected: true }, [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }]],
      );
      assert.deepEqual([wrong.EventResponse, wrong.EventRisk?.CompromisedCredentialsDetected], ['Fail', true]);

      // Password change.
      await createConfirmedUser(server.client, poolId, 'max', { password: PASSWORD });
      const access = (await passwordSignIn(clientId, 'max', PASSWORD)).AuthenticationResult?.AccessToken as string;
      server.clock.advance(1000);
      await expectAwsError(
        () => server.client.send(new ChangePasswordCommand({ AccessToken: access, PreviousPassword: PASSWORD, ProposedPassword: OTHER_LEAKED })),
        'InvalidPasswordException',
        COMPROMISED,
      );
      server.clock.advance(1000);
      await server.client.send(new ChangePasswordCommand({ AccessToken: access, PreviousPassword: PASSWORD, ProposedPassword: 'Brand-New-Passw0rd!' }));
      assert.deepEqual(
        (await events(poolId, 'max')).AuthEvents?.map((e) => [e.EventType, e.EventResponse, e.EventRisk?.CompromisedCredentialsDetected]),
        [
          ['PasswordChange', 'Pass', false],
          ['PasswordChange', 'Fail', true],
          ['SignIn', 'Pass', false],
        ],
      );
    });

    it('AUDIT (and NO_ACTION, and events left out of EventFilter) only record what was found', async () => {
      const { poolId, clientId } = await plusPool('AUDIT');
      await setRisk({ UserPoolId: poolId, CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } } });
      await server.client.send(new SignUpCommand({ ClientId: clientId, Username: 'nia', Password: LEAKED, UserAttributes: [{ Name: 'email', Value: 'nia@example.com' }] }));
      await createConfirmedUser(server.client, poolId, 'ole', { password: LEAKED });
      assert.ok((await passwordSignIn(clientId, 'ole', LEAKED)).AuthenticationResult);
      assert.deepEqual(
        (await events(poolId, 'nia')).AuthEvents?.map((e) => [e.EventType, e.EventRisk?.CompromisedCredentialsDetected]),
        [['SignUp', true]],
      );
      assert.deepEqual(
        (await events(poolId, 'ole')).AuthEvents?.map((e) => [e.EventResponse, e.EventRisk?.RiskDecision, e.EventRisk?.CompromisedCredentialsDetected]),
        [['Pass', 'NoRisk', true]],
      );

      const enforced = await plusPool('ENFORCED');
      await setRisk({ UserPoolId: enforced.poolId, CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_UP'], Actions: { EventAction: 'BLOCK' } } });
      await createConfirmedUser(server.client, enforced.poolId, 'pia', { password: LEAKED });
      assert.ok((await passwordSignIn(enforced.clientId, 'pia', LEAKED)).AuthenticationResult, 'SIGN_IN is not in the filter');
      server.clock.advance(1000);
      await setRisk({ UserPoolId: enforced.poolId, CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'NO_ACTION' } } });
      assert.ok((await passwordSignIn(enforced.clientId, 'pia', LEAKED)).AuthenticationResult, 'NO_ACTION');
      const [latest] = (await events(enforced.poolId, 'pia', 1)).AuthEvents as [AuthEventType];
      assert.equal(latest.EventRisk?.CompromisedCredentialsDetected, true);
    });
  });
});
