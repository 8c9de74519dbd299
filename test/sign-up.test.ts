import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type AttributeType,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { maskDestination } from '../src/domain/messages/mask-destination.js';
import { secretHash } from '../src/domain/clients/secret-hash.js';
import { createPoolWithClient } from './support/fixtures.js';
import { startFunctionEndpoint, writeTriggersFile, type FunctionEndpoint } from './support/lambda-http.js';
import { messagesFor } from './support/outbox.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('maskDestination', () => {
  it('keeps the first character of the local part and domain of an email', () => {
    assert.equal(maskDestination('EMAIL', 'tom@example.com'), 't***@e***');
    assert.equal(maskDestination('EMAIL', 'Émile.x@ünï.fr'), 'É***@ü***');
  });
  it('keeps the plus and the last four digits of a phone number', () => {
    assert.equal(maskDestination('SMS', '+15555551234'), '+*******1234');
    assert.equal(maskDestination('SMS', '+447700900123'), '+********0123');
  });
});

describe('SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const pool = (settings: Partial<CreateUserPoolCommandInput> = {}, client: Partial<CreateUserPoolClientCommandInput> = {}) =>
    createPoolWithClient(
      server.client,
      { PoolName: 'signup', AutoVerifiedAttributes: ['email'], ...settings },
      { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], ...client },
    );

  const email = (address: string): AttributeType[] => [{ Name: 'email', Value: address }];

  const signUp = (clientId: string, username: string, attributes: AttributeType[] = email(`${username}@example.com`), extra = {}) =>
    server.client.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: attributes, ...extra }));

  const confirm = (clientId: string, username: string, code: string, extra = {}) =>
    server.client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, ...extra }));

  const resend = (clientId: string, username: string, extra = {}) =>
    server.client.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: username, ...extra }));

  const getUser = (poolId: string, username: string) => server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));

  const attributesOf = async (poolId: string, username: string) =>
    Object.fromEntries(((await getUser(poolId, username)).UserAttributes ?? []).map((a) => [a.Name, a.Value]));

  /** The code of the newest message queued for the user (by stored username). */
  async function codeFor(poolId: string, username: string): Promise<string> {
    const messages = await messagesFor(server, poolId, username);
    const code = messages.at(-1)?.payload.code;
    assert.ok(code, `no code queued for ${username}`);
    return code;
  }

  /** A six-digit code that is not `code`. */
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  const signIn = (clientId: string, username: string) =>
    server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }));

  it('tells the whole story: sign up, code by email, confirm, verified and CONFIRMED', async () => {
    const { poolId, clientId } = await pool();
    const res = await signUp(clientId, 'alice', email('alice@example.com'), {
      ClientMetadata: { campaign: 'spring' },
      ValidationData: [{ Name: 'ignored', Value: 'yes' }],
    });
    assert.equal(res.UserConfirmed, false);
    assert.match(res.UserSub ?? '', UUID);
    assert.deepEqual(res.CodeDeliveryDetails, { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });

    const messages = await messagesFor(server, poolId, 'alice');
    assert.equal(messages.length, 1);
    const [message] = messages;
    assert.ok(message);
    assert.equal(message.trigger, 'SignUp');
    assert.equal(message.channel, 'EMAIL');
    assert.equal(message.destination, 'alice@example.com');
    assert.equal(message.userSub, res.UserSub);
    assert.deepEqual(message.payload.clientMetadata, { campaign: 'spring' });
    assert.equal(message.payload.clientId, clientId);
    assert.equal(message.payload.subject, 'Your verification code');
    assert.equal(message.payload.body, 'Your verification code is {####}. ');
    const code = message.payload.code ?? '';
    assert.match(code, /^\d{6}$/);
    assert.ok(!JSON.stringify(res).includes(code), 'the code must not be in the response');

    const before = await getUser(poolId, 'alice');
    assert.equal(before.UserStatus, 'UNCONFIRMED');
    assert.equal((await attributesOf(poolId, 'alice')).email_verified, undefined);
    await expectAwsError(() => signIn(clientId, 'alice'), 'UserNotConfirmedException', 'User is not confirmed.');

    const confirmed = await confirm(clientId, 'alice', code);
    assert.equal(confirmed.$metadata.httpStatusCode, 200);
    const after = await getUser(poolId, 'alice');
    assert.equal(after.UserStatus, 'CONFIRMED');
    assert.equal(after.Enabled, true);
    const attributes = await attributesOf(poolId, 'alice');
    assert.equal(attributes.email_verified, 'true');
    assert.equal(attributes.sub, res.UserSub);

    const tokens = await signIn(clientId, 'alice');
    assert.ok(tokens.AuthenticationResult?.AccessToken);

    await expectAwsError(() => confirm(clientId, 'alice', code), 'NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED');
    await expectAwsError(() => resend(clientId, 'alice'), 'InvalidParameterException', 'User is already confirmed.');
  });

  it('refuses an unknown client, a missing or wrong SECRET_HASH, and accepts the right one', async () => {
    await expectAwsError(() => signUp('nosuchclient0000000000000', 'x'), 'ResourceNotFoundException', 'User pool client nosuchclient0000000000000 does not exist.');
    const { poolId, clientId, clientSecret } = await pool({}, { GenerateSecret: true });
    assert.ok(clientSecret);
    const refusal = `Unable to verify secret hash for client ${clientId}`;
    await expectAwsError(() => signUp(clientId, 'sam'), 'NotAuthorizedException', refusal);
    await expectAwsError(() => signUp(clientId, 'sam', undefined, { SecretHash: secretHash(clientSecret, 'other', clientId) }), 'NotAuthorizedException', refusal);
    await signUp(clientId, 'sam', undefined, { SecretHash: secretHash(clientSecret, 'sam', clientId) });
    const code = await codeFor(poolId, 'sam');
    await expectAwsError(() => confirm(clientId, 'sam', code), 'NotAuthorizedException', refusal);
    await expectAwsError(() => resend(clientId, 'sam'), 'NotAuthorizedException', refusal);
    await confirm(clientId, 'sam', code, { SecretHash: secretHash(clientSecret, 'sam', clientId) });
    assert.equal((await getUser(poolId, 'sam')).UserStatus, 'CONFIRMED');
  });

  it('applies the password policy before creating anyone', async () => {
    const { poolId, clientId } = await pool({ Policies: { PasswordPolicy: { MinimumLength: 12 } } });
    const attempt = (password: string) =>
      server.client.send(new SignUpCommand({ ClientId: clientId, Username: 'weak', Password: password, UserAttributes: email('weak@example.com') }));
    await expectAwsError(() => attempt('Short-1a'), 'InvalidPasswordException', 'Password did not conform with policy: Password not long enough');
    await expectAwsError(() => attempt('no-uppercase-12'), 'InvalidPasswordException', 'Password did not conform with policy: Password must have uppercase characters');
    await expectAwsError(() => attempt('No-Numbers-Here'), 'InvalidPasswordException', 'Password did not conform with policy: Password must have numeric characters');
    await expectAwsError(() => getUser(poolId, 'weak'), 'UserNotFoundException', 'User does not exist.');
    assert.equal((await messagesFor(server, poolId, 'weak')).length, 0);
  });

  it('refuses a taken username, case-insensitively when the pool says so', async () => {
    const { clientId } = await pool();
    await signUp(clientId, 'dup');
    await expectAwsError(() => signUp(clientId, 'dup'), 'UsernameExistsException', 'User already exists');
    await signUp(clientId, 'DUP');

    const insensitive = await pool({ UsernameConfiguration: { CaseSensitive: false } });
    await signUp(insensitive.clientId, 'Carol');
    await expectAwsError(() => signUp(insensitive.clientId, 'carol'), 'UsernameExistsException', 'User already exists');
    const code = await codeFor(insensitive.poolId, 'Carol');
    await confirm(insensitive.clientId, 'CAROL', code);
    assert.equal((await getUser(insensitive.poolId, 'carol')).UserStatus, 'CONFIRMED');
  });

  it('checks attributes against the schema and the client write permissions', async () => {
    const { clientId } = await pool({ Schema: [{ Name: 'name', Required: true, Mutable: true, AttributeDataType: 'String' }] });
    await expectAwsError(
      () => signUp(clientId, 'ann', [{ Name: 'email', Value: 'ann@example.com' }, { Name: 'name', Value: 'Ann' }, { Name: 'shoe', Value: '9' }]),
      'InvalidParameterException',
      'Attributes did not conform to the schema: shoe: Attribute does not exist in the schema.\n',
    );
    await expectAwsError(
      () => signUp(clientId, 'ann', email('ann@example.com')),
      'InvalidParameterException',
      'Attributes did not conform to the schema: name: The attribute is required\n',
    );
    await expectAwsError(
      () => signUp(clientId, 'ann', [{ Name: 'email', Value: 'ann@example.com' }, { Name: 'name', Value: 'Ann' }, { Name: 'email_verified', Value: 'true' }]),
      'NotAuthorizedException',
      'A client attempted to write unauthorized attribute',
    );
    await expectAwsError(
      () => signUp(clientId, 'ann', [{ Name: 'email', Value: 'not-an-email' }, { Name: 'name', Value: 'Ann' }]),
      'InvalidParameterException',
      'Invalid email address format.',
    );

    const limited = await pool({}, { WriteAttributes: ['email', 'name'] });
    await expectAwsError(
      () => signUp(limited.clientId, 'ben', [{ Name: 'email', Value: 'ben@example.com' }, { Name: 'nickname', Value: 'B' }]),
      'NotAuthorizedException',
      'A client attempted to write unauthorized attribute',
    );
    await signUp(limited.clientId, 'ben', [{ Name: 'email', Value: 'ben@example.com' }, { Name: 'name', Value: 'Ben' }]);
  });

  it('signs up by email where the email is the username, storing the sub as the username', async () => {
    const { poolId, clientId } = await pool({ UsernameAttributes: ['email'] });
    await expectAwsError(() => signUp(clientId, 'plainname', []), 'InvalidParameterException', 'Username should be an email.');
    const res = await signUp(clientId, 'Dora@Example.com', []);
    const sub = res.UserSub as string;
    assert.deepEqual(res.CodeDeliveryDetails, { Destination: 'D***@E***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const user = await getUser(poolId, 'Dora@Example.com');
    assert.equal(user.Username, sub);
    assert.equal((await attributesOf(poolId, sub)).email, 'Dora@Example.com');
    await expectAwsError(() => signUp(clientId, 'Dora@Example.com', []), 'UsernameExistsException', 'An account with the given email already exists.');

    const code = await codeFor(poolId, sub);
    await confirm(clientId, 'Dora@Example.com', code);
    assert.equal((await getUser(poolId, sub)).UserStatus, 'CONFIRMED');
    assert.equal((await attributesOf(poolId, sub)).email_verified, 'true');

    const both = await pool({ UsernameAttributes: ['email', 'phone_number'] });
    await expectAwsError(() => signUp(both.clientId, 'plainname', []), 'InvalidParameterException', 'Username should be either an email or a phone number.');
  });

  it('sends the code by SMS when phone numbers are auto-verified, and verifies only the phone', async () => {
    const { poolId, clientId } = await pool({ AutoVerifiedAttributes: ['email', 'phone_number'] });
    const res = await signUp(clientId, 'phil', [
      { Name: 'email', Value: 'phil@example.com' },
      { Name: 'phone_number', Value: '+15555551234' },
    ]);
    assert.deepEqual(res.CodeDeliveryDetails, { Destination: '+*******1234', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    const [message] = await messagesFor(server, poolId, 'phil');
    assert.equal(message?.channel, 'SMS');
    assert.equal(message.destination, '+15555551234');
    await confirm(clientId, 'phil', message.payload.code ?? '');
    const attributes = await attributesOf(poolId, 'phil');
    assert.equal(attributes.phone_number_verified, 'true');
    assert.equal(attributes.email_verified, undefined);

    // Email auto-verified but the user gave none: nothing to send.
    const emailOnly = await pool();
    const bare = await signUp(emailOnly.clientId, 'nomail', [{ Name: 'phone_number', Value: '+15555550000' }]);
    assert.equal(bare.CodeDeliveryDetails, undefined);
    assert.equal((await messagesFor(server, emailOnly.poolId, 'nomail')).length, 0);
  });

  it('without auto-verification sends nothing, and only an administrator confirms', async () => {
    const { poolId, clientId } = await pool({ AutoVerifiedAttributes: [] });
    const res = await signUp(clientId, 'olga');
    assert.equal(res.UserConfirmed, false);
    assert.equal(res.CodeDeliveryDetails, undefined);
    assert.equal((await messagesFor(server, poolId, 'olga')).length, 0);
    await expectAwsError(() => confirm(clientId, 'olga', '123456'), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');
    await expectAwsError(() => resend(clientId, 'olga'), 'InvalidParameterException', 'Cannot resend codes. Auto verification not turned on.');

    await server.client.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'olga' }));
    assert.equal((await getUser(poolId, 'olga')).UserStatus, 'CONFIRMED');
    assert.equal((await attributesOf(poolId, 'olga')).email_verified, undefined);
    await expectAwsError(
      () => server.client.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'olga' })),
      'NotAuthorizedException',
      'User cannot be confirmed. Current status is CONFIRMED',
    );
    await expectAwsError(() => server.client.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'ghost' })), 'UserNotFoundException', 'User does not exist.');
    await expectAwsError(
      () => server.client.send(new AdminConfirmSignUpCommand({ UserPoolId: 'us-east-1_nothere', Username: 'olga' })),
      'ResourceNotFoundException',
      'User pool us-east-1_nothere does not exist.',
    );
  });

  it('refuses to confirm an administrator-created user by code or by AdminConfirmSignUp', async () => {
    const { poolId, clientId } = await pool();
    await server.client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'admin-made', TemporaryPassword: 'Temp-Pass-1', MessageAction: 'SUPPRESS' }));
    await expectAwsError(() => confirm(clientId, 'admin-made', '123456'), 'NotAuthorizedException', 'User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD');
    await expectAwsError(
      () => server.client.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'admin-made' })),
      'NotAuthorizedException',
      'User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD',
    );
  });

  it('refuses a wrong code, then an expired one, and a resent code works', async () => {
    const { poolId, clientId } = await pool();
    await signUp(clientId, 'eve');
    const code = await codeFor(poolId, 'eve');
    await expectAwsError(() => confirm(clientId, 'eve', wrong(code)), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    assert.equal((await getUser(poolId, 'eve')).UserStatus, 'UNCONFIRMED');

    server.clock.advance(DAY + 1);
    await expectAwsError(() => confirm(clientId, 'eve', code), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');

    const res = await resend(clientId, 'eve', { ClientMetadata: { again: 'yes' } });
    assert.deepEqual(res.CodeDeliveryDetails, { Destination: 'e***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const messages = await messagesFor(server, poolId, 'eve');
    assert.equal(messages.length, 2);
    assert.equal(messages[1]?.trigger, 'ResendCode');
    assert.deepEqual(messages[1]?.payload.clientMetadata, { again: 'yes' });
    await confirm(clientId, 'eve', messages[1]?.payload.code ?? '');
    assert.equal((await getUser(poolId, 'eve')).UserStatus, 'CONFIRMED');
  });

  it('a resent code replaces the old one', async () => {
    const { poolId, clientId } = await pool();
    await signUp(clientId, 'rita');
    const first = await codeFor(poolId, 'rita');
    await resend(clientId, 'rita');
    const second = await codeFor(poolId, 'rita');
    if (first !== second) {
      await expectAwsError(() => confirm(clientId, 'rita', first), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    }
    await confirm(clientId, 'rita', second);
    assert.equal((await getUser(poolId, 'rita')).UserStatus, 'CONFIRMED');
  });

  it('limits confirmation attempts to 15 an hour, even with the right code', async () => {
    const { poolId, clientId } = await pool();
    await signUp(clientId, 'mallory');
    const code = await codeFor(poolId, 'mallory');
    for (let i = 0; i < 15; i++) {
      await expectAwsError(() => confirm(clientId, 'mallory', wrong(code)), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    }
    await expectAwsError(() => confirm(clientId, 'mallory', code), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    assert.equal((await getUser(poolId, 'mallory')).UserStatus, 'UNCONFIRMED');
    server.clock.advance(HOUR);
    await confirm(clientId, 'mallory', code);
    assert.equal((await getUser(poolId, 'mallory')).UserStatus, 'CONFIRMED');
  });

  it('limits resends to 5 an hour', async () => {
    const { poolId, clientId } = await pool();
    await signUp(clientId, 'spammy');
    for (let i = 0; i < 5; i++) await resend(clientId, 'spammy');
    await expectAwsError(() => resend(clientId, 'spammy'), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    assert.equal((await messagesFor(server, poolId, 'spammy')).length, 6);
    server.clock.advance(HOUR);
    await resend(clientId, 'spammy');
    assert.equal((await messagesFor(server, poolId, 'spammy')).length, 7);
  });

  it('answers unknown users by the client\'s PreventUserExistenceErrors', async () => {
    const legacy = await pool();
    await expectAwsError(() => confirm(legacy.clientId, 'nobody', '123456'), 'UserNotFoundException', 'Username/client id combination not found.');
    await expectAwsError(() => resend(legacy.clientId, 'nobody'), 'UserNotFoundException', 'Username/client id combination not found.');

    const hidden = await pool({}, { PreventUserExistenceErrors: 'ENABLED' });
    await expectAwsError(() => confirm(hidden.clientId, 'nobody', '123456'), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    const res = await resend(hidden.clientId, 'nobody@example.com');
    assert.deepEqual(res.CodeDeliveryDetails, { Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    assert.equal((await server.app.deps.store.listMessages({ poolId: hidden.poolId, limit: 10 })).length, 0);

    // A known user is still confirmed normally through such a client.
    await signUp(hidden.clientId, 'known');
    await confirm(hidden.clientId, 'known', await codeFor(hidden.poolId, 'known'));
    assert.equal((await getUser(hidden.poolId, 'known')).UserStatus, 'CONFIRMED');
  });

  it('refuses an email alias another user holds, unless ForceAliasCreation moves it', async () => {
    const { poolId, clientId } = await pool({ AliasAttributes: ['email'] });
    await signUp(clientId, 'first', email('shared@example.com'));
    await confirm(clientId, 'first', await codeFor(poolId, 'first'));
    assert.equal((await getUser(poolId, 'shared@example.com')).Username, 'first');

    // Unverified emails are not aliases, so a second sign-up with the same email is allowed.
    await signUp(clientId, 'second', email('shared@example.com'));
    const code = await codeFor(poolId, 'second');
    await expectAwsError(() => confirm(clientId, 'second', code), 'AliasExistsException', 'An account with the email already exists.');
    assert.equal((await getUser(poolId, 'second')).UserStatus, 'UNCONFIRMED');

    await confirm(clientId, 'second', code, { ForceAliasCreation: true });
    assert.equal((await getUser(poolId, 'second')).UserStatus, 'CONFIRMED');
    assert.equal((await getUser(poolId, 'shared@example.com')).Username, 'second');
    assert.equal((await attributesOf(poolId, 'first')).email_verified, 'false');
  });
});

describe('sign-up messages with a CustomMessage trigger', () => {
  const SHAPING_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:shape-sign-up';
  const FAILING_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:broken-sign-up';
  let server: TestServer;
  let shaping: FunctionEndpoint;
  let failing: FunctionEndpoint;

  before(async () => {
    shaping = await startFunctionEndpoint((event) => {
      event.response.smsMessage = `${event.triggerSource} ${event.request.clientMetadata?.locale ?? '-'} ${event.request.codeParameter}`;
      return event;
    });
    failing = await startFunctionEndpoint(() => {
      throw new Error('No sign-ups today');
    });
    const triggersFile = writeTriggersFile({ [SHAPING_ARN]: { url: shaping.url }, [FAILING_ARN]: { url: failing.url } });
    server = await startServer({ config: { triggersFile } });
  });
  after(async () => {
    await server.close();
    await shaping.close();
    await failing.close();
  });

  const pool = (functionArn: string) =>
    createPoolWithClient(server.client, { PoolName: 'signup-trigger', AutoVerifiedAttributes: ['phone_number'], LambdaConfig: { CustomMessage: functionArn } });

  const signUp = (clientId: string, username: string) =>
    server.client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'phone_number', Value: '+15555559876' }],
        ClientMetadata: { locale: 'fr' },
      }),
    );

  it('queues the text the function shaped, for SignUp and ResendCode, with the client and metadata', async () => {
    const { poolId, clientId } = await pool(SHAPING_ARN);
    await signUp(clientId, 'tina');
    await server.client.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'tina', ClientMetadata: { locale: 'de' } }));
    const messages = await messagesFor(server, poolId, 'tina');
    assert.deepEqual(
      messages.map((m) => m.payload.body),
      ['CustomMessage_SignUp fr {####}', 'CustomMessage_ResendCode de {####}'],
    );
    const events = shaping.events.filter((e) => e.userPoolId === poolId);
    assert.deepEqual(
      events.map((e) => [e.triggerSource, e.callerContext.clientId, e.userName]),
      [
        ['CustomMessage_SignUp', clientId, 'tina'],
        ['CustomMessage_ResendCode', clientId, 'tina'],
      ],
    );
    await server.client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'tina', ConfirmationCode: messages[1]?.payload.code ?? '' }));
  });

  it('fails the sign-up with AWS\'s error when the function fails, and creates nobody', async () => {
    const { poolId, clientId } = await pool(FAILING_ARN);
    await expectAwsError(() => signUp(clientId, 'ursula'), 'UserLambdaValidationException', 'CustomMessage failed with error No sign-ups today.');
    await expectAwsError(
      () => server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ursula' })),
      'UserNotFoundException',
      'User does not exist.',
    );
    assert.equal((await messagesFor(server, poolId, 'ursula')).length, 0);
  });
});
