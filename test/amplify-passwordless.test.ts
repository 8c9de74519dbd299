import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient, verifiedEmail } from './support/fixtures.js';
import { latestCode } from './support/outbox.js';
import { startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';

/** Amplify Auth v6, unmodified, signing in with choice-based sign-in (USER_AUTH) against userpoold. */
describe('Amplify Auth v6 USER_AUTH against userpoold', () => {
  let server: TestServer;
  let poolId = '';
  before(async () => {
    server = await startServer();
    // Amplify checks token times with the real clock.
    server.clock.set(Date.now());
    const made = await createPoolWithClient(
      server.client,
      {
        PoolName: 'amplify-passwordless',
        EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com' },
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
      },
      { ClientName: 'amplify-app', ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    );
    poolId = made.poolId;
    Amplify.configure({ Auth: { Cognito: { userPoolId: made.poolId, userPoolClientId: made.clientId, userPoolEndpoint: server.url } } });
    await createConfirmedUser(server.client, poolId, 'rita', { password: PASSWORD, attributes: verifiedEmail('rita') });
  });
  after(() => server.close());

  it('preferredChallenge EMAIL_OTP: the code from the outbox through confirmSignIn', async () => {
    const started = await signIn({ username: 'rita', options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
    assert.equal(started.isSignedIn, false);
    assert.equal(started.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const done = await confirmSignIn({ challengeResponse: await latestCode(server, poolId, 'rita') });
    assert.equal(done.isSignedIn, true);
    assert.equal((await fetchAuthSession()).tokens?.idToken?.payload['cognito:username'], 'rita');
    await signOut();
  });

  it('preferredChallenge PASSWORD signs in at once', async () => {
    const done = await signIn({ username: 'rita', password: PASSWORD, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' } });
    assert.equal(done.isSignedIn, true);
    assert.equal(done.nextStep.signInStep, 'DONE');
    await signOut();
  });

  it('no preference: the first-factor choice, then the email code', async () => {
    const started = await signIn({ username: 'rita', options: { authFlowType: 'USER_AUTH' } });
    assert.equal(started.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    assert.deepEqual('availableChallenges' in started.nextStep ? started.nextStep.availableChallenges : undefined, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    const chosen = await confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
    assert.equal(chosen.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const done = await confirmSignIn({ challengeResponse: await latestCode(server, poolId, 'rita') });
    assert.equal(done.isSignedIn, true);
    await signOut();
  });
});
