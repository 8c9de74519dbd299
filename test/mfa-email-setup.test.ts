import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  type AdminGetUserCommandOutput,
  type CreateUserPoolCommandInput,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';
import { startSwitchboard, type Switchboard } from './support/trigger-switchboard.js';

const PASSWORD = 'Correct-Horse-1';
const MISMATCH = 'Invalid code or auth state for the user.';
const EXPIRED_SESSION = 'Invalid session for the user, session is expired.';
const DEVELOPER_EMAIL = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com' };
const SUBJECT = 'Your sign-in code';
/** The server's default code attempt limit per user and hour. */
const ATTEMPTS = 5;

/** A pool with MFA ON and these factors, and an app client for password sign-in. */
async function mfaPool(client: CognitoIdentityProviderClient, factors: { totp?: boolean; email?: boolean }, pool: Partial<CreateUserPoolCommandInput> = {}) {
  const made = await createPoolWithClient(
    client,
    { PoolName: 'mfa-email-setup', EmailConfiguration: DEVELOPER_EMAIL, ...pool },
    { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  );
  await client.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: made.poolId,
      MfaConfiguration: 'ON',
      ...(factors.totp && { SoftwareTokenMfaConfiguration: { Enabled: true } }),
      ...(factors.email && { EmailMfaConfiguration: { Message: 'Email code {####}', Subject: SUBJECT } }),
    }),
  );
  return made;
}

const attribute = (user: AdminGetUserCommandOutput, name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
const idClaims = (token: string | undefined): Record<string, unknown> => JSON.parse(Buffer.from((token ?? '').split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/**
 * Email MFA set up inside a sign-in (issue #17): MFA_SETUP answered with ChallengeResponses
 * {USERNAME, EMAIL}, as amplify-js sends for CONTINUE_SIGN_IN_WITH_EMAIL_SETUP; an EMAIL_OTP
 * code goes to that address (read back from a real SMTP server) and its answer gives tokens,
 * with the address as the user's verified email and email MFA on.
 */
for (const dialect of E2E_DIALECTS) describe(`MFA_SETUP with EMAIL (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  let smtp: TestSmtp;
  before(async () => {
    smtp = await startSmtp();
    server = await startServer({ dialect, config: { smtpUrl: smtp.url } });
  });
  after(async () => {
    await server.close();
    await smtp.close();
  });

  const signIn = (clientId: string, username: string) =>
    server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }));

  const respond = (clientId: string, challenge: Pick<InitiateAuthCommandOutput, 'ChallengeName' | 'Session'>, responses: Record<string, string>) =>
    server.client.send(
      new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: challenge.ChallengeName, Session: challenge.Session, ChallengeResponses: responses }),
    );

  /** The six-digit code of the one mail that arrives for `to` after `seen` mails. */
  async function mailedCode(to: string, seen: number): Promise<string> {
    await smtp.waitFor(() => smtp.messages.slice(seen).some((m) => m.envelope.to.includes(to)), 30_000);
    const mails = smtp.messages.slice(seen).filter((m) => m.envelope.to.includes(to));
    assert.equal(mails.length, 1);
    assert.equal(mails[0]?.subject, SUBJECT);
    const codes = (mails[0]?.text ?? '').match(/\b\d{6}\b/gu) ?? [];
    assert.equal(codes.length, 1, `one code in ${JSON.stringify(mails[0]?.text)}`);
    return codes[0] as string;
  }

  const getUser = (poolId: string, username: string) => server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));

  it('MFA_SETUP lists EMAIL_OTP; EMAIL → EMAIL_OTP to that address; the mailed code gives tokens, a verified email and email MFA', async () => {
    const { poolId, clientId } = await mfaPool(server.client, { totp: true, email: true });
    await createConfirmedUser(server.client, poolId, 'ella', { password: PASSWORD, attributes: [{ Name: 'name', Value: 'Ella' }] });

    const setup = await signIn(clientId, 'ella');
    assert.equal(setup.ChallengeName, 'MFA_SETUP');
    assert.deepEqual(JSON.parse(setup.ChallengeParameters?.MFAS_CAN_SETUP ?? '[]'), ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']);

    const seen = smtp.messages.length;
    const otp = await respond(clientId, setup, { USERNAME: 'ella', EMAIL: 'ella.new@example.org' });
    assert.equal(otp.ChallengeName, 'EMAIL_OTP');
    assert.equal(otp.AuthenticationResult, undefined);
    assert.ok(otp.Session);
    assert.deepEqual(otp.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'e***@e***' });
    const code = await mailedCode('ella.new@example.org', seen);
    assert.match(smtp.messages.at(-1)?.text ?? '', /^Email code \d{6}\s*$/u);

    // Nothing changes until the code is proven: the address is only in the sealed session.
    const pending = await getUser(poolId, 'ella');
    assert.equal(attribute(pending, 'email'), undefined);
    assert.equal(pending.UserMFASettingList, undefined);

    const wrong = code === '000000' ? '111111' : '000000';
    await expectAwsError(() => respond(clientId, otp, { USERNAME: 'ella', EMAIL_OTP_CODE: wrong }), 'CodeMismatchException', MISMATCH);
    const done = await respond(clientId, otp, { USERNAME: 'ella', EMAIL_OTP_CODE: code });
    assert.ok(done.AuthenticationResult?.AccessToken);
    const claims = idClaims(done.AuthenticationResult?.IdToken);
    assert.equal(claims.email, 'ella.new@example.org');
    assert.equal(claims.email_verified, true);

    const user = await getUser(poolId, 'ella');
    assert.equal(attribute(user, 'email'), 'ella.new@example.org');
    assert.equal(attribute(user, 'email_verified'), 'true');
    assert.deepEqual(user.UserMFASettingList, ['EMAIL_OTP']);
    assert.equal(user.PreferredMfaSetting, 'EMAIL_OTP');
    // The code is spent.
    await expectAwsError(() => respond(clientId, otp, { USERNAME: 'ella', EMAIL_OTP_CODE: code }), 'ExpiredCodeException');

    // The next sign-in asks for an email code at the new address.
    const before = smtp.messages.length;
    const next = await signIn(clientId, 'ella');
    assert.equal(next.ChallengeName, 'EMAIL_OTP');
    assert.equal(next.ChallengeParameters?.CODE_DELIVERY_DESTINATION, 'e***@e***');
    const again = await respond(clientId, next, { USERNAME: 'ella', EMAIL_OTP_CODE: await mailedCode('ella.new@example.org', before) });
    assert.ok(again.AuthenticationResult?.IdToken);
  });

  it('through AdminInitiateAuth and AdminRespondToAuthChallenge', async () => {
    const { poolId, clientId } = await mfaPool(server.client, { email: true });
    await createConfirmedUser(server.client, poolId, 'adam', { password: PASSWORD, attributes: [] });
    const admin = (name: string, session: string | undefined, responses: Record<string, string>) =>
      server.client.send(
        new AdminRespondToAuthChallengeCommand({ UserPoolId: poolId, ClientId: clientId, ChallengeName: name as 'MFA_SETUP', Session: session, ChallengeResponses: responses }),
      );
    const setup = await server.client.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'adam', PASSWORD } }),
    );
    assert.equal(setup.ChallengeName, 'MFA_SETUP');
    assert.deepEqual(JSON.parse(setup.ChallengeParameters?.MFAS_CAN_SETUP ?? '[]'), ['EMAIL_OTP']);
    const seen = smtp.messages.length;
    const otp = await admin('MFA_SETUP', setup.Session, { USERNAME: 'adam', EMAIL: 'adam@example.net' });
    assert.equal(otp.ChallengeName, 'EMAIL_OTP');
    const done = await admin('EMAIL_OTP', otp.Session, { USERNAME: 'adam', EMAIL_OTP_CODE: await mailedCode('adam@example.net', seen) });
    assert.ok(done.AuthenticationResult?.IdToken);
    assert.equal(attribute(await getUser(poolId, 'adam'), 'email'), 'adam@example.net');
  });

  it('refusals: a malformed address, a pool without email MFA, the wrong session, an expired one', async () => {
    const { poolId, clientId } = await mfaPool(server.client, { totp: true, email: true });
    await createConfirmedUser(server.client, poolId, 'rita', { password: PASSWORD, attributes: [] });
    const setup = await signIn(clientId, 'rita');
    assert.equal(setup.ChallengeName, 'MFA_SETUP');
    const seen = smtp.messages.length;
    await expectAwsError(() => respond(clientId, setup, { USERNAME: 'rita', EMAIL: 'not-an-address' }), 'InvalidParameterException', 'Invalid email address format.');
    // No EMAIL and no verified authenticator: the answer AWS gives a bare MFA_SETUP.
    await expectAwsError(() => respond(clientId, setup, { USERNAME: 'rita' }), 'SoftwareTokenMFANotFoundException', 'Software Token MFA does not exist for the user.');
    // The EMAIL_OTP answer needs the EMAIL_OTP session, not the MFA_SETUP one.
    await expectAwsError(
      () => server.client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'EMAIL_OTP', Session: setup.Session, ChallengeResponses: { USERNAME: 'rita', EMAIL_OTP_CODE: '123456' } })),
      'NotAuthorizedException',
      EXPIRED_SESSION,
    );
    // A session changed by the client is refused.
    const otp = await respond(clientId, setup, { USERNAME: 'rita', EMAIL: 'rita@example.com' });
    const tampered = `${(otp.Session ?? '').slice(0, -4)}AAAA`;
    await expectAwsError(() => respond(clientId, { ChallengeName: 'EMAIL_OTP', Session: tampered }, { USERNAME: 'rita', EMAIL_OTP_CODE: '123456' }), 'NotAuthorizedException', EXPIRED_SESSION);
    // The code lives as long as the session (AuthSessionValidity, 3 minutes by default).
    await mailedCode('rita@example.com', seen);
    server.clock.advance(3 * 60_000);
    await expectAwsError(() => respond(clientId, otp, { USERNAME: 'rita', EMAIL_OTP_CODE: '123456' }), 'NotAuthorizedException', EXPIRED_SESSION);
    assert.equal(attribute(await getUser(poolId, 'rita'), 'email'), undefined);

    // A pool whose MFA_SETUP does not offer email MFA.
    const totpOnly = await mfaPool(server.client, { totp: true });
    await createConfirmedUser(server.client, totpOnly.poolId, 'tom', { password: PASSWORD, attributes: [] });
    const totpSetup = await signIn(totpOnly.clientId, 'tom');
    assert.deepEqual(JSON.parse(totpSetup.ChallengeParameters?.MFAS_CAN_SETUP ?? '[]'), ['SOFTWARE_TOKEN_MFA']);
    await expectAwsError(() => respond(totpOnly.clientId, totpSetup, { USERNAME: 'tom', EMAIL: 'tom@example.com' }), 'MFAMethodNotFoundException', 'Email MFA is not enabled for the user pool.');
  });

  it('wrong codes count against the attempt limit: past it even the right code is refused', async () => {
    const { poolId, clientId } = await mfaPool(server.client, { email: true });
    await createConfirmedUser(server.client, poolId, 'gus', { password: PASSWORD, attributes: [] });
    const seen = smtp.messages.length;
    const otp = await respond(clientId, await signIn(clientId, 'gus'), { USERNAME: 'gus', EMAIL: 'gus@example.com' });
    const code = await mailedCode('gus@example.com', seen);
    const wrong = code === '000000' ? '111111' : '000000';
    const guesses = await Promise.allSettled(Array.from({ length: ATTEMPTS + 3 }, () => respond(clientId, otp, { USERNAME: 'gus', EMAIL_OTP_CODE: wrong })));
    assert.ok(guesses.every((g) => g.status === 'rejected'));
    await expectAwsError(() => respond(clientId, otp, { USERNAME: 'gus', EMAIL_OTP_CODE: code }), 'NotAuthorizedException', 'Password attempts exceeded');
    const user = await getUser(poolId, 'gus');
    assert.equal(attribute(user, 'email'), undefined);
    assert.equal(user.UserMFASettingList, undefined);
  });

  it('an address another user holds as a sign-in alias: AliasExistsException, before the code and again at the answer', async () => {
    const { poolId, clientId } = await mfaPool(server.client, { email: true }, { AliasAttributes: ['email'] });
    await createConfirmedUser(server.client, poolId, 'holder', { password: PASSWORD, attributes: [{ Name: 'email', Value: 'taken@example.com' }, { Name: 'email_verified', Value: 'true' }] });
    await createConfirmedUser(server.client, poolId, 'late', { password: PASSWORD, attributes: [{ Name: 'email', Value: 'later@example.com' }] });
    await createConfirmedUser(server.client, poolId, 'newcomer', { password: PASSWORD, attributes: [] });
    const setup = await signIn(clientId, 'newcomer');
    assert.equal(setup.ChallengeName, 'MFA_SETUP');
    const seen = smtp.messages.length;
    await expectAwsError(() => respond(clientId, setup, { USERNAME: 'newcomer', EMAIL: 'taken@example.com' }), 'AliasExistsException', 'An account with the email already exists.');

    // Another user's unverified address is no alias: the code goes out. Verified by its owner
    // before the code is answered, it is refused then, and nothing is written.
    const otp = await respond(clientId, setup, { USERNAME: 'newcomer', EMAIL: 'later@example.com' });
    const code = await mailedCode('later@example.com', seen);
    await server.client.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'late', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }));
    await expectAwsError(() => respond(clientId, otp, { USERNAME: 'newcomer', EMAIL_OTP_CODE: code }), 'AliasExistsException', 'An account with the email already exists.');
    const user = await getUser(poolId, 'newcomer');
    assert.equal(attribute(user, 'email'), undefined);
    assert.equal(user.UserMFASettingList, undefined);
    assert.equal(attribute(await getUser(poolId, 'late'), 'email_verified'), 'true');
  });

  it('a pool where the email is the sign-in name: the new address becomes a way to sign in', async () => {
    const { poolId, clientId } = await mfaPool(server.client, { email: true }, { UsernameAttributes: ['email', 'phone_number'] });
    // A user made with a phone number as its sign-in name has no email.
    await createConfirmedUser(server.client, poolId, '+15555550111', { password: PASSWORD, attributes: [{ Name: 'phone_number', Value: '+15555550111' }] });
    await createConfirmedUser(server.client, poolId, 'owner@example.com', { password: PASSWORD, attributes: [{ Name: 'email', Value: 'owner@example.com' }] });
    const setup = await signIn(clientId, '+15555550111');
    assert.equal(setup.ChallengeName, 'MFA_SETUP');
    const username = setup.ChallengeParameters?.USER_ID_FOR_SRP as string;
    await expectAwsError(() => respond(clientId, setup, { USERNAME: username, EMAIL: 'owner@example.com' }), 'AliasExistsException', 'An account with the given email already exists.');
    const seen = smtp.messages.length;
    const otp = await respond(clientId, setup, { USERNAME: username, EMAIL: 'phone.owner@example.com' });
    const done = await respond(clientId, otp, { USERNAME: username, EMAIL_OTP_CODE: await mailedCode('phone.owner@example.com', seen) });
    assert.ok(done.AuthenticationResult?.IdToken);
    assert.equal((await signIn(clientId, 'phone.owner@example.com')).ChallengeName, 'EMAIL_OTP');
  });
});

describe('MFA_SETUP with EMAIL and the CustomMessage function', () => {
  let sb: Switchboard;
  let smtp: TestSmtp;
  before(async () => {
    smtp = await startSmtp();
    sb = await startSwitchboard({ smtpUrl: smtp.url });
  });
  after(async () => {
    await sb.close();
    await smtp.close();
  });

  it('the code message is CustomMessage_Authentication’s, sent to the address being set up', async () => {
    const client = sb.server.client;
    const { poolId, clientId } = await mfaPool(client, { email: true }, { LambdaConfig: { CustomMessage: sb.arn } });
    await createConfirmedUser(client, poolId, 'cora', { password: PASSWORD, attributes: [] });
    sb.answer((event) => {
      const answer = structuredClone(event) as unknown as { response: Record<string, string> };
      answer.response.emailSubject = 'Custom subject';
      answer.response.emailMessage = 'Custom text, code {####}';
      return answer;
    });
    const setup = await client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'cora', PASSWORD } }));
    assert.equal(setup.ChallengeName, 'MFA_SETUP');
    const seen = smtp.messages.length;
    const otp = await client.send(
      new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'MFA_SETUP', Session: setup.Session, ChallengeResponses: { USERNAME: 'cora', EMAIL: 'cora@example.com' }, ClientMetadata: { app: 'x' } }),
    );
    assert.equal(otp.ChallengeName, 'EMAIL_OTP');
    const events = sb.events('CustomMessage_Authentication');
    assert.equal(events.length, 1);
    assert.deepEqual((events[0] as unknown as { request: { clientMetadata?: unknown } }).request.clientMetadata, { app: 'x' });
    await smtp.waitFor(() => smtp.messages.slice(seen).some((m) => m.envelope.to.includes('cora@example.com')), 30_000);
    const mail = smtp.messages.slice(seen).find((m) => m.envelope.to.includes('cora@example.com'));
    assert.equal(mail?.subject, 'Custom subject');
    const code = /^Custom text, code (\d{6})\s*$/u.exec(mail?.text ?? '')?.[1];
    assert.ok(code, JSON.stringify(mail?.text));
    const done = await client.send(
      new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'EMAIL_OTP', Session: otp.Session, ChallengeResponses: { USERNAME: 'cora', EMAIL_OTP_CODE: code } }),
    );
    assert.ok(done.AuthenticationResult?.IdToken);
  });
});
