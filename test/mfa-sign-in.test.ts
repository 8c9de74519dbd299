import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  ConfirmForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { latestCode, messagesFor } from './support/outbox.js';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';
import { srpAnswer, srpRespond, srpStart, srpTimestamp } from './support/srp-client.js';
import { authenticatorCode } from './support/totp.js';

const PASSWORD = 'Correct-Horse-1';
const NEW_PASSWORD = 'Battery-Staple-2';
const TEMP_PASSWORD = 'Temp-Pass-1!';
const MISMATCH = 'Invalid code or auth state for the user.';
const EXPIRED_SESSION = 'Invalid session for the user, session is expired.';
const SMS_CONFIG = { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns', ExternalId: 'x' };
const DEVELOPER_EMAIL = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com' };
/** The server's default code attempt limit per user and hour. */
const ATTEMPTS = 5;

for (const dialect of E2E_DIALECTS) describe(`MFA challenges at sign-in (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ dialect });
  });
  after(() => server.close());

  async function mfaPool(factors: { totp?: boolean; sms?: boolean; email?: boolean }, mode: 'ON' | 'OPTIONAL' = 'OPTIONAL') {
    const made = await createPoolWithClient(
      server.client,
      { PoolName: 'mfa', EmailConfiguration: DEVELOPER_EMAIL, SmsAuthenticationMessage: 'Your sign-in code: {####}' },
      { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    );
    await server.client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: made.poolId,
        MfaConfiguration: mode,
        ...(factors.totp && { SoftwareTokenMfaConfiguration: { Enabled: true } }),
        ...(factors.sms && { SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your sign-in code: {####}', SmsConfiguration: SMS_CONFIG } }),
        ...(factors.email && { EmailMfaConfiguration: { Message: 'Email code {####}', Subject: 'Your sign-in code' } }),
      }),
    );
    return made;
  }

  const signIn = (clientId: string, username: string, password = PASSWORD) =>
    server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));

  const respond = (clientId: string, challenge: InitiateAuthCommandOutput, responses: Record<string, string>) =>
    server.client.send(
      new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: challenge.ChallengeName, Session: challenge.Session, ChallengeResponses: responses }),
    );

  /** A confirmed user with a verified, preferred authenticator; returns its secret. */
  async function totpUser(poolId: string, clientId: string, username: string, attributes = [{ Name: 'email', Value: `${username}@example.com` }]): Promise<string> {
    await createConfirmedUser(server.client, poolId, username, { password: PASSWORD, attributes });
    const res = await signIn(clientId, username);
    const token = res.AuthenticationResult?.AccessToken as string;
    assert.ok(token, `expected tokens before MFA is set up, got ${res.ChallengeName}`);
    const secret = (await server.client.send(new AssociateSoftwareTokenCommand({ AccessToken: token }))).SecretCode as string;
    await server.client.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: authenticatorCode(secret, server.clock.nowMs()) }));
    await server.client.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    // The next code step, so that the setup's code is not the one the sign-in sends.
    server.clock.advance(30_000);
    return secret;
  }

  it('SOFTWARE_TOKEN_MFA after USER_PASSWORD_AUTH: a wrong code is CodeMismatchException, the right one gives tokens, and a code works once', async () => {
    const { poolId, clientId } = await mfaPool({ totp: true });
    const secret = await totpUser(poolId, clientId, 'alice');
    const challenge = await signIn(clientId, 'alice');
    assert.equal(challenge.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    assert.equal(challenge.AuthenticationResult, undefined);
    assert.ok(challenge.Session);
    const wrong = authenticatorCode(secret, server.clock.nowMs() + 120_000);
    await expectAwsError(() => respond(clientId, challenge, { USERNAME: 'alice', SOFTWARE_TOKEN_MFA_CODE: wrong }), 'CodeMismatchException', MISMATCH);
    const code = authenticatorCode(secret, server.clock.nowMs());
    const done = await respond(clientId, challenge, { USERNAME: 'alice', SOFTWARE_TOKEN_MFA_CODE: code });
    assert.ok(done.AuthenticationResult?.IdToken);
    assert.ok(done.AuthenticationResult?.RefreshToken);
    // The same code again, in a new sign-in: refused.
    const again = await signIn(clientId, 'alice');
    await expectAwsError(() => respond(clientId, again, { USERNAME: 'alice', SOFTWARE_TOKEN_MFA_CODE: code }), 'CodeMismatchException', MISMATCH);
    // A session of another challenge, a missing session, another user: refused.
    await expectAwsError(
      () => server.client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SMS_MFA', Session: again.Session, ChallengeResponses: { USERNAME: 'alice', SMS_MFA_CODE: '123456' } })),
      'NotAuthorizedException',
      EXPIRED_SESSION,
    );
    await expectAwsError(
      () => server.client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', ChallengeResponses: { USERNAME: 'alice', SOFTWARE_TOKEN_MFA_CODE: '123456' } })),
      'InvalidParameterException',
      'Missing required parameter Session',
    );
    // The session expires with the client's AuthSessionValidity (3 minutes by default).
    server.clock.advance(3 * 60_000);
    await expectAwsError(
      () => respond(clientId, again, { USERNAME: 'alice', SOFTWARE_TOKEN_MFA_CODE: authenticatorCode(secret, server.clock.nowMs()) }),
      'NotAuthorizedException',
      EXPIRED_SESSION,
    );
  });

  it('SOFTWARE_TOKEN_MFA after USER_SRP_AUTH and through AdminInitiateAuth / AdminRespondToAuthChallenge', async () => {
    const { poolId, clientId } = await mfaPool({ totp: true });
    const secret = await totpUser(poolId, clientId, 'srp-user');
    const start = await srpStart(server, poolId, clientId, 'srp-user');
    const verifier = await srpRespond(server, clientId, await srpAnswer(start, poolId, PASSWORD, srpTimestamp(server.clock.nowMs())), start.session);
    assert.equal(verifier.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    const done = await respond(clientId, verifier, { USERNAME: 'srp-user', SOFTWARE_TOKEN_MFA_CODE: authenticatorCode(secret, server.clock.nowMs()) });
    assert.ok(done.AuthenticationResult?.AccessToken);

    server.clock.advance(30_000);
    const admin = await server.client.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'srp-user', PASSWORD } }),
    );
    assert.equal(admin.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    const adminDone = await server.client.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: admin.Session,
        ChallengeResponses: { USERNAME: 'srp-user', SOFTWARE_TOKEN_MFA_CODE: authenticatorCode(secret, server.clock.nowMs()) },
      }),
    );
    assert.ok(adminDone.AuthenticationResult?.IdToken);
  });

  it('SMS_MFA: the code goes through the outbox with the pool message; the parameters name the medium and the masked phone', async () => {
    const { poolId, clientId } = await mfaPool({ sms: true });
    await createConfirmedUser(server.client, poolId, 'sam', { password: PASSWORD, attributes: [{ Name: 'phone_number', Value: '+15555550123' }] });
    await server.client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'sam', SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
    const challenge = await signIn(clientId, 'sam');
    assert.equal(challenge.ChallengeName, 'SMS_MFA');
    assert.equal(challenge.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, 'SMS');
    assert.equal(challenge.ChallengeParameters?.CODE_DELIVERY_DESTINATION, '+*******0123');
    const message = (await messagesFor(server, poolId, 'sam')).at(-1);
    assert.equal(message?.channel, 'SMS');
    assert.equal(message?.trigger, 'Authentication');
    assert.equal(message?.destination, '+15555550123');
    assert.equal(message?.payload.body, 'Your sign-in code: {####}');
    const code = await latestCode(server, poolId, 'sam');
    const wrong = code === '000000' ? '111111' : '000000';
    await expectAwsError(() => respond(clientId, challenge, { USERNAME: 'sam', SMS_MFA_CODE: wrong }), 'CodeMismatchException', MISMATCH);
    const unproven = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'sam' }));
    assert.equal(unproven.UserAttributes?.find((a) => a.Name === 'phone_number_verified'), undefined);
    const done = await respond(clientId, challenge, { USERNAME: 'sam', SMS_MFA_CODE: code });
    assert.ok(done.AuthenticationResult?.AccessToken);
    // A passed SMS_MFA proves the phone number.
    const proven = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'sam' }));
    assert.equal(proven.UserAttributes?.find((a) => a.Name === 'phone_number_verified')?.Value, 'true');
    // Used up.
    await expectAwsError(() => respond(clientId, challenge, { USERNAME: 'sam', SMS_MFA_CODE: code }), 'ExpiredCodeException');
  });

  it('EMAIL_OTP: the email MFA message and subject, the code from the outbox', async () => {
    const { poolId, clientId } = await mfaPool({ email: true });
    await createConfirmedUser(server.client, poolId, 'erin', { password: PASSWORD });
    await server.client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'erin', EmailMfaSettings: { Enabled: true } }));
    const challenge = await signIn(clientId, 'erin');
    assert.equal(challenge.ChallengeName, 'EMAIL_OTP');
    assert.equal(challenge.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, 'EMAIL');
    assert.equal(challenge.ChallengeParameters?.CODE_DELIVERY_DESTINATION, 'e***@e***');
    const message = (await messagesFor(server, poolId, 'erin')).at(-1);
    assert.equal(message?.channel, 'EMAIL');
    assert.equal(message?.payload.subject, 'Your sign-in code');
    assert.equal(message?.payload.body, 'Email code {####}');
    const done = await respond(clientId, challenge, { USERNAME: 'erin', EMAIL_OTP_CODE: await latestCode(server, poolId, 'erin') });
    assert.ok(done.AuthenticationResult?.AccessToken);
  });

  it('SELECT_MFA_TYPE: several factors and none preferred; the answer leads to that factor', async () => {
    const { poolId, clientId } = await mfaPool({ totp: true, sms: true });
    const secret = await totpUser(poolId, clientId, 'sel', [{ Name: 'phone_number', Value: '+15555550124' }]);
    await server.client.send(
      new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'sel', SMSMfaSettings: { Enabled: true }, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false } }),
    );
    const select = await signIn(clientId, 'sel');
    assert.equal(select.ChallengeName, 'SELECT_MFA_TYPE');
    assert.deepEqual(JSON.parse(select.ChallengeParameters?.MFAS_CAN_CHOOSE ?? '[]'), ['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);
    await expectAwsError(() => respond(clientId, select, { USERNAME: 'sel', ANSWER: 'EMAIL_OTP' }), 'InvalidParameterException');
    const totp = await respond(clientId, select, { USERNAME: 'sel', ANSWER: 'SOFTWARE_TOKEN_MFA' });
    assert.equal(totp.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    const done = await respond(clientId, totp, { USERNAME: 'sel', SOFTWARE_TOKEN_MFA_CODE: authenticatorCode(secret, server.clock.nowMs()) });
    assert.ok(done.AuthenticationResult?.AccessToken);
    const sms = await respond(clientId, await signIn(clientId, 'sel'), { USERNAME: 'sel', ANSWER: 'SMS_MFA' });
    assert.equal(sms.ChallengeName, 'SMS_MFA');
    assert.ok((await respond(clientId, sms, { USERNAME: 'sel', SMS_MFA_CODE: await latestCode(server, poolId, 'sel') })).AuthenticationResult);
  });

  it('MFA_SETUP: pool ON, a user without a factor sets up an authenticator with the session and signs in', async () => {
    const { poolId, clientId } = await mfaPool({ totp: true }, 'ON');
    await createConfirmedUser(server.client, poolId, 'newbie', { password: PASSWORD });
    const setup = await signIn(clientId, 'newbie');
    assert.equal(setup.ChallengeName, 'MFA_SETUP');
    assert.deepEqual(JSON.parse(setup.ChallengeParameters?.MFAS_CAN_SETUP ?? '[]'), ['SOFTWARE_TOKEN_MFA']);
    // Answering before any authenticator is verified: refused.
    await expectAwsError(() => respond(clientId, setup, { USERNAME: 'newbie' }), 'SoftwareTokenMFANotFoundException', 'Software Token MFA does not exist for the user.');
    const associated = await server.client.send(new AssociateSoftwareTokenCommand({ Session: setup.Session }));
    assert.ok(associated.Session);
    const secret = associated.SecretCode as string;
    const verified = await server.client.send(
      new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: authenticatorCode(secret, server.clock.nowMs()), FriendlyDeviceName: 'my phone' }),
    );
    assert.equal(verified.Status, 'SUCCESS');
    const done = await server.client.send(
      new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'MFA_SETUP', Session: verified.Session, ChallengeResponses: { USERNAME: 'newbie' } }),
    );
    assert.ok(done.AuthenticationResult?.AccessToken);
    const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'newbie' }));
    assert.deepEqual(user.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    assert.equal(user.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
    server.clock.advance(30_000);
    const next = await signIn(clientId, 'newbie');
    assert.equal(next.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    // A sign-in session is not an MFA_SETUP session.
    await expectAwsError(() => server.client.send(new AssociateSoftwareTokenCommand({ Session: next.Session })), 'NotAuthorizedException', EXPIRED_SESSION);
  });

  it('NEW_PASSWORD_REQUIRED is followed by the second factor (pool ON, SMS to the phone number)', async () => {
    const { poolId, clientId } = await mfaPool({ sms: true }, 'ON');
    await server.client.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'invited', TemporaryPassword: TEMP_PASSWORD, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'phone_number', Value: '+15555550125' }] }),
    );
    const first = await signIn(clientId, 'invited', TEMP_PASSWORD);
    assert.equal(first.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    const sms = await respond(clientId, first, { USERNAME: 'invited', NEW_PASSWORD });
    assert.equal(sms.ChallengeName, 'SMS_MFA');
    const done = await respond(clientId, sms, { USERNAME: 'invited', SMS_MFA_CODE: await latestCode(server, poolId, 'invited') });
    assert.ok(done.AuthenticationResult?.AccessToken);
  });

  it('wrong codes stop at the attempt limit, and parallel guesses cannot pass it (TOTP)', async () => {
    const { poolId, clientId } = await mfaPool({ totp: true });
    const secret = await totpUser(poolId, clientId, 'guessed');
    const challenge = await signIn(clientId, 'guessed');
    const right = authenticatorCode(secret, server.clock.nowMs());
    const wrongs = Array.from({ length: 20 }, (_, i) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0'));
    const outcomes = await Promise.allSettled(wrongs.map((code) => respond(clientId, challenge, { USERNAME: 'guessed', SOFTWARE_TOKEN_MFA_CODE: code })));
    const names = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).name : 'ok'));
    assert.equal(names.filter((n) => n === 'CodeMismatchException').length, ATTEMPTS);
    assert.equal(names.filter((n) => n === 'NotAuthorizedException').length, 20 - ATTEMPTS);
    // Past the limit even the right code is refused.
    await expectAwsError(() => respond(clientId, challenge, { USERNAME: 'guessed', SOFTWARE_TOKEN_MFA_CODE: right }), 'NotAuthorizedException', 'Password attempts exceeded');
  });

  it('wrong codes stop at the attempt limit (SMS)', async () => {
    const { poolId, clientId } = await mfaPool({ sms: true });
    await createConfirmedUser(server.client, poolId, 'smsguess', { password: PASSWORD, attributes: [{ Name: 'phone_number', Value: '+15555550126' }] });
    await server.client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'smsguess', SMSMfaSettings: { Enabled: true } }));
    const challenge = await signIn(clientId, 'smsguess');
    const code = await latestCode(server, poolId, 'smsguess');
    const wrongs = Array.from({ length: 12 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    const outcomes = await Promise.allSettled(wrongs.map((c) => respond(clientId, challenge, { USERNAME: 'smsguess', SMS_MFA_CODE: c })));
    const names = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).name : 'ok'));
    assert.equal(names.filter((n) => n === 'CodeMismatchException').length, ATTEMPTS);
    assert.equal(names.filter((n) => n === 'NotAuthorizedException').length, 12 - ATTEMPTS);
    await expectAwsError(() => respond(clientId, challenge, { USERNAME: 'smsguess', SMS_MFA_CODE: code }), 'NotAuthorizedException', 'Password attempts exceeded');
  });

  it('the reset story: AdminResetUserPassword ends an MFA session; after ConfirmForgotPassword the next sign-in still asks for the second factor', async () => {
    const { poolId, clientId } = await mfaPool({ totp: true });
    const secret = await totpUser(poolId, clientId, 'reset-me', [
      { Name: 'email', Value: 'reset-me@example.com' },
      { Name: 'email_verified', Value: 'true' },
    ]);
    const pending = await signIn(clientId, 'reset-me');
    assert.equal(pending.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'reset-me' }));
    await expectAwsError(
      () => respond(clientId, pending, { USERNAME: 'reset-me', SOFTWARE_TOKEN_MFA_CODE: authenticatorCode(secret, server.clock.nowMs()) }),
      'NotAuthorizedException',
      EXPIRED_SESSION,
    );
    await expectAwsError(() => signIn(clientId, 'reset-me'), 'PasswordResetRequiredException', 'Password reset required for the user');
    const code = await latestCode(server, poolId, 'reset-me');
    await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'reset-me', ConfirmationCode: code, Password: NEW_PASSWORD }));
    server.clock.advance(30_000);
    const challenge = await signIn(clientId, 'reset-me', NEW_PASSWORD);
    assert.equal(challenge.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    const done = await respond(clientId, challenge, { USERNAME: 'reset-me', SOFTWARE_TOKEN_MFA_CODE: authenticatorCode(secret, server.clock.nowMs()) });
    assert.ok(done.AuthenticationResult?.AccessToken);
  });
});
