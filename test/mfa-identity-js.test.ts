import { AdminSetUserMFAPreferenceCommand, SetUserPoolMfaConfigCommand, type SetUserPoolMfaConfigCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession, type IAuthenticationCallback } from 'amazon-cognito-identity-js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { latestCode } from './support/outbox.js';
import { startServer, type TestServer } from './support/server.js';
import { authenticatorCode } from './support/totp.js';

const PASSWORD = 'Correct-Horse-1';
const SMS_CONFIG = { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns', ExternalId: 'x' };

/** What a step of the library's callbacks ended in. */
type Step =
  | { kind: 'session'; session: CognitoUserSession }
  | { kind: 'mfaRequired' | 'totpRequired' | 'mfaSetup'; challenge: string; parameters: Record<string, string> }
  | { kind: 'error'; error: { code?: string; message?: string } };

function callbacks(resolve: (step: Step) => void): IAuthenticationCallback {
  return {
    onSuccess: (session) => resolve({ kind: 'session', session }),
    onFailure: (error: { code?: string; message?: string }) => resolve({ kind: 'error', error }),
    mfaRequired: (challenge: string, parameters: Record<string, string>) => resolve({ kind: 'mfaRequired', challenge, parameters }),
    totpRequired: (challenge: string, parameters: Record<string, string>) => resolve({ kind: 'totpRequired', challenge, parameters }),
    mfaSetup: (challenge: string, parameters: Record<string, string>) => resolve({ kind: 'mfaSetup', challenge, parameters }),
  };
}

/** amazon-cognito-identity-js, unmodified: its SRP sign-in meeting each MFA challenge. */
describe('amazon-cognito-identity-js: mfaRequired, totpRequired and mfaSetup against userpoold', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    // The library stamps TIMESTAMP with the real clock, which the server checks against its own.
    server.clock.set(Date.now());
  });
  after(() => server.close());

  async function setup(mfa: Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>) {
    const { poolId, clientId } = await createPoolWithClient(server.client, { PoolName: 'identity-js-mfa' }, { ClientName: 'web' });
    await server.client.send(new SetUserPoolMfaConfigCommand({ ...mfa, UserPoolId: poolId }));
    return { poolId, pool: new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: server.url }) };
  }

  const authenticate = (user: CognitoUser) =>
    new Promise<Step>((resolve) => user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: PASSWORD }), callbacks(resolve)));
  const sendCode = (user: CognitoUser, code: string, type: 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA') =>
    new Promise<Step>((resolve) => user.sendMFACode(code, callbacks(resolve), type));

  it('SMS_MFA: mfaRequired with the masked destination, then sendMFACode signs in', async () => {
    const { poolId, pool } = await setup({ MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIG } });
    await createConfirmedUser(server.client, poolId, 'sms', { password: PASSWORD, attributes: [{ Name: 'phone_number', Value: '+15555550199' }] });
    await server.client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'sms', SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
    const user = new CognitoUser({ Username: 'sms', Pool: pool });
    const step = await authenticate(user);
    assert.equal(step.kind, 'mfaRequired');
    if (step.kind === 'mfaRequired') assert.equal(step.parameters.CODE_DELIVERY_DELIVERY_MEDIUM, 'SMS');
    const wrong = await sendCode(user, '000000' === (await latestCode(server, poolId, 'sms')) ? '111111' : '000000', 'SMS_MFA');
    assert.equal(wrong.kind, 'error');
    if (wrong.kind === 'error') assert.equal(wrong.error.code, 'CodeMismatchException');
    const done = await sendCode(user, await latestCode(server, poolId, 'sms'), 'SMS_MFA');
    assert.equal(done.kind, 'session');
    if (done.kind === 'session') assert.equal(done.session.getIdToken().decodePayload()['cognito:username'], 'sms');
  });

  it('MFA_SETUP then SOFTWARE_TOKEN_MFA: mfaSetup, associateSoftwareToken and verifySoftwareToken; later totpRequired and sendMFACode', async () => {
    const { poolId, pool } = await setup({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
    await createConfirmedUser(server.client, poolId, 'totp', { password: PASSWORD });
    const user = new CognitoUser({ Username: 'totp', Pool: pool });
    const step = await authenticate(user);
    assert.equal(step.kind, 'mfaSetup');
    const secret = await new Promise<string>((resolve, reject) => user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
    const verified = await new Promise<Step>((resolve) => user.verifySoftwareToken(authenticatorCode(secret, server.clock.nowMs()), 'phone', callbacks(resolve)));
    assert.equal(verified.kind, 'session');

    // The next step of the authenticator, so that the setup's code is not reused.
    server.clock.advance(30_000);
    const again = new CognitoUser({ Username: 'totp', Pool: pool });
    const challenged = await authenticate(again);
    assert.equal(challenged.kind, 'totpRequired');
    const done = await sendCode(again, authenticatorCode(secret, server.clock.nowMs()), 'SOFTWARE_TOKEN_MFA');
    assert.equal(done.kind, 'session');
  });
});
