import {
  AdminDisableUserCommand,
  AdminResetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  AdminInitiateAuthCommand,
  AdminGetUserAuthFactorsCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand,
  GetUserAuthFactorsCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  type AuthFactorType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient, verifiedEmail } from './support/fixtures.js';
import { latestCode, messagesFor } from './support/outbox.js';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';
import { newHelper, srpAnswer, srpTimestamp } from './support/srp-client.js';

const PASSWORD = 'Correct-Horse-1';
const MISMATCH = 'Invalid code or auth state for the user.';
const EXPIRED_SESSION = 'Invalid session for the user, session is expired.';
const DEVELOPER_EMAIL = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com' };
const SMS_CONFIG = { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns', ExternalId: 'x' };
const FLOWS = ['ALLOW_USER_AUTH' as const, 'ALLOW_REFRESH_TOKEN_AUTH' as const];

/** Choice-based sign-in, USER_AUTH (cognito-facts-areas.md §3.3), through the AWS SDK. */
for (const dialect of E2E_DIALECTS) describe(`passwordless sign-in with USER_AUTH (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ dialect });
  });
  after(() => server.close());

  async function pool(factors: AuthFactorType[] = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'], flows: string[] = FLOWS) {
    return createPoolWithClient(
      server.client,
      {
        PoolName: 'passwordless',
        EmailConfiguration: DEVELOPER_EMAIL,
        SmsConfiguration: SMS_CONFIG,
        AutoVerifiedAttributes: ['email'],
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: factors } },
      },
      { ExplicitAuthFlows: flows as never },
    );
  }

  const start = (clientId: string, params: Record<string, string>) =>
    server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: params }));

  const respond = (clientId: string, challenge: InitiateAuthCommandOutput, name: string | undefined, responses: Record<string, string>) =>
    server.client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: name as never, Session: challenge.Session, ChallengeResponses: responses }));

  const phoneUser = (username: string) => [
    ...verifiedEmail(username),
    { Name: 'phone_number', Value: '+15555550123' },
    { Name: 'phone_number_verified', Value: 'true' },
  ];

  it('without a preference answers SELECT_CHALLENGE with the available challenges, then EMAIL_OTP signs in', async () => {
    const { poolId, clientId } = await pool();
    await createConfirmedUser(server.client, poolId, 'ana', { password: PASSWORD, attributes: phoneUser('ana') });
    const choice = await start(clientId, { USERNAME: 'ana' });
    assert.equal(choice.ChallengeName, 'SELECT_CHALLENGE');
    assert.deepEqual(choice.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP']);
    assert.ok(choice.Session);

    const before = (await messagesFor(server, poolId, 'ana')).length;
    const otp = await respond(clientId, choice, 'SELECT_CHALLENGE', { USERNAME: 'ana', ANSWER: 'EMAIL_OTP' });
    assert.equal(otp.ChallengeName, 'EMAIL_OTP');
    assert.equal(otp.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, 'EMAIL');
    assert.equal(otp.ChallengeParameters?.CODE_DELIVERY_DESTINATION, 'a***@e***');
    const messages = await messagesFor(server, poolId, 'ana');
    assert.equal(messages.length, before + 1);
    assert.equal(messages.at(-1)?.channel, 'EMAIL');

    await expectAwsError(() => respond(clientId, otp, 'EMAIL_OTP', { USERNAME: 'ana', EMAIL_OTP_CODE: '000000' }), 'CodeMismatchException', MISMATCH);
    const code = await latestCode(server, poolId, 'ana');
    const done = await respond(clientId, otp, 'EMAIL_OTP', { USERNAME: 'ana', EMAIL_OTP_CODE: code });
    assert.ok(done.AuthenticationResult?.AccessToken);
    assert.ok(done.AuthenticationResult?.RefreshToken);
    // The code is spent (as an MFA code is: test/mfa-sign-in.test.ts).
    await expectAwsError(() => respond(clientId, otp, 'EMAIL_OTP', { USERNAME: 'ana', EMAIL_OTP_CODE: code }), 'ExpiredCodeException');
  });

  it('PREFERRED_CHALLENGE EMAIL_OTP and SMS_OTP send the code at once; SMS_OTP is answered with SMS_OTP_CODE', async () => {
    const { poolId, clientId } = await pool();
    await createConfirmedUser(server.client, poolId, 'bo', { password: PASSWORD, attributes: phoneUser('bo') });
    const email = await start(clientId, { USERNAME: 'bo', PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    assert.equal(email.ChallengeName, 'EMAIL_OTP');
    assert.equal(email.AvailableChallenges, undefined);

    const sms = await start(clientId, { USERNAME: 'bo', PREFERRED_CHALLENGE: 'SMS_OTP' });
    assert.equal(sms.ChallengeName, 'SMS_OTP');
    assert.equal(sms.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, 'SMS');
    assert.equal((await messagesFor(server, poolId, 'bo')).at(-1)?.channel, 'SMS');
    const code = await latestCode(server, poolId, 'bo');
    // An SMS_OTP session answers only SMS_OTP.
    await expectAwsError(() => respond(clientId, sms, 'EMAIL_OTP', { USERNAME: 'bo', EMAIL_OTP_CODE: code }), 'NotAuthorizedException', EXPIRED_SESSION);
    const done = await respond(clientId, sms, 'SMS_OTP', { USERNAME: 'bo', SMS_OTP_CODE: code });
    assert.ok(done.AuthenticationResult?.IdToken);
  });

  it('PREFERRED_CHALLENGE PASSWORD signs in with the inline password; PASSWORD_SRP answers PASSWORD_VERIFIER', async () => {
    const { poolId, clientId } = await pool();
    await createConfirmedUser(server.client, poolId, 'cy', { password: PASSWORD, attributes: verifiedEmail('cy') });
    const tokens = await start(clientId, { USERNAME: 'cy', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
    assert.ok(tokens.AuthenticationResult?.AccessToken);
    await expectAwsError(() => start(clientId, { USERNAME: 'cy', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Wrong-Pass-1' }), 'NotAuthorizedException', 'Incorrect username or password.');
    await expectAwsError(() => start(clientId, { USERNAME: 'cy', PREFERRED_CHALLENGE: 'PASSWORD' }), 'InvalidParameterException', 'Missing required parameter PASSWORD');

    const srp = newHelper(poolId);
    const verifier = await start(clientId, { USERNAME: 'cy', PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: srp.A });
    assert.equal(verifier.ChallengeName, 'PASSWORD_VERIFIER');
    const proof = await srpAnswer({ ...srp, challenge: verifier.ChallengeParameters ?? {} }, poolId, PASSWORD, srpTimestamp(server.clock.nowMs()));
    const done = await respond(clientId, verifier, 'PASSWORD_VERIFIER', proof);
    assert.ok(done.AuthenticationResult?.AccessToken);
  });

  it('SELECT_CHALLENGE answers PASSWORD and PASSWORD_SRP inline, and refuses a choice not offered', async () => {
    const { poolId, clientId } = await pool(['PASSWORD', 'EMAIL_OTP']);
    await createConfirmedUser(server.client, poolId, 'di', { password: PASSWORD, attributes: verifiedEmail('di') });
    const choice = await start(clientId, { USERNAME: 'di' });
    assert.deepEqual(choice.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    await expectAwsError(() => respond(clientId, choice, 'SELECT_CHALLENGE', { USERNAME: 'di', ANSWER: 'SMS_OTP' }), 'InvalidParameterException', 'SMS_OTP is not one of the AvailableChallenges.');
    await expectAwsError(() => respond(clientId, choice, 'SELECT_CHALLENGE', { USERNAME: 'di', ANSWER: 'PASSWORD', PASSWORD: 'Wrong-Pass-1' }), 'NotAuthorizedException', 'Incorrect username or password.');
    const byPassword = await respond(clientId, choice, 'SELECT_CHALLENGE', { USERNAME: 'di', ANSWER: 'PASSWORD', PASSWORD });
    assert.ok(byPassword.AuthenticationResult?.AccessToken);

    const srp = newHelper(poolId);
    const verifier = await respond(clientId, choice, 'SELECT_CHALLENGE', { USERNAME: 'di', ANSWER: 'PASSWORD_SRP', SRP_A: srp.A });
    assert.equal(verifier.ChallengeName, 'PASSWORD_VERIFIER');
    const proof = await srpAnswer({ ...srp, challenge: verifier.ChallengeParameters ?? {} }, poolId, PASSWORD, srpTimestamp(server.clock.nowMs()));
    const done = await respond(clientId, verifier, 'PASSWORD_VERIFIER', proof);
    assert.ok(done.AuthenticationResult?.AccessToken);

    // The model's PASSWORD challenge form, against the same session.
    const direct = await respond(clientId, choice, 'PASSWORD', { USERNAME: 'di', PASSWORD });
    assert.ok(direct.AuthenticationResult?.AccessToken);
    // Another user cannot ride the session.
    await createConfirmedUser(server.client, poolId, 'eve', { password: PASSWORD, attributes: verifiedEmail('eve') });
    await expectAwsError(() => respond(clientId, choice, 'SELECT_CHALLENGE', { USERNAME: 'eve', ANSWER: 'PASSWORD', PASSWORD }), 'NotAuthorizedException', EXPIRED_SESSION);
  });

  it('a password first factor is followed by MFA as the pool requires; a code first factor is not', async () => {
    const { poolId, clientId } = await pool(['PASSWORD', 'EMAIL_OTP']);
    await server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: { Message: 'Code {####}', Subject: 'Code' } }));
    await createConfirmedUser(server.client, poolId, 'fay', { password: PASSWORD, attributes: verifiedEmail('fay') });
    await server.client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'fay', EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
    const mfa = await start(clientId, { USERNAME: 'fay', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
    assert.equal(mfa.ChallengeName, 'EMAIL_OTP');
    const passed = await respond(clientId, mfa, 'EMAIL_OTP', { USERNAME: 'fay', EMAIL_OTP_CODE: await latestCode(server, poolId, 'fay') });
    assert.ok(passed.AuthenticationResult?.AccessToken);

    const otp = await start(clientId, { USERNAME: 'fay', PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    const done = await respond(clientId, otp, 'EMAIL_OTP', { USERNAME: 'fay', EMAIL_OTP_CODE: await latestCode(server, poolId, 'fay') });
    assert.ok(done.AuthenticationResult?.AccessToken);
  });

  it('offers only what the pool allows and the user has; a preference the user cannot use becomes the choice', async () => {
    const { poolId, clientId } = await pool(['PASSWORD', 'SMS_OTP']);
    await createConfirmedUser(server.client, poolId, 'gil', { password: PASSWORD, attributes: verifiedEmail('gil') });
    const choice = await start(clientId, { USERNAME: 'gil', PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    assert.equal(choice.ChallengeName, 'SELECT_CHALLENGE');
    assert.deepEqual(choice.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
    // An unverified phone is no sign-in method.
    await server.client.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'gil', UserAttributes: [{ Name: 'phone_number', Value: '+15555550100' }] }));
    assert.deepEqual((await start(clientId, { USERNAME: 'gil' })).AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
    await server.client.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'gil', UserAttributes: [{ Name: 'phone_number_verified', Value: 'true' }] }),
    );
    assert.deepEqual((await start(clientId, { USERNAME: 'gil' })).AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'SMS_OTP']);
    // PASSWORD_SRP preferred in a pool without passwords is not a password flow.
    const { poolId: otpOnly, clientId: otpClient } = await pool(['EMAIL_OTP']);
    await createConfirmedUser(server.client, otpOnly, 'hal', { password: PASSWORD, attributes: verifiedEmail('hal') });
    const only = await start(otpClient, { USERNAME: 'hal', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
    assert.equal(only.ChallengeName, 'SELECT_CHALLENGE');
    assert.deepEqual(only.AvailableChallenges, ['EMAIL_OTP']);
  });

  it('refuses a client without ALLOW_USER_AUTH, a bad preference, unknown and disabled users', async () => {
    const { clientId: noUserAuth } = await pool(undefined, ['ALLOW_USER_PASSWORD_AUTH']);
    await expectAwsError(() => start(noUserAuth, { USERNAME: 'x' }), 'InvalidParameterException', 'USER_AUTH flow not enabled for this client');
    const { poolId, clientId } = await pool();
    await expectAwsError(() => start(clientId, { USERNAME: 'x', PREFERRED_CHALLENGE: 'SOFTWARE_TOKEN_MFA' }), 'InvalidParameterException', 'SOFTWARE_TOKEN_MFA is not a valid PREFERRED_CHALLENGE.');
    await expectAwsError(() => start(clientId, {}), 'InvalidParameterException', 'Missing required parameter USERNAME');
    await expectAwsError(() => start(clientId, { USERNAME: 'nobody' }), 'UserNotFoundException', 'User does not exist.');
    await expectAwsError(() => start(clientId, { USERNAME: 'nobody', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }), 'UserNotFoundException', 'User does not exist.');
    await createConfirmedUser(server.client, poolId, 'ida', { password: PASSWORD, attributes: verifiedEmail('ida') });
    await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'ida' }));
    await expectAwsError(() => start(clientId, { USERNAME: 'ida', PREFERRED_CHALLENGE: 'EMAIL_OTP' }), 'NotAuthorizedException', 'User is disabled.');
  });

  it('AdminInitiateAuth runs USER_AUTH too', async () => {
    const { poolId, clientId } = await pool();
    await createConfirmedUser(server.client, poolId, 'jo', { password: PASSWORD, attributes: verifiedEmail('jo') });
    const res = await server.client.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'jo', PREFERRED_CHALLENGE: 'EMAIL_OTP' } }),
    );
    assert.equal(res.ChallengeName, 'EMAIL_OTP');
  });

  it('SignUp without a password in a pool with one-time codes, confirmed, then signed in by email code; factors reported', async () => {
    const { poolId, clientId } = await pool(['PASSWORD', 'EMAIL_OTP']);
    const signedUp = await server.client.send(new SignUpCommand({ ClientId: clientId, Username: 'kim', UserAttributes: [{ Name: 'email', Value: 'kim@example.com' }] }));
    assert.equal(signedUp.UserConfirmed, false);
    await server.client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'kim', ConfirmationCode: await latestCode(server, poolId, 'kim') }));
    const choice = await start(clientId, { USERNAME: 'kim' });
    // No password: only the code.
    assert.deepEqual(choice.AvailableChallenges, ['EMAIL_OTP']);
    await expectAwsError(() => start(clientId, { USERNAME: 'kim', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }), 'NotAuthorizedException', 'Incorrect username or password.');
    const otp = await respond(clientId, choice, 'SELECT_CHALLENGE', { USERNAME: 'kim', ANSWER: 'EMAIL_OTP' });
    const done = await respond(clientId, otp, 'EMAIL_OTP', { USERNAME: 'kim', EMAIL_OTP_CODE: await latestCode(server, poolId, 'kim') });
    const token = done.AuthenticationResult?.AccessToken as string;
    const mine = await server.client.send(new GetUserAuthFactorsCommand({ AccessToken: token }));
    assert.equal(mine.Username, 'kim');
    assert.deepEqual(mine.ConfiguredUserAuthFactors, ['EMAIL_OTP']);

    await createConfirmedUser(server.client, poolId, 'lu', { password: PASSWORD, attributes: verifiedEmail('lu') });
    const admin = await server.client.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: 'lu' }));
    assert.deepEqual(admin.ConfiguredUserAuthFactors, ['PASSWORD', 'EMAIL_OTP']);
  });

  it('SignUp still needs a password where the pool signs in with passwords only', async () => {
    const { clientId } = await pool(['PASSWORD']);
    await expectAwsError(
      () => server.client.send(new SignUpCommand({ ClientId: clientId, Username: 'mo', UserAttributes: [{ Name: 'email', Value: 'mo@example.com' }] })),
      'InvalidParameterException',
      'Password is required for sign-up in this user pool.',
    );
  });

  it('AdminResetUserPassword on a passwordless user: codes wait for the reset, which gives the user a password', async () => {
    const { poolId, clientId } = await pool(['PASSWORD', 'EMAIL_OTP']);
    await server.client.send(new SignUpCommand({ ClientId: clientId, Username: 'ned', UserAttributes: [{ Name: 'email', Value: 'ned@example.com' }] }));
    await server.client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'ned', ConfirmationCode: await latestCode(server, poolId, 'ned') }));
    const earlier = await start(clientId, { USERNAME: 'ned' });
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'ned' }));
    const resetCode = await latestCode(server, poolId, 'ned');
    const RESET = 'Password reset required for the user';
    await expectAwsError(() => start(clientId, { USERNAME: 'ned', PREFERRED_CHALLENGE: 'EMAIL_OTP' }), 'PasswordResetRequiredException', RESET);
    await expectAwsError(() => start(clientId, { USERNAME: 'ned' }), 'PasswordResetRequiredException', RESET);
    // A choice made before the reset sends no code now.
    await expectAwsError(() => respond(clientId, earlier, 'SELECT_CHALLENGE', { USERNAME: 'ned', ANSWER: 'EMAIL_OTP' }), 'PasswordResetRequiredException', RESET);
    assert.equal(await latestCode(server, poolId, 'ned'), resetCode);

    await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'ned', ConfirmationCode: resetCode, Password: PASSWORD }));
    const after = await start(clientId, { USERNAME: 'ned' });
    assert.deepEqual(after.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    assert.ok((await start(clientId, { USERNAME: 'ned', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })).AuthenticationResult?.AccessToken);
    const otp = await start(clientId, { USERNAME: 'ned', PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    assert.ok((await respond(clientId, otp, 'EMAIL_OTP', { USERNAME: 'ned', EMAIL_OTP_CODE: await latestCode(server, poolId, 'ned') })).AuthenticationResult?.AccessToken);
  });
});
