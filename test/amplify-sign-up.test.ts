import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { autoSignIn, confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPoolWithClient } from './support/fixtures.js';
import { writeTriggersFile } from './support/lambda-http.js';
import { latestCode, messagesFor } from './support/outbox.js';
import { startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Sign-Up-Pass-1';
const PRE_SIGN_UP_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:pre-sign-up-module';

/**
 * Amplify Auth v6, unmodified, signing up against userpoold on a pool whose PreSignUp function
 * (a local module, test/fixtures/pre-sign-up-fn.mjs) confirms invited staff and verifies their
 * email at once, and leaves everyone else to confirm with a code (issue #16).
 */
describe('Amplify Auth v6 signUp with an auto-confirming PreSignUp trigger', () => {
  let server: TestServer;
  let poolId = '';
  before(async () => {
    server = await startServer({ config: { triggersFile: writeTriggersFile({ [PRE_SIGN_UP_ARN]: { module: resolve('test/fixtures/pre-sign-up-fn.mjs') } }) } });
    // Amplify stamps TIMESTAMP and checks token times with the real clock.
    server.clock.set(Date.now());
    const made = await createPoolWithClient(
      server.client,
      { PoolName: 'amplify-sign-up', AutoVerifiedAttributes: ['email'], LambdaConfig: { PreSignUp: PRE_SIGN_UP_ARN } },
      { ClientName: 'amplify-app' },
    );
    poolId = made.poolId;
    Amplify.configure({ Auth: { Cognito: { userPoolId: made.poolId, userPoolClientId: made.clientId, userPoolEndpoint: server.url } } });
  });
  after(() => server.close());

  /** The user as AdminGetUser shows it: status and attributes by name. */
  async function stored(username: string) {
    const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    return { status: user.UserStatus, attributes: Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value])) };
  }

  const staff = (username: string) => ({
    username,
    password: PASSWORD,
    options: { userAttributes: { email: `${username}@example.com` }, validationData: { invite: 'staff' } },
  });

  it('autoConfirmUser + autoVerifyEmail: signUp is complete (DONE), the user CONFIRMED with a verified email, no code sent', async () => {
    const out = await signUp(staff('sara'));
    assert.equal(out.isSignUpComplete, true);
    assert.equal(out.nextStep.signUpStep, 'DONE');
    const user = await stored('sara');
    assert.equal(user.status, 'CONFIRMED');
    assert.equal(user.attributes.email_verified, 'true');
    assert.equal(out.userId, user.attributes.sub);
    assert.deepEqual(await messagesFor(server, poolId, 'sara'), []);

    const signedIn = await signIn({ username: 'sara', password: PASSWORD });
    assert.equal(signedIn.isSignedIn, true);
    assert.equal((await fetchAuthSession()).tokens?.idToken?.payload.email_verified, true);
    await signOut();
  });

  it('with autoSignIn: COMPLETE_AUTO_SIGN_IN, then autoSignIn() signs the new user in', async () => {
    const out = await signUp({ ...staff('tom'), options: { ...staff('tom').options, autoSignIn: true } });
    assert.equal(out.isSignUpComplete, true);
    assert.equal(out.nextStep.signUpStep, 'COMPLETE_AUTO_SIGN_IN');
    const user = await stored('tom');
    assert.equal(user.status, 'CONFIRMED');
    assert.equal(user.attributes.email_verified, 'true');

    const signedIn = await autoSignIn();
    assert.equal(signedIn.isSignedIn, true);
    assert.equal(signedIn.nextStep.signInStep, 'DONE');
    const tokens = (await fetchAuthSession()).tokens;
    assert.equal(tokens?.idToken?.payload['cognito:username'], 'tom');
    assert.equal(tokens?.idToken?.payload.email_verified, true);
    assert.equal(tokens?.accessToken.payload.sub, user.attributes.sub);
    await signOut();
  });

  // Without autoSignIn here: on this path Amplify arms a three-minute timer (its wait for
  // confirmSignUp) that nothing can clear, which would hold the test process open.
  it('without the invite the function leaves the user unconfirmed: CONFIRM_SIGN_UP, then confirmSignUp and signIn', async () => {
    const out = await signUp({ username: 'gus', password: PASSWORD, options: { userAttributes: { email: 'gus@example.com' } } });
    assert.equal(out.isSignUpComplete, false);
    assert.equal(out.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
    assert.equal(out.nextStep.signUpStep === 'CONFIRM_SIGN_UP' ? out.nextStep.codeDeliveryDetails.deliveryMedium : undefined, 'EMAIL');
    assert.equal((await stored('gus')).status, 'UNCONFIRMED');
    assert.equal((await stored('gus')).attributes.email_verified, undefined);

    const confirmed = await confirmSignUp({ username: 'gus', confirmationCode: await latestCode(server, poolId, 'gus') });
    assert.equal(confirmed.isSignUpComplete, true);
    assert.equal(confirmed.nextStep.signUpStep, 'DONE');
    const signedIn = await signIn({ username: 'gus', password: PASSWORD });
    assert.equal(signedIn.isSignedIn, true);
    assert.equal((await fetchAuthSession()).tokens?.idToken?.payload['cognito:username'], 'gus');
    const user = await stored('gus');
    assert.equal(user.status, 'CONFIRMED');
    assert.equal(user.attributes.email_verified, 'true');
    await signOut();
  });

  it('a PreSignUp refusal reaches Amplify as UserLambdaValidationException and creates no user', async () => {
    await assert.rejects(
      signUp({ username: 'ext', password: PASSWORD, options: { userAttributes: { email: 'ext@elsewhere.test' } } }),
      (err: Error) => err.name === 'UserLambdaValidationException' && err.message === 'PreSignUp failed with error Registration from this domain is not allowed..',
    );
    await assert.rejects(stored('ext'), (err: Error) => err.name === 'UserNotFoundException');
  });
});
