import { AdminListDevicesCommand, AssociateSoftwareTokenCommand, InitiateAuthCommand, SetUserMFAPreferenceCommand, SetUserPoolMfaConfigCommand, VerifySoftwareTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession, type ICognitoStorage, type IAuthenticationCallback } from 'amazon-cognito-identity-js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { startServer, type TestServer } from './support/server.js';
import { authenticatorCode } from './support/totp.js';

const PASSWORD = 'Correct-Horse-1';

type Step =
  | { kind: 'session'; session: CognitoUserSession; userConfirmationNecessary?: boolean }
  | { kind: 'totpRequired' | 'mfaRequired'; challenge: string }
  | { kind: 'error'; error: { code?: string; message?: string } };

function callbacks(resolve: (step: Step) => void): IAuthenticationCallback {
  return {
    onSuccess: (session, userConfirmationNecessary) => resolve({ kind: 'session', session, ...(userConfirmationNecessary !== undefined && { userConfirmationNecessary }) }),
    onFailure: (error: { code?: string; message?: string }) => resolve({ kind: 'error', error }),
    totpRequired: (challenge: string) => resolve({ kind: 'totpRequired', challenge }),
    mfaRequired: (challenge: string) => resolve({ kind: 'mfaRequired', challenge }),
  };
}

/** The browser's localStorage, for one app. */
class MemoryStorage implements ICognitoStorage {
  readonly items = new Map<string, string>();
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
}

/**
 * amazon-cognito-identity-js, unmodified: after MFA it confirms the device NewDeviceMetadata
 * announced (ConfirmDevice with its own verifier), the app remembers it
 * (setDeviceStatusRemembered), and the next sign-in skips MFA through DEVICE_SRP_AUTH and
 * DEVICE_PASSWORD_VERIFIER (CognitoUser.getDeviceResponse); refreshSession sends the device key.
 */
describe('amazon-cognito-identity-js: remembered devices against userpoold', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    // The library stamps TIMESTAMP with the real clock, which the server checks against its own.
    server.clock.set(Date.now());
  });
  after(() => server.close());

  it('TOTP, confirmDevice, setDeviceStatusRemembered; then a sign-in without MFA; refreshSession; forgetDevice brings MFA back', async () => {
    const { poolId, clientId } = await createPoolWithClient(
      server.client,
      { PoolName: 'identity-js-devices', DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true } },
      { ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    );
    await server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    await createConfirmedUser(server.client, poolId, 'dana', { password: PASSWORD });
    // The authenticator, set up through the SDK (the first sign-in after confirmation issues tokens).
    const first = await server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'dana', PASSWORD } }));
    const setupToken = first.AuthenticationResult?.AccessToken;
    let secret: string;
    if (setupToken) {
      secret = (await server.client.send(new AssociateSoftwareTokenCommand({ AccessToken: setupToken }))).SecretCode as string;
      await server.client.send(new VerifySoftwareTokenCommand({ AccessToken: setupToken, UserCode: authenticatorCode(secret, server.clock.nowMs()) }));
      await server.client.send(new SetUserMFAPreferenceCommand({ AccessToken: setupToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    } else {
      assert.equal(first.ChallengeName, 'MFA_SETUP');
      secret = (await server.client.send(new AssociateSoftwareTokenCommand({ Session: first.Session }))).SecretCode as string;
      const verified = await server.client.send(new VerifySoftwareTokenCommand({ Session: first.Session, UserCode: authenticatorCode(secret, server.clock.nowMs()) }));
      assert.equal(verified.Status, 'SUCCESS');
    }

    const storage = new MemoryStorage();
    const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: server.url, Storage: storage });
    const authenticate = (user: CognitoUser) =>
      new Promise<Step>((resolve) => user.authenticateUser(new AuthenticationDetails({ Username: 'dana', Password: PASSWORD }), callbacks(resolve)));

    server.clock.advance(30_000);
    const user = new CognitoUser({ Username: 'dana', Pool: pool, Storage: storage });
    const challenged = await authenticate(user);
    assert.equal(challenged.kind, 'totpRequired');
    const done = await new Promise<Step>((resolve) => user.sendMFACode(authenticatorCode(secret, server.clock.nowMs()), callbacks(resolve), 'SOFTWARE_TOKEN_MFA'));
    assert.equal(done.kind, 'session', JSON.stringify(done));
    // The library confirmed the device; the pool asks the user first.
    if (done.kind === 'session') assert.equal(done.userConfirmationNecessary, true);
    const deviceKey = [...storage.items.entries()].find(([k]) => k.endsWith('.deviceKey'))?.[1];
    assert.match(deviceKey ?? '', /^us-east-1_/);
    await new Promise<string>((resolve, reject) => user.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }));

    // A new sign-in on the same device: no MFA.
    const again = new CognitoUser({ Username: 'dana', Pool: pool, Storage: storage });
    const skipped = await authenticate(again);
    assert.equal(skipped.kind, 'session', JSON.stringify(skipped));
    if (skipped.kind !== 'session') return;
    assert.equal(skipped.session.getAccessToken().decodePayload().device_key, deviceKey);

    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      again.refreshSession(skipped.session.getRefreshToken(), (err: Error | null, s: CognitoUserSession) => (err ? reject(err) : resolve(s))),
    );
    assert.equal(refreshed.getAccessToken().decodePayload().device_key, deviceKey);

    const devices = await new Promise<{ Devices: { DeviceKey: string }[] }>((resolve, reject) => again.listDevices(10, null, { onSuccess: resolve, onFailure: reject }));
    assert.deepEqual(devices.Devices.map((d) => d.DeviceKey), [deviceKey]);

    // The app forgets the device (ForgetDevice, and its cached key): MFA again.
    await new Promise<string>((resolve, reject) => again.forgetDevice({ onSuccess: resolve, onFailure: reject }));
    assert.deepEqual((await server.client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'dana' }))).Devices, []);
    server.clock.advance(30_000);
    const afterForget = await authenticate(new CognitoUser({ Username: 'dana', Pool: pool, Storage: storage }));
    assert.equal(afterForget.kind, 'totpRequired', JSON.stringify(afterForget));
  });
});
