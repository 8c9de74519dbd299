import {
  AdminGetUserCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type AttributeType,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { messagesFor } from './support/outbox.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('UpdateUserAttributes, GetUserAttributeVerificationCode, VerifyUserAttribute', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  async function pool(settings: Partial<CreateUserPoolCommandInput> = {}, client: Partial<CreateUserPoolClientCommandInput> = {}) {
    const { poolId, clientId } = await createPoolWithClient(
      server.client,
      { PoolName: 'verify', AutoVerifiedAttributes: ['email'], AliasAttributes: ['email', 'phone_number'], ...settings },
      { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], ...client },
    );
    return { poolId, clientId };
  }

  /** A CONFIRMED user with a verified email, signed in: returns the access token. */
  async function signedInUser(poolId: string, clientId: string, username: string, attributes?: AttributeType[]): Promise<string> {
    await createConfirmedUser(server.client, poolId, username, { temporaryPassword: 'Temp-Pass-1', password: PASSWORD, attributes });
    return signIn(clientId, username);
  }

  async function signIn(clientId: string, username: string): Promise<string> {
    const res = await server.client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }),
    );
    const token = res.AuthenticationResult?.AccessToken;
    assert.ok(token);
    return token;
  }

  const update = (token: string, attributes: AttributeType[], metadata?: Record<string, string>) =>
    server.client.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: attributes, ClientMetadata: metadata }));
  const getCode = (token: string, attribute: string, metadata?: Record<string, string>) =>
    server.client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: attribute, ClientMetadata: metadata }));
  const verify = (token: string, attribute: string, code: string) =>
    server.client.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: attribute, Code: code }));

  const getUser = (poolId: string, username: string) => server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  const attributesOf = async (poolId: string, username: string) =>
    Object.fromEntries(((await getUser(poolId, username)).UserAttributes ?? []).map((a) => [a.Name, a.Value]));

  async function latestCode(poolId: string, username: string): Promise<string> {
    const code = (await messagesFor(server, poolId, username)).at(-1)?.payload.code;
    assert.ok(code, `no code queued for ${username}`);
    return code;
  }
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  it('changes the email: unverified at once, code to the new address, verified with it', async () => {
    const { poolId, clientId } = await pool();
    const token = await signedInUser(poolId, clientId, 'alice');
    assert.equal((await getUser(poolId, 'alice@example.com')).Username, 'alice');

    const res = await update(token, [{ Name: 'email', Value: 'new.alice@example.org' }], { reason: 'moved' });
    assert.deepEqual(res.CodeDeliveryDetailsList, [{ Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
    let attributes = await attributesOf(poolId, 'alice');
    assert.equal(attributes.email, 'new.alice@example.org');
    assert.equal(attributes.email_verified, 'false');
    // Neither the old nor the unverified new email signs in any more.
    await expectAwsError(() => getUser(poolId, 'alice@example.com'), 'UserNotFoundException', 'User does not exist.');
    await expectAwsError(() => getUser(poolId, 'new.alice@example.org'), 'UserNotFoundException', 'User does not exist.');

    const [message] = await messagesFor(server, poolId, 'alice');
    assert.equal(message?.trigger, 'UpdateUserAttribute');
    assert.equal(message.channel, 'EMAIL');
    assert.equal(message.destination, 'new.alice@example.org');
    assert.deepEqual(message.payload.clientMetadata, { reason: 'moved' });
    assert.equal(message.payload.clientId, clientId);
    assert.equal(message.payload.body, 'Your verification code is {####}. ');
    const code = message.payload.code ?? '';
    assert.ok(!JSON.stringify(res).includes(code));

    await expectAwsError(() => verify(token, 'email', wrong(code)), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    assert.deepEqual(await verify(token, 'email', code).then((r) => r.$metadata.httpStatusCode), 200);
    attributes = await attributesOf(poolId, 'alice');
    assert.equal(attributes.email_verified, 'true');
    assert.equal((await getUser(poolId, 'new.alice@example.org')).Username, 'alice');
    // Single use.
    await expectAwsError(() => verify(token, 'email', code), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');
  });

  it('updates other attributes without codes, and leaves an unchanged email verified', async () => {
    const { poolId, clientId } = await pool();
    const token = await signedInUser(poolId, clientId, 'bob');
    const res = await update(token, [
      { Name: 'name', Value: 'Bob' },
      { Name: 'email', Value: 'bob@example.com' },
    ]);
    assert.equal(res.CodeDeliveryDetailsList, undefined);
    const attributes = await attributesOf(poolId, 'bob');
    assert.equal(attributes.name, 'Bob');
    assert.equal(attributes.email_verified, 'true');
    assert.equal((await messagesFor(server, poolId, 'bob')).length, 0);
  });

  it('refuses what a client may not write, unknown and immutable attributes, and bad tokens', async () => {
    const { poolId, clientId } = await pool({ Schema: [{ Name: 'badge', AttributeDataType: 'String', Mutable: false }] }, {});
    const token = await signedInUser(poolId, clientId, 'carl');
    await expectAwsError(() => update(token, [{ Name: 'email_verified', Value: 'true' }]), 'NotAuthorizedException', 'A client attempted to write unauthorized attribute');
    await expectAwsError(() => update(token, [{ Name: 'shoe', Value: '9' }]), 'InvalidParameterException', 'user.shoe: Attribute does not exist in the schema.\n');
    await expectAwsError(() => update(token, [{ Name: 'custom:badge', Value: 'x' }]), 'InvalidParameterException', 'user.custom:badge: Attribute cannot be updated.\n');
    await expectAwsError(() => update(token, [{ Name: 'email', Value: 'nope' }]), 'InvalidParameterException', 'Invalid email address format.');
    await expectAwsError(() => update('not-a-token', [{ Name: 'name', Value: 'x' }]), 'NotAuthorizedException', 'Invalid Access Token');
    await expectAwsError(() => getCode('not-a-token', 'email'), 'NotAuthorizedException', 'Invalid Access Token');
    await expectAwsError(() => verify('not-a-token', 'email', '123456'), 'NotAuthorizedException', 'Invalid Access Token');

    const limited = await pool({}, { WriteAttributes: ['email', 'name'] });
    const limitedToken = await signedInUser(limited.poolId, limited.clientId, 'dina');
    await expectAwsError(() => update(limitedToken, [{ Name: 'nickname', Value: 'D' }]), 'NotAuthorizedException', 'A client attempted to write unauthorized attribute');
    await update(limitedToken, [{ Name: 'name', Value: 'Dina' }]);
  });

  it('refuses an alias another user holds, and sends no code for a phone the pool does not auto-verify', async () => {
    const { poolId, clientId } = await pool();
    await signedInUser(poolId, clientId, 'owner', [
      { Name: 'phone_number', Value: '+15555550001' },
      { Name: 'phone_number_verified', Value: 'true' },
    ]);
    const token = await signedInUser(poolId, clientId, 'taker');
    // An unverified phone is no alias: taking the same number is allowed.
    const res = await update(token, [{ Name: 'phone_number', Value: '+15555550001' }]);
    assert.equal(res.CodeDeliveryDetailsList, undefined);
    assert.equal((await attributesOf(poolId, 'taker')).phone_number_verified, 'false');
    assert.equal((await messagesFor(server, poolId, 'taker')).length, 0);

    const sent = await getCode(token, 'phone_number', { via: 'sms' });
    assert.deepEqual(sent.CodeDeliveryDetails, { Destination: '+*******0001', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    const [message] = await messagesFor(server, poolId, 'taker');
    assert.equal(message?.trigger, 'VerifyUserAttribute');
    assert.equal(message.channel, 'SMS');
    assert.deepEqual(message.payload.clientMetadata, { via: 'sms' });
    await expectAwsError(() => verify(token, 'phone_number', message.payload.code ?? ''), 'AliasExistsException', 'An account with the phone_number already exists.');
    assert.equal((await attributesOf(poolId, 'taker')).phone_number_verified, 'false');
    assert.equal((await getUser(poolId, '+15555550001')).Username, 'owner');
  });

  it('GetUserAttributeVerificationCode replaces the earlier code, and its refusals', async () => {
    const { poolId, clientId } = await pool({ AutoVerifiedAttributes: [] });
    const token = await signedInUser(poolId, clientId, 'erin', [{ Name: 'email', Value: 'erin@example.com' }]);
    await expectAwsError(() => verify(token, 'email', '123456'), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');

    const res = await getCode(token, 'email');
    assert.deepEqual(res.CodeDeliveryDetails, { Destination: 'e***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const first = await latestCode(poolId, 'erin');
    await getCode(token, 'email');
    const second = await latestCode(poolId, 'erin');
    if (first !== second) {
      await expectAwsError(() => verify(token, 'email', first), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    }
    await verify(token, 'email', second);
    assert.equal((await attributesOf(poolId, 'erin')).email_verified, 'true');

    await expectAwsError(() => getCode(token, 'phone_number'), 'InvalidParameterException', 'User does not have a value for the attribute phone_number.');
    await expectAwsError(() => getCode(token, 'name'), 'InvalidParameterException', 'Invalid attribute name: name cannot be verified.');
    await expectAwsError(() => verify(token, 'name', '123456'), 'InvalidParameterException', 'Invalid attribute name: name cannot be verified.');
  });

  it('a code sent to an old value does not verify a new one', async () => {
    const { poolId, clientId } = await pool({ AutoVerifiedAttributes: [] });
    const token = await signedInUser(poolId, clientId, 'fay', [{ Name: 'phone_number', Value: '+15555550002' }]);
    await getCode(token, 'phone_number');
    const code = await latestCode(poolId, 'fay');
    await update(token, [{ Name: 'phone_number', Value: '+15555550003' }]);
    await expectAwsError(() => verify(token, 'phone_number', code), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');
    assert.equal((await attributesOf(poolId, 'fay')).phone_number_verified, 'false');
  });

  it('limits code requests to 5 an hour and guesses to 15 an hour; codes expire after 24 hours', async () => {
    const { poolId, clientId } = await pool();
    let token = await signedInUser(poolId, clientId, 'gus');
    for (let i = 0; i < 5; i++) await getCode(token, 'email');
    await expectAwsError(() => getCode(token, 'email'), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    assert.equal((await messagesFor(server, poolId, 'gus')).length, 5);

    const code = await latestCode(poolId, 'gus');
    for (let i = 0; i < 15; i++) {
      await expectAwsError(() => verify(token, 'email', wrong(code)), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    }
    await expectAwsError(() => verify(token, 'email', code), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');

    server.clock.advance(HOUR);
    token = await signIn(clientId, 'gus');
    await getCode(token, 'email');
    const fresh = await latestCode(poolId, 'gus');
    server.clock.advance(DAY + 1);
    token = await signIn(clientId, 'gus');
    await expectAwsError(() => verify(token, 'email', fresh), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');
  });
});
