import { AdminResetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createInvitedUser, createPoolWithClient } from './support/fixtures.js';
import { latestCode } from './support/outbox.js';
import { startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';
const TEMP_PASSWORD = 'Temp-Pass-1!';
const NEW_PASSWORD = 'Battery-Staple-2';

type Outcome = { kind: 'session'; session: CognitoUserSession } | { kind: 'newPassword'; attributes: Record<string, string> } | { kind: 'error'; error: { code?: string; name?: string; message?: string } };

/** amazon-cognito-identity-js, unmodified, pointed at userpoold through its `endpoint` option. */
describe('amazon-cognito-identity-js against userpoold', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    // The library stamps TIMESTAMP with the real clock, which the server checks against its own.
    server.clock.set(Date.now());
  });
  after(() => server.close());

  async function setup() {
    const { poolId, clientId } = await createPoolWithClient(server.client, { PoolName: 'identity-js', AutoVerifiedAttributes: ['email'] }, { ClientName: 'web' });
    const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: server.url });
    return { poolId, pool };
  }

  async function createUser(poolId: string, username: string, permanent: boolean) {
    if (permanent) await createConfirmedUser(server.client, poolId, username, { temporaryPassword: TEMP_PASSWORD, password: PASSWORD });
    else await createInvitedUser(server.client, poolId, username, { temporaryPassword: TEMP_PASSWORD });
  }

  function authenticate(user: CognitoUser, password: string): Promise<Outcome> {
    return new Promise((resolve) =>
      user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
        onSuccess: (session) => resolve({ kind: 'session', session }),
        onFailure: (error: { code?: string; message?: string }) => resolve({ kind: 'error', error }),
        newPasswordRequired: (attributes: Record<string, string>) => resolve({ kind: 'newPassword', attributes }),
      }),
    );
  }

  it('authenticateUser signs in over SRP and refuses a wrong password with AWS message', async () => {
    const { poolId, pool } = await setup();
    await createUser(poolId, 'alice', true);
    const user = new CognitoUser({ Username: 'alice', Pool: pool });
    const ok = await authenticate(user, PASSWORD);
    assert.equal(ok.kind, 'session');
    if (ok.kind === 'session') assert.equal(ok.session.getIdToken().decodePayload()['cognito:username'], 'alice');

    const bad = await authenticate(new CognitoUser({ Username: 'alice', Pool: pool }), 'Wrong-Password-9');
    assert.equal(bad.kind, 'error');
    if (bad.kind === 'error') {
      assert.equal(bad.error.code, 'NotAuthorizedException');
      assert.equal(bad.error.message, 'Incorrect username or password.');
    }
  });

  it('completeNewPasswordChallenge finishes an invited user’s first sign-in', async () => {
    const { poolId, pool } = await setup();
    await createUser(poolId, 'bob', false);
    const user = new CognitoUser({ Username: 'bob', Pool: pool });
    const first = await authenticate(user, TEMP_PASSWORD);
    assert.equal(first.kind, 'newPassword');
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.completeNewPasswordChallenge(NEW_PASSWORD, {}, { onSuccess: resolve, onFailure: reject }),
    );
    assert.ok(session.getAccessToken().getJwtToken());
    assert.equal((await authenticate(new CognitoUser({ Username: 'bob', Pool: pool }), NEW_PASSWORD)).kind, 'session');
  });

  it('after an admin reset: PasswordResetRequiredException, forgotPassword/confirmPassword, then SRP with the new password', async () => {
    const { poolId, pool } = await setup();
    await createUser(poolId, 'carol', true);
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'carol' }));
    const refused = await authenticate(new CognitoUser({ Username: 'carol', Pool: pool }), PASSWORD);
    assert.equal(refused.kind, 'error');
    if (refused.kind === 'error') assert.equal(refused.error.code, 'PasswordResetRequiredException');

    const user = new CognitoUser({ Username: 'carol', Pool: pool });
    await new Promise<void>((resolve, reject) => user.forgotPassword({ onSuccess: () => resolve(), onFailure: reject, inputVerificationCode: () => resolve() }));
    const code = await latestCode(server, poolId, 'carol');
    await new Promise<void>((resolve, reject) => user.confirmPassword(code, NEW_PASSWORD, { onSuccess: () => resolve(), onFailure: reject }));
    assert.equal((await authenticate(new CognitoUser({ Username: 'carol', Pool: pool }), NEW_PASSWORD)).kind, 'session');
    assert.equal((await authenticate(new CognitoUser({ Username: 'carol', Pool: pool }), PASSWORD)).kind, 'error');
  });
});
