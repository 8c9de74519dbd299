import { AdminResetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { confirmResetPassword, fetchAuthSession, resetPassword, signIn, signOut } from 'aws-amplify/auth';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { latestCode } from './support/outbox.js';
import { startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';
const NEW_PASSWORD = 'Battery-Staple-2';

/** Amplify Auth v6, unmodified, with userpoold as its userPoolEndpoint (Node 20, in-memory storage). */
describe('Amplify Auth v6 against userpoold', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    // Amplify stamps TIMESTAMP and checks token times with the real clock.
    server.clock.set(Date.now());
  });
  after(() => server.close());

  it('admin reset: signIn says RESET_PASSWORD, confirmResetPassword with the delivered code, signIn succeeds, signOut', async () => {
    const { poolId, clientId } = await createPoolWithClient(server.client, { PoolName: 'amplify', AutoVerifiedAttributes: ['email'] }, { ClientName: 'amplify-app' });
    Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: server.url } } });

    await createConfirmedUser(server.client, poolId, 'dana', { password: PASSWORD });

    const first = await signIn({ username: 'dana', password: PASSWORD });
    assert.equal(first.isSignedIn, true);
    assert.equal(first.nextStep.signInStep, 'DONE');
    const session = await fetchAuthSession();
    assert.equal(session.tokens?.idToken?.payload['cognito:username'], 'dana');
    await signOut();

    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'dana' }));
    const refused = await signIn({ username: 'dana', password: PASSWORD });
    assert.equal(refused.isSignedIn, false);
    assert.equal(refused.nextStep.signInStep, 'RESET_PASSWORD');

    const reset = await resetPassword({ username: 'dana' });
    assert.equal(reset.nextStep.resetPasswordStep, 'CONFIRM_RESET_PASSWORD_WITH_CODE');
    const code = await latestCode(server, poolId, 'dana');
    await confirmResetPassword({ username: 'dana', confirmationCode: code, newPassword: NEW_PASSWORD });

    await assert.rejects(signIn({ username: 'dana', password: PASSWORD }), (err: Error) => err.name === 'NotAuthorizedException' && err.message === 'Incorrect username or password.');
    const done = await signIn({ username: 'dana', password: NEW_PASSWORD });
    assert.equal(done.isSignedIn, true);
    await signOut();
    assert.equal((await fetchAuthSession()).tokens, undefined);
  });
});
