import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient, verifiedEmail } from './support/fixtures.js';
import { latestCode, messagesFor } from './support/outbox.js';
import { expectAwsError } from './support/server.js';
import { startFakeLambda, type FakeLambda } from './support/lambda-invoke-fake.js';
import { startSwitchboard, type SeenEvent, type Switchboard } from './support/trigger-switchboard.js';

const LOOPING_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:looping';
const UNMAPPED_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:not-in-the-triggers-file';
const PASSWORD = 'Sign-Up-Pass-1';

/** The user as AdminGetUser shows it: status and attributes by name. */
async function stored(sb: Switchboard, poolId: string, username: string) {
  const user = await sb.server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return { status: user.UserStatus, attributes: Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value])) };
}

describe('PreSignUp and PostConfirmation triggers', () => {
  let sb: Switchboard;
  let poolId: string;
  let clientId: string;

  before(async () => {
    sb = await startSwitchboard({ triggerTimeoutMs: 1000 }, { [LOOPING_ARN]: { module: resolve('test/fixtures/looping-fn.mjs') } });
    ({ poolId, clientId } = await createPoolWithClient(
      sb.server.client,
      { PoolName: 'signup-triggers', AutoVerifiedAttributes: ['email'], LambdaConfig: { PreSignUp: sb.arn, PostConfirmation: sb.arn } },
      { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    ));
  });
  after(() => sb.close());

  const signUp = (username: string, extra: { ValidationData?: { Name: string; Value: string }[]; ClientMetadata?: Record<string, string> } = {}) =>
    sb.server.client.send(
      new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }], ...extra }),
    );

  it('PreSignUp_SignUp receives the event AWS documents, and an answer left unchanged keeps the usual sign-up', async () => {
    sb.answer((event) => event);
    const out = await signUp('ann', { ValidationData: [{ Name: 'invite', Value: 'X-1' }], ClientMetadata: { campaign: 'spring' } });
    const [event, ...rest] = sb.events();
    assert.equal(rest.length, 0, 'one invocation: PostConfirmation does not run for an unconfirmed sign-up');
    assert.deepEqual(event, {
      version: '1',
      triggerSource: 'PreSignUp_SignUp',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: 'ann',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
      request: { userAttributes: { email: 'ann@example.com' }, validationData: { invite: 'X-1' }, clientMetadata: { campaign: 'spring' } },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    } satisfies SeenEvent);
    assert.equal(out.UserConfirmed, false);
    assert.equal(out.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    assert.equal((await stored(sb, poolId, 'ann')).status, 'UNCONFIRMED');
  });

  it('sends validationData null and no clientMetadata when the request has none', async () => {
    sb.answer((event) => event);
    await signUp('bea');
    assert.deepEqual(sb.events('PreSignUp_SignUp')[0]?.request, { userAttributes: { email: 'bea@example.com' }, validationData: null });
  });

  it('autoConfirmUser and autoVerifyEmail confirm the user and verify the email; no code is sent; PostConfirmation_ConfirmSignUp follows', async () => {
    sb.answer((event) => (event.triggerSource === 'PreSignUp_SignUp' ? { ...event, response: { autoConfirmUser: true, autoVerifyEmail: true } } : event));
    const out = await signUp('cal', { ClientMetadata: { campaign: 'summer' } });
    assert.equal(out.UserConfirmed, true);
    assert.equal(out.CodeDeliveryDetails, undefined);
    assert.deepEqual(await messagesFor(sb.server, poolId, 'cal'), []);
    const user = await stored(sb, poolId, 'cal');
    assert.equal(user.status, 'CONFIRMED');
    assert.equal(user.attributes.email_verified, 'true');

    const [post] = sb.events('PostConfirmation_ConfirmSignUp');
    assert.ok(post, 'PostConfirmation ran');
    assert.equal(post.userName, 'cal');
    assert.equal(post.callerContext.clientId, clientId);
    assert.deepEqual(post.request, {
      userAttributes: { sub: user.attributes.sub, email: 'cal@example.com', email_verified: 'true', 'cognito:user_status': 'CONFIRMED' },
      clientMetadata: { campaign: 'summer' },
    });
    assert.deepEqual(post.response, {});
    // The confirmed user signs in at once.
    const signedIn = await sb.server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'cal', PASSWORD } }));
    assert.ok(signedIn.AuthenticationResult?.IdToken);
  });

  it('a function that throws refuses the sign-up with AWS error text, and nothing is written', async () => {
    sb.answer(() => {
      throw new Error('Registration from this domain is not allowed.');
    });
    await expectAwsError(() => signUp('dan'), 'UserLambdaValidationException', 'PreSignUp failed with error Registration from this domain is not allowed..');
    await expectAwsError(() => sb.server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dan' })), 'UserNotFoundException');
    assert.deepEqual(await messagesFor(sb.server, poolId, 'dan'), []);
  });

  it('an answer of the wrong shape is InvalidLambdaResponseException, and nothing is written', async () => {
    sb.answer((event) => ({ ...event, response: { autoConfirmUser: 'yes' } }));
    await expectAwsError(() => signUp('eve'), 'InvalidLambdaResponseException', 'Unrecognizable lambda output');
    sb.answer(() => null);
    await expectAwsError(() => signUp('eve'), 'InvalidLambdaResponseException', 'Invalid lambda function output : Invalid JSON');
    await expectAwsError(() => sb.server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'eve' })), 'UserNotFoundException');
  });

  it('autoVerifyPhone for a user without a phone number fails the sign-up', async () => {
    sb.answer((event) => ({ ...event, response: { autoConfirmUser: true, autoVerifyPhone: true } }));
    await expectAwsError(() => signUp('fay'), 'InvalidParameterException', 'The PreSignUp function asked to verify phone_number, but the user has no phone_number.');
    await expectAwsError(() => sb.server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'fay' })), 'UserNotFoundException');
  });

  it('PreSignUp_AdminCreateUser: no app client, the ValidationData and ClientMetadata; its auto* answers are ignored', async () => {
    sb.answer((event) => ({ ...event, response: { autoConfirmUser: true, autoVerifyEmail: true } }));
    await sb.server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'gus',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'gus@example.com' }],
        ValidationData: [{ Name: 'source', Value: 'crm' }],
        ClientMetadata: { by: 'admin' },
      }),
    );
    assert.deepEqual(sb.events(), [
      {
        version: '1',
        triggerSource: 'PreSignUp_AdminCreateUser',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: 'gus',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'CLIENT_ID_NOT_APPLICABLE' },
        request: { userAttributes: { email: 'gus@example.com' }, validationData: { source: 'crm' }, clientMetadata: { by: 'admin' } },
        response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      },
    ]);
    const user = await stored(sb, poolId, 'gus');
    assert.equal(user.status, 'FORCE_CHANGE_PASSWORD');
    assert.equal(user.attributes.email_verified, undefined);
  });

  it('PreSignUp_AdminCreateUser that throws refuses the user', async () => {
    sb.answer(() => {
      throw new Error('No admins today');
    });
    await expectAwsError(
      () => sb.server.client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'hal', MessageAction: 'SUPPRESS' })),
      'UserLambdaValidationException',
      'PreSignUp failed with error No admins today.',
    );
    await expectAwsError(() => sb.server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'hal' })), 'UserNotFoundException');
  });

  it('ConfirmSignUp runs PostConfirmation_ConfirmSignUp after confirming; its failure is reported but the confirmation stands', async () => {
    sb.answer((event) => event);
    await signUp('ivy');
    const code = await latestCode(sb.server, poolId, 'ivy');
    sb.answer((event) => {
      throw new Error(`welcome mail for ${event.userName} failed`);
    });
    await expectAwsError(
      () => sb.server.client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'ivy', ConfirmationCode: code, ClientMetadata: { step: 'confirm' } })),
      'UserLambdaValidationException',
      'PostConfirmation failed with error welcome mail for ivy failed.',
    );
    const [post, ...rest] = sb.events();
    assert.equal(rest.length, 0);
    assert.equal(post?.triggerSource, 'PostConfirmation_ConfirmSignUp');
    assert.equal(post?.callerContext.clientId, clientId);
    assert.equal(post?.request.clientMetadata && (post.request.clientMetadata as Record<string, string>).step, 'confirm');
    assert.equal((post?.request.userAttributes as Record<string, string>)['cognito:user_status'], 'CONFIRMED');
    assert.equal((post?.request.userAttributes as Record<string, string>).email_verified, 'true');
    assert.equal((await stored(sb, poolId, 'ivy')).status, 'CONFIRMED');
  });

  it('AdminConfirmSignUp runs PostConfirmation_ConfirmSignUp with its ClientMetadata and no app client', async () => {
    sb.answer((event) => event);
    await signUp('jon');
    sb.clear();
    await sb.server.client.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'jon', ClientMetadata: { by: 'support' } }));
    const [post, ...rest] = sb.events();
    assert.equal(rest.length, 0);
    assert.deepEqual(
      { source: post?.triggerSource, client: post?.callerContext.clientId, metadata: post?.request.clientMetadata, status: (post?.request.userAttributes as Record<string, string>)['cognito:user_status'] },
      { source: 'PostConfirmation_ConfirmSignUp', client: 'CLIENT_ID_NOT_APPLICABLE', metadata: { by: 'support' }, status: 'CONFIRMED' },
    );
  });

  it('ConfirmForgotPassword runs PostConfirmation_ConfirmForgotPassword', async () => {
    sb.answer((event) => event);
    await createConfirmedUser(sb.server.client, poolId, 'kim', { password: PASSWORD, attributes: verifiedEmail('kim') });
    await sb.server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'kim' }));
    const code = await latestCode(sb.server, poolId, 'kim');
    sb.clear();
    await sb.server.client.send(
      new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'kim', ConfirmationCode: code, Password: 'New-Pass-22', ClientMetadata: { via: 'reset' } }),
    );
    const [post, ...rest] = sb.events();
    assert.equal(rest.length, 0);
    assert.equal(post?.triggerSource, 'PostConfirmation_ConfirmForgotPassword');
    assert.equal(post?.userName, 'kim');
    assert.equal(post?.callerContext.clientId, clientId);
    assert.deepEqual(post?.request.clientMetadata, { via: 'reset' });
    assert.equal((post?.request.userAttributes as Record<string, string>).email, 'kim@example.com');
  });

  it('a function that does not answer in time is UnexpectedLambdaException, and nothing is written', async () => {
    const pool = await sb.server.client.send(new CreateUserPoolCommand({ PoolName: 'slow', LambdaConfig: { PreSignUp: LOOPING_ARN } }));
    const id = pool.UserPool?.Id as string;
    await expectAwsError(
      () => sb.server.client.send(new AdminCreateUserCommand({ UserPoolId: id, Username: 'lee', MessageAction: 'SUPPRESS' })),
      'UnexpectedLambdaException',
      'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
    );
    await expectAwsError(() => sb.server.client.send(new AdminGetUserCommand({ UserPoolId: id, Username: 'lee' })), 'UserNotFoundException');
  });
});

describe('PreSignUp as a local module and through the Lambda Invoke API', () => {
  const MODULE_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:pre-sign-up-module';
  const API_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:pre-sign-up-api';
  let sb: Switchboard;
  let lambda: FakeLambda;

  before(async () => {
    lambda = await startFakeLambda({
      [API_ARN]: async (event) => ((await import(resolve('test/fixtures/pre-sign-up-fn.mjs'))) as { handler: (e: unknown) => Promise<unknown> }).handler(event),
    });
    sb = await startSwitchboard({ lambdaEndpoint: lambda.endpoint }, { [MODULE_ARN]: { module: resolve('test/fixtures/pre-sign-up-fn.mjs') } });
  });
  after(async () => {
    await sb.close();
    await lambda.close();
  });

  for (const [how, arn] of [
    ['module', MODULE_ARN],
    ['Invoke API', API_ARN],
  ] as const) {
    it(`runs the handler (${how}): refuses other domains, confirms invited staff`, async () => {
      const { clientId, poolId } = await createPoolWithClient(sb.server.client, { PoolName: `pre-${how}`, AutoVerifiedAttributes: ['email'], LambdaConfig: { PreSignUp: arn } });
      const signUp = (username: string, email: string, invite?: string) =>
        sb.server.client.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: username,
            Password: PASSWORD,
            UserAttributes: [{ Name: 'email', Value: email }],
            ...(invite !== undefined && { ValidationData: [{ Name: 'invite', Value: invite }] }),
          }),
        );
      await expectAwsError(() => signUp('out', 'out@elsewhere.test'), 'UserLambdaValidationException', 'PreSignUp failed with error Registration from this domain is not allowed..');
      assert.equal((await signUp('guest', 'guest@example.com')).UserConfirmed, false);
      assert.equal((await signUp('staff', 'staff@example.com', 'staff')).UserConfirmed, true);
      assert.equal((await stored(sb, poolId, 'staff')).attributes.email_verified, 'true');
    });
  }
});

describe('a trigger whose function userpoold cannot reach', () => {
  let sb: Switchboard;
  const saved = { ...process.env };
  before(async () => {
    // No AWS credentials anywhere and no instance metadata: the Invoke API fallback has nothing to sign with.
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE']) {
      delete process.env[name];
    }
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
    process.env.AWS_CONFIG_FILE = '/nonexistent/config';
    sb = await startSwitchboard();
  });
  after(async () => {
    await sb.close();
    process.env = saved;
  });

  it('names the ARN and how to map it when it is not in --triggers-file and there is no Lambda endpoint', async () => {
    const pool = await sb.server.client.send(new CreateUserPoolCommand({ PoolName: 'unmapped', LambdaConfig: { PreSignUp: UNMAPPED_ARN } }));
    await expectAwsError(
      () => sb.server.client.send(new AdminCreateUserCommand({ UserPoolId: pool.UserPool?.Id as string, Username: 'max', MessageAction: 'SUPPRESS' })),
      'UnexpectedLambdaException',
      `PreSignUp invocation failed due to error NoInvokerConfigured: userpoold has no invoker for ${UNMAPPED_ARN}; ` +
        'map the ARN in --triggers-file ({"module": "./fn.mjs"}, {"url": "http://..."} or {"lambda": {"endpoint": "http://..."}}) or set --lambda-endpoint.',
    );
  });
});
