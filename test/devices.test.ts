import {
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminInitiateAuthCommand,
  AdminListDevicesCommand,
  AdminUpdateDeviceStatusCommand,
  AssociateSoftwareTokenCommand,
  ConfirmDeviceCommand,
  CreateUserPoolDomainCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  UpdateDeviceStatusCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
  type DeviceConfigurationType,
  type DeviceType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import * as identityJs from 'amazon-cognito-identity-js';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';
import { srpAnswer, srpStart, srpTimestamp } from './support/srp-client.js';
import { authenticatorCode } from './support/totp.js';

/**
 * Remembered devices through the AWS SDK (cognito-facts-areas.md 3.3, 3.5): NewDeviceMetadata,
 * ConfirmDevice, the device operations and their Admin* variants, DEVICE_SRP_AUTH and
 * DEVICE_PASSWORD_VERIFIER in place of MFA, and device-bound refresh tokens. The device's
 * verifier and proof are computed with amazon-cognito-identity-js's AuthenticationHelper, not
 * the server's code.
 */

const PASSWORD = 'Correct-Horse-1';
const DEVICE_NOT_FOUND = 'Device does not exist.';
const INVALID_REFRESH = 'Invalid Refresh Token.';
const INCORRECT = 'Incorrect username or password.';
const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

interface BigIntegerLike {
  toString(radix: number): string;
}
interface Helper {
  N: BigIntegerLike & { constructor: new (hex: string, radix: number) => BigIntegerLike };
  getLargeAValue(cb: (err: unknown, A: BigIntegerLike) => void): void;
  getPasswordAuthenticationKey(username: string, password: string, B: BigIntegerLike, salt: BigIntegerLike, cb: (err: unknown, key: Buffer) => void): void;
  generateHashDevice(deviceGroupKey: string, username: string, cb: (err: unknown) => void): void;
  getSaltDevices(): string;
  getVerifierDevices(): string;
  getRandomPassword(): string;
}
const { AuthenticationHelper } = identityJs as unknown as { AuthenticationHelper: new (poolName: string) => Helper };

/** A device as its app keeps it: the keys from NewDeviceMetadata and the random password behind its verifier. */
interface Device {
  key: string;
  groupKey: string;
  password: string;
  config: { Salt: string; PasswordVerifier: string };
}

async function newDevice(meta: AuthenticationResultType['NewDeviceMetadata']): Promise<Device> {
  const key = meta?.DeviceKey as string;
  const groupKey = meta?.DeviceGroupKey as string;
  const helper = new AuthenticationHelper(groupKey);
  await new Promise<void>((resolve, reject) => helper.generateHashDevice(groupKey, key, (err) => (err ? reject(err as Error) : resolve())));
  return {
    key,
    groupKey,
    password: helper.getRandomPassword(),
    config: {
      Salt: Buffer.from(helper.getSaltDevices(), 'hex').toString('base64'),
      PasswordVerifier: Buffer.from(helper.getVerifierDevices(), 'hex').toString('base64'),
    },
  };
}

function claims(token: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from((token as string).split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function attribute(device: DeviceType | undefined, name: string): string | undefined {
  return device?.DeviceAttributes?.find((a) => a.Name === name)?.Value;
}

for (const dialect of E2E_DIALECTS) describe(`remembered devices (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ dialect });
  });
  after(() => server.close());

  /** A pool with TOTP MFA, remembering devices as `devices` says, and a user with an authenticator. */
  async function setup(devices: DeviceConfigurationType | undefined, username = 'alice') {
    const { poolId, clientId } = await createPoolWithClient(
      server.client,
      { PoolName: 'devices', ...(devices && { DeviceConfiguration: devices }) },
      { ExplicitAuthFlows: [...FLOWS] },
    );
    await server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const secret = await addUser(poolId, clientId, username);
    return { poolId, clientId, secret };
  }

  async function addUser(poolId: string, clientId: string, username: string): Promise<string> {
    await createConfirmedUser(server.client, poolId, username, { password: PASSWORD });
    const res = await passwordSignIn(clientId, username);
    const token = res.AuthenticationResult?.AccessToken as string;
    const secret = (await server.client.send(new AssociateSoftwareTokenCommand({ AccessToken: token }))).SecretCode as string;
    await server.client.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: authenticatorCode(secret, server.clock.nowMs()) }));
    await server.client.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    return secret;
  }

  const passwordSignIn = (clientId: string, username: string, deviceKey?: string) =>
    server.client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: PASSWORD, ...(deviceKey !== undefined && { DEVICE_KEY: deviceKey }) },
      }),
    );

  const respond = (clientId: string, challenge: InitiateAuthCommandOutput, responses: Record<string, string>) =>
    server.client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: challenge.ChallengeName, Session: challenge.Session, ChallengeResponses: responses }));

  /** The authenticator's answer, one step on so that no code is used twice. */
  async function passTotp(clientId: string, username: string, challenge: InitiateAuthCommandOutput, secret: string, deviceKey?: string) {
    assert.equal(challenge.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    server.clock.advance(30_000);
    const code = authenticatorCode(secret, server.clock.nowMs());
    return respond(clientId, challenge, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code, ...(deviceKey !== undefined && { DEVICE_KEY: deviceKey }) });
  }

  /** Password and TOTP on a new device, which is then confirmed: its tokens and the device. */
  async function signInOnNewDevice(clientId: string, username: string, secret: string) {
    const done = await passTotp(clientId, username, await passwordSignIn(clientId, username), secret);
    const result = done.AuthenticationResult as AuthenticationResultType;
    const device = await newDevice(result.NewDeviceMetadata);
    const confirmed = await server.client.send(new ConfirmDeviceCommand({ AccessToken: result.AccessToken, DeviceKey: device.key, DeviceSecretVerifierConfig: device.config, DeviceName: 'laptop' }));
    return { result, device, confirmed };
  }

  /** DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER answered as the device (or with a wrong password). */
  async function deviceSrp(clientId: string, username: string, challenge: InitiateAuthCommandOutput, device: Device, password = device.password) {
    assert.equal(challenge.ChallengeName, 'DEVICE_SRP_AUTH');
    const helper = new AuthenticationHelper(device.groupKey);
    const A = await new Promise<string>((resolve, reject) => helper.getLargeAValue((err, a) => (err ? reject(err as Error) : resolve(a.toString(16)))));
    const verifier = await respond(clientId, challenge, { USERNAME: username, DEVICE_KEY: device.key, SRP_A: A });
    assert.equal(verifier.ChallengeName, 'DEVICE_PASSWORD_VERIFIER');
    const params = verifier.ChallengeParameters ?? {};
    assert.equal(params.DEVICE_KEY, device.key);
    const Big = helper.N.constructor;
    const key = await new Promise<Buffer>((resolve, reject) =>
      helper.getPasswordAuthenticationKey(device.key, password, new Big(params.SRP_B as string, 16), new Big(params.SALT as string, 16), (err, k) => (err ? reject(err as Error) : resolve(k))),
    );
    const timestamp = srpTimestamp(server.clock.nowMs());
    const signature = createHmac('sha256', key)
      .update(device.groupKey, 'utf8')
      .update(device.key, 'utf8')
      .update(Buffer.from(params.SECRET_BLOCK as string, 'base64'))
      .update(timestamp, 'utf8')
      .digest('base64');
    const responses = { USERNAME: username, DEVICE_KEY: device.key, PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK as string, PASSWORD_CLAIM_SIGNATURE: signature, TIMESTAMP: timestamp };
    return { verifier, responses, answer: () => respond(clientId, verifier, responses) };
  }

  it('announces a new device in NewDeviceMetadata (<region>_<uuid>) after MFA; the access token names it', async () => {
    const { clientId, secret } = await setup({ ChallengeRequiredOnNewDevice: true });
    const done = await passTotp(clientId, 'alice', await passwordSignIn(clientId, 'alice'), secret);
    const meta = done.AuthenticationResult?.NewDeviceMetadata;
    assert.match(meta?.DeviceKey ?? '', /^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.ok(meta?.DeviceGroupKey);
    assert.equal(claims(done.AuthenticationResult?.AccessToken).device_key, meta?.DeviceKey);
    assert.equal(claims(done.AuthenticationResult?.IdToken).device_key, undefined);
    // Not the user's device until ConfirmDevice.
    const token = done.AuthenticationResult?.AccessToken as string;
    assert.deepEqual((await server.client.send(new ListDevicesCommand({ AccessToken: token }))).Devices, []);
    await expectAwsError(() => server.client.send(new GetDeviceCommand({ AccessToken: token, DeviceKey: meta?.DeviceKey as string })), 'ResourceNotFoundException', DEVICE_NOT_FOUND);
  });

  it('gives no NewDeviceMetadata and no device_key where the pool does not remember devices', async () => {
    const { clientId, secret } = await setup(undefined);
    const done = await passTotp(clientId, 'alice', await passwordSignIn(clientId, 'alice', 'us-east-1_00000000-0000-4000-8000-000000000000'), secret);
    assert.equal(done.AuthenticationResult?.NewDeviceMetadata, undefined);
    assert.equal(claims(done.AuthenticationResult?.AccessToken).device_key, undefined);
  });

  it('ConfirmDevice remembers the device (UserConfirmationNecessary false); GetDevice and ListDevices show it; a second ConfirmDevice is DeviceKeyExistsException', async () => {
    const { poolId, clientId, secret } = await setup({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false });
    const { result, device, confirmed } = await signInOnNewDevice(clientId, 'alice', secret);
    assert.equal(confirmed.UserConfirmationNecessary, false);
    const token = result.AccessToken as string;
    await expectAwsError(
      () => server.client.send(new ConfirmDeviceCommand({ AccessToken: token, DeviceKey: device.key, DeviceSecretVerifierConfig: device.config })),
      'DeviceKeyExistsException',
    );
    const got = (await server.client.send(new GetDeviceCommand({ AccessToken: token, DeviceKey: device.key }))).Device;
    assert.equal(got?.DeviceKey, device.key);
    assert.equal(attribute(got, 'device_status'), 'valid');
    assert.equal(attribute(got, 'device_name'), 'laptop');
    assert.equal(attribute(got, 'dev:device_remembered_status'), 'remembered');
    assert.equal(attribute(got, 'dev:device_owner'), `alice.${poolId}`);
    assert.ok(got?.DeviceCreateDate instanceof Date && got.DeviceLastAuthenticatedDate instanceof Date);
    // The verifier is sealed at rest and never shown.
    assert.ok(!JSON.stringify(got).includes(device.config.PasswordVerifier));
    const listed = await server.client.send(new ListDevicesCommand({ AccessToken: token }));
    assert.deepEqual(listed.Devices?.map((d) => d.DeviceKey), [device.key]);
    assert.equal(listed.PaginationToken, undefined);
    await expectAwsError(
      () => server.client.send(new ConfirmDeviceCommand({ AccessToken: token, DeviceKey: 'us-east-1_11111111-1111-4111-8111-111111111111', DeviceSecretVerifierConfig: device.config })),
      'ResourceNotFoundException',
      DEVICE_NOT_FOUND,
    );
  });

  it('a remembered device answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER instead of MFA (USER_SRP_AUTH and USER_PASSWORD_AUTH)', async () => {
    const { poolId, clientId, secret } = await setup({ ChallengeRequiredOnNewDevice: true });
    const { device } = await signInOnNewDevice(clientId, 'alice', secret);

    const start = await srpStart(server, poolId, clientId, 'alice');
    const proof = await srpAnswer(start, poolId, PASSWORD, srpTimestamp(server.clock.nowMs()));
    const challenge = await server.client.send(
      new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: { ...proof, DEVICE_KEY: device.key } }),
    );
    const srp = await deviceSrp(clientId, 'alice', challenge, device);
    const done = await srp.answer();
    assert.ok(done.AuthenticationResult?.AccessToken);
    assert.equal(done.AuthenticationResult?.NewDeviceMetadata, undefined);
    assert.equal(claims(done.AuthenticationResult?.AccessToken).device_key, device.key);
    // The SECRET_BLOCK is good once.
    await expectAwsError(() => respond(clientId, srp.verifier, srp.responses), 'NotAuthorizedException', 'Invalid session for the user, session is expired.');

    const viaPassword = await passwordSignIn(clientId, 'alice', device.key);
    const again = await (await deviceSrp(clientId, 'alice', viaPassword, device)).answer();
    assert.equal(claims(again.AuthenticationResult?.AccessToken).device_key, device.key);
  });

  it('refuses a device proof made without the device password, and a DEVICE_KEY the user has no device under', async () => {
    const { poolId, clientId, secret } = await setup({ ChallengeRequiredOnNewDevice: true });
    const { device } = await signInOnNewDevice(clientId, 'alice', secret);
    const wrong = await deviceSrp(clientId, 'alice', await passwordSignIn(clientId, 'alice', device.key), device, 'not-the-device-password');
    await expectAwsError(wrong.answer, 'NotAuthorizedException', INCORRECT);
    await expectAwsError(() => passwordSignIn(clientId, 'alice', 'us-east-1_22222222-2222-4222-8222-222222222222'), 'ResourceNotFoundException', DEVICE_NOT_FOUND);
    // In the SRP answer the refusal comes before the SECRET_BLOCK is spent, so the same answer
    // without the key goes through (what amazon-cognito-identity-js does on this refusal).
    const start = await srpStart(server, poolId, clientId, 'alice');
    const proof = await srpAnswer(start, poolId, PASSWORD, srpTimestamp(server.clock.nowMs()));
    const answer = (responses: Record<string, string>) =>
      server.client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses }));
    await expectAwsError(() => answer({ ...proof, DEVICE_KEY: 'us-east-1_22222222-2222-4222-8222-222222222222' }), 'ResourceNotFoundException', DEVICE_NOT_FOUND);
    assert.equal((await answer(proof)).ChallengeName, 'SOFTWARE_TOKEN_MFA');
    // Another user's device is not this user's.
    await addUser(poolId, clientId, 'bob');
    await expectAwsError(() => passwordSignIn(clientId, 'bob', device.key), 'ResourceNotFoundException', DEVICE_NOT_FOUND);
  });

  it('a device not remembered (UpdateDeviceStatus, AdminUpdateDeviceStatus) meets MFA again, and is bound to the tokens without new metadata', async () => {
    const { poolId, clientId, secret } = await setup({ ChallengeRequiredOnNewDevice: true });
    const { result, device } = await signInOnNewDevice(clientId, 'alice', secret);
    await server.client.send(new UpdateDeviceStatusCommand({ AccessToken: result.AccessToken, DeviceKey: device.key, DeviceRememberedStatus: 'not_remembered' }));
    const got = await server.client.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'alice', DeviceKey: device.key }));
    assert.equal(attribute(got.Device, 'dev:device_remembered_status'), 'not_remembered');
    const mfa = await passwordSignIn(clientId, 'alice', device.key);
    const done = await passTotp(clientId, 'alice', mfa, secret, device.key);
    assert.equal(done.AuthenticationResult?.NewDeviceMetadata, undefined);
    assert.equal(claims(done.AuthenticationResult?.AccessToken).device_key, device.key);

    await server.client.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: poolId, Username: 'alice', DeviceKey: device.key, DeviceRememberedStatus: 'remembered' }));
    assert.equal((await passwordSignIn(clientId, 'alice', device.key)).ChallengeName, 'DEVICE_SRP_AUTH');
    await expectAwsError(
      () => server.client.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: poolId, Username: 'nobody', DeviceKey: device.key, DeviceRememberedStatus: 'remembered' })),
      'UserNotFoundException',
      'User does not exist.',
    );
  });

  it('DeviceOnlyRememberedOnUserPrompt: ConfirmDevice answers UserConfirmationNecessary and leaves the device not remembered until UpdateDeviceStatus', async () => {
    const { clientId, secret } = await setup({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true });
    const { result, device, confirmed } = await signInOnNewDevice(clientId, 'alice', secret);
    assert.equal(confirmed.UserConfirmationNecessary, true);
    const got = await server.client.send(new GetDeviceCommand({ AccessToken: result.AccessToken, DeviceKey: device.key }));
    assert.equal(attribute(got.Device, 'dev:device_remembered_status'), 'not_remembered');
    assert.equal((await passwordSignIn(clientId, 'alice', device.key)).ChallengeName, 'SOFTWARE_TOKEN_MFA');
    await server.client.send(new UpdateDeviceStatusCommand({ AccessToken: result.AccessToken, DeviceKey: device.key, DeviceRememberedStatus: 'remembered' }));
    assert.equal((await passwordSignIn(clientId, 'alice', device.key)).ChallengeName, 'DEVICE_SRP_AUTH');
  });

  it('without ChallengeRequiredOnNewDevice a remembered device does not replace MFA', async () => {
    const { clientId, secret } = await setup({ ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false });
    const { device, confirmed } = await signInOnNewDevice(clientId, 'alice', secret);
    assert.equal(confirmed.UserConfirmationNecessary, false);
    assert.equal((await passwordSignIn(clientId, 'alice', device.key)).ChallengeName, 'SOFTWARE_TOKEN_MFA');
  });

  it('refresh tokens of a device refresh only with its DeviceKey / DEVICE_KEY: Invalid Refresh Token. without it', async () => {
    const { poolId, clientId, secret } = await setup({ ChallengeRequiredOnNewDevice: true });
    const { result, device } = await signInOnNewDevice(clientId, 'alice', secret);
    // The token endpoint cannot refresh it (DOC DG:token-endpoint, cognito-facts-areas.md 3.5).
    await server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `devices-${dialect}` }));
    const viaEndpoint = await fetch(`${server.url}/${poolId}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, refresh_token: result.RefreshToken as string }).toString(),
    });
    assert.equal(viaEndpoint.status, 400);
    assert.equal(((await viaEndpoint.json()) as { error?: string }).error, 'invalid_grant');
    const refresh = (deviceKey?: string) =>
      server.client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: result.RefreshToken as string, ...(deviceKey !== undefined && { DEVICE_KEY: deviceKey }) },
        }),
      );
    await expectAwsError(() => refresh(), 'NotAuthorizedException', INVALID_REFRESH);
    await expectAwsError(() => refresh('us-east-1_33333333-3333-4333-8333-333333333333'), 'NotAuthorizedException', INVALID_REFRESH);
    const renewed = await refresh(device.key);
    assert.equal(claims(renewed.AuthenticationResult?.AccessToken).device_key, device.key);
    await expectAwsError(
      () => server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: result.RefreshToken })),
      'NotAuthorizedException',
      INVALID_REFRESH,
    );
    const got = await server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: result.RefreshToken, DeviceKey: device.key }));
    assert.equal(claims(got.AuthenticationResult?.AccessToken).device_key, device.key);
    // Forgotten, the device no longer refreshes.
    await server.client.send(new ForgetDeviceCommand({ AccessToken: got.AuthenticationResult?.AccessToken, DeviceKey: device.key }));
    await expectAwsError(() => refresh(device.key), 'NotAuthorizedException', INVALID_REFRESH);
  });

  it('ForgetDevice and AdminForgetDevice: the device is gone, and naming it at sign-in is ResourceNotFoundException', async () => {
    const { poolId, clientId, secret } = await setup({ ChallengeRequiredOnNewDevice: true });
    const first = await signInOnNewDevice(clientId, 'alice', secret);
    const second = await signInOnNewDevice(clientId, 'alice', secret);
    const token = second.result.AccessToken as string;
    await server.client.send(new ForgetDeviceCommand({ AccessToken: token, DeviceKey: first.device.key }));
    await expectAwsError(() => server.client.send(new GetDeviceCommand({ AccessToken: token, DeviceKey: first.device.key })), 'ResourceNotFoundException', DEVICE_NOT_FOUND);
    await expectAwsError(() => server.client.send(new ForgetDeviceCommand({ AccessToken: token, DeviceKey: first.device.key })), 'ResourceNotFoundException', DEVICE_NOT_FOUND);
    await expectAwsError(() => passwordSignIn(clientId, 'alice', first.device.key), 'ResourceNotFoundException', DEVICE_NOT_FOUND);
    await server.client.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'alice', DeviceKey: second.device.key }));
    assert.deepEqual((await server.client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'alice' }))).Devices, []);
    await expectAwsError(
      () => server.client.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'alice', DeviceKey: second.device.key })),
      'ResourceNotFoundException',
      DEVICE_NOT_FOUND,
    );
    await expectAwsError(() => server.client.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'nobody', DeviceKey: second.device.key })), 'UserNotFoundException');
  });

  it('AdminGetDevice and AdminListDevices page the user\'s devices by key; an unknown user is ResourceNotFoundException', async () => {
    const { poolId, clientId, secret } = await setup({ ChallengeRequiredOnNewDevice: true });
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) keys.push((await signInOnNewDevice(clientId, 'alice', secret)).device.key);
    keys.sort();
    const first = await server.client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'alice', Limit: 2 }));
    assert.deepEqual(first.Devices?.map((d) => d.DeviceKey), keys.slice(0, 2));
    assert.ok(first.PaginationToken);
    const rest = await server.client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'alice', Limit: 2, PaginationToken: first.PaginationToken }));
    assert.deepEqual(rest.Devices?.map((d) => d.DeviceKey), keys.slice(2));
    assert.equal(rest.PaginationToken, undefined);
    const got = await server.client.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'alice', DeviceKey: keys[0] as string }));
    assert.equal(got.Device?.DeviceKey, keys[0]);
    await expectAwsError(() => server.client.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'nobody', DeviceKey: keys[0] as string })), 'ResourceNotFoundException', 'User does not exist.');
    await expectAwsError(() => server.client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'nobody' })), 'ResourceNotFoundException', 'User does not exist.');
    // A token of alice's listing does not page bob's.
    await addUser(poolId, clientId, 'bob');
    await expectAwsError(
      () => server.client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'bob', PaginationToken: first.PaginationToken })),
      'InvalidParameterException',
    );
  });

  it('the admin flow signs in on a new device too', async () => {
    const { poolId, clientId, secret } = await setup({ ChallengeRequiredOnNewDevice: true });
    const started = await server.client.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } }),
    );
    const done = await passTotp(clientId, 'alice', started, secret);
    assert.ok(done.AuthenticationResult?.NewDeviceMetadata?.DeviceKey);
  });
});
