import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { decodeJwt } from 'jose';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';
import { newHelper, srpAnswer, srpTimestamp } from './support/srp-client.js';
import { writeTriggersFile } from './support/lambda-http.js';
import { startSwitchboard, type SeenEvent, type Switchboard } from './support/trigger-switchboard.js';

/**
 * CUSTOM_AUTH with the DefineAuthChallenge, CreateAuthChallenge and VerifyAuthChallengeResponse
 * functions (cognito-facts-areas.md §2.2, §2.3, §3.3, §3.4), through the AWS SDK and
 * amazon-cognito-identity-js.
 */

const PASSWORD = 'Custom-Auth-Pass-1';
const FLOWS = ['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
const INCORRECT = 'Incorrect username or password.';
const EXPIRED = 'Invalid session for the user, session is expired.';
const SPENT = 'Invalid session for the user.';
const UNRECOGNIZABLE = 'Unrecognizable lambda output';

type Round = { challengeName: string; challengeResult: boolean; challengeMetadata: string | null };
const DEFINE = 'DefineAuthChallenge_Authentication';
const CREATE = 'CreateAuthChallenge_Authentication';
const VERIFY = 'VerifyAuthChallengeResponse_Authentication';

/**
 * The function behind every custom-auth ARN of the switchboard pools: a one-round challenge
 * ("what is 6 x 7?"), unless the test says otherwise through `define`.
 */
function quiz(define: (session: Round[], event: SeenEvent) => Record<string, unknown> = defaultDefine) {
  return (event: SeenEvent) => {
    const session = (event.request.session ?? []) as Round[];
    switch (event.triggerSource) {
      case DEFINE:
        return { ...event, response: define(session, event) };
      case CREATE:
        return {
          ...event,
          response: { publicChallengeParameters: { question: 'What is 6 x 7?', round: session.length + 1 }, privateChallengeParameters: { answer: '42' }, challengeMetadata: `QUIZ-${session.length + 1}` },
        };
      case VERIFY:
        return { ...event, response: { answerCorrect: event.request.challengeAnswer === (event.request.privateChallengeParameters as Record<string, string>).answer } };
      default:
        return event;
    }
  };
}
function defaultDefine(session: Round[]): Record<string, unknown> {
  const last = session.at(-1);
  if (last?.challengeName === 'SRP_A') return { challengeName: 'PASSWORD_VERIFIER', issueTokens: false, failAuthentication: false };
  if (last?.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult) return { issueTokens: true, failAuthentication: false };
  if (session.filter((r) => r.challengeName === 'CUSTOM_CHALLENGE').length >= 3) return { issueTokens: false, failAuthentication: true };
  return { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false };
}

describe('CUSTOM_AUTH with the three custom-auth functions (switchboard)', () => {
  let sb: Switchboard;
  let poolId: string;
  let clientId: string;
  let hidingClientId: string;
  let sub: string;

  const start = (username = 'ann', client = clientId, params: Record<string, string> = {}, clientMetadata?: Record<string, string>) =>
    sb.server.client.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: username, ...params }, ClientMetadata: clientMetadata }));
  const answer = (session: string | undefined, value: string, username = 'ann', client = clientId, clientMetadata?: Record<string, string>) =>
    sb.server.client.send(
      new RespondToAuthChallengeCommand({ ClientId: client, ChallengeName: 'CUSTOM_CHALLENGE', Session: session, ChallengeResponses: { USERNAME: username, ANSWER: value }, ClientMetadata: clientMetadata }),
    );

  before(async () => {
    sb = await startSwitchboard();
    ({ poolId, clientId } = await createPoolWithClient(
      sb.server.client,
      {
        PoolName: 'custom-auth',
        LambdaConfig: { DefineAuthChallenge: sb.arn, CreateAuthChallenge: sb.arn, VerifyAuthChallengeResponse: sb.arn, PostAuthentication: sb.arn, PreAuthentication: sb.arn, PreTokenGeneration: sb.arn },
      },
      { ExplicitAuthFlows: [...FLOWS] },
    ));
    const hiding = await sb.server.client.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'hiding', ExplicitAuthFlows: [...FLOWS], PreventUserExistenceErrors: 'ENABLED' }),
    );
    hidingClientId = hiding.UserPoolClient?.ClientId as string;
    await createConfirmedUser(sb.server.client, poolId, 'ann', { password: PASSWORD });
    sb.answer(quiz());
    const out = await start();
    const done = await answer(out.Session, '42');
    sub = decodeJwt(done.AuthenticationResult?.IdToken as string).sub as string;
  });
  after(() => sb.close());

  it('runs Define, Create, then Verify, Define, PostAuthentication and TokenGeneration, each with the event AWS documents', async () => {
    sb.answer(quiz());
    const first = await start('ann', clientId, {}, { from: 'initiate' });
    assert.equal(first.ChallengeName, 'CUSTOM_CHALLENGE');
    assert.ok(first.Session && first.Session.length >= 20 && first.Session.length <= 2048);
    // The public parameters (strings, as the model types them) and the user's name.
    assert.deepEqual(first.ChallengeParameters, { question: 'What is 6 x 7?', round: '1', USERNAME: 'ann' });

    const userAttributes = { sub, email: 'ann@example.com', email_verified: 'true', 'cognito:user_status': 'CONFIRMED' };
    const common = { version: '1', region: 'us-east-1', userPoolId: poolId, userName: 'ann', callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId } };
    const initiated = sb.events();
    // No PreAuthentication in CUSTOM_AUTH [FIELD amplify-js#5318]; no InitiateAuth ClientMetadata for Define/Create (§2.2).
    assert.deepEqual(
      initiated.map((e) => e.triggerSource),
      [DEFINE, CREATE],
    );
    assert.deepEqual(initiated[0], {
      ...common,
      triggerSource: DEFINE,
      request: { userAttributes, session: [] },
      response: { challengeName: null, issueTokens: null, failAuthentication: null },
    } satisfies SeenEvent);
    assert.deepEqual(initiated[1], {
      ...common,
      triggerSource: CREATE,
      request: { userAttributes, challengeName: 'CUSTOM_CHALLENGE', session: [] },
      response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
    } satisfies SeenEvent);

    sb.clear();
    const done = await answer(first.Session, '42', 'ann', clientId, { from: 'respond' });
    assert.ok(done.AuthenticationResult?.AccessToken);
    assert.equal(done.ChallengeName, undefined);
    const responded = sb.events();
    assert.deepEqual(
      responded.map((e) => e.triggerSource),
      [VERIFY, DEFINE, 'PostAuthentication_Authentication', 'TokenGeneration_Authentication'],
    );
    assert.deepEqual(responded[0], {
      ...common,
      triggerSource: VERIFY,
      request: { userAttributes, privateChallengeParameters: { answer: '42' }, challengeAnswer: '42', clientMetadata: { from: 'respond' } },
      response: { answerCorrect: null },
    } satisfies SeenEvent);
    assert.deepEqual(responded[1], {
      ...common,
      triggerSource: DEFINE,
      request: { userAttributes, session: [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'QUIZ-1' }], clientMetadata: { from: 'respond' } },
      response: { challengeName: null, issueTokens: null, failAuthentication: null },
    } satisfies SeenEvent);
    assert.deepEqual(responded[2]?.request, { userAttributes, newDeviceUsed: false, clientMetadata: { from: 'respond' } });
    assert.deepEqual((responded[3]?.request as { clientMetadata?: unknown }).clientMetadata, { from: 'respond' });
  });

  it('a wrong answer leads to the next challenge with a new Session; the answered one is spent; three wrong answers fail', async () => {
    sb.answer(quiz());
    const first = await start();
    const second = await answer(first.Session, '41');
    assert.equal(second.ChallengeName, 'CUSTOM_CHALLENGE');
    assert.equal(second.ChallengeParameters?.round, '2');
    assert.notEqual(second.Session, first.Session);
    // Each Session answers once, right or wrong [DOC repost.aws; FIELD amplify-js#10959].
    await expectAwsError(() => answer(first.Session, '42'), 'NotAuthorizedException', SPENT);
    const defines = sb.events(DEFINE);
    assert.deepEqual(defines.at(-1)?.request.session, [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'QUIZ-1' }]);

    const third = await answer(second.Session, 'forty-two');
    assert.equal(third.ChallengeParameters?.round, '3');
    await expectAwsError(() => answer(third.Session, '0'), 'NotAuthorizedException', INCORRECT);
    assert.deepEqual(
      sb.events(DEFINE).at(-1)?.request.session,
      [1, 2, 3].map((n) => ({ challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: `QUIZ-${n}` })),
    );
    // The failed sign-in's last Session is spent too.
    await expectAwsError(() => answer(third.Session, '42'), 'NotAuthorizedException', SPENT);

    // A retry that gets it right signs in.
    const again = await start();
    const retry = await answer(again.Session, '1');
    const ok = await answer(retry.Session, '42');
    assert.ok(ok.AuthenticationResult?.IdToken);
  });

  it('refuses an expired, tampered, foreign or missing Session with AWS answers', async () => {
    sb.answer(quiz());
    const first = await start();
    const session = first.Session as string;
    const tampered = session.slice(0, 30) + (session[30] === 'A' ? 'B' : 'A') + session.slice(31);
    await expectAwsError(() => answer(tampered, '42'), 'NotAuthorizedException', EXPIRED);
    // Another client's answer cannot use it.
    await expectAwsError(() => answer(session, '42', 'ann', hidingClientId), 'NotAuthorizedException', EXPIRED);
    // Nor another user's name.
    await createConfirmedUser(sb.server.client, poolId, 'bob', { password: PASSWORD });
    await expectAwsError(() => answer(session, '42', 'bob'), 'NotAuthorizedException', EXPIRED);
    await expectAwsError(() => answer(undefined, '42'), 'InvalidParameterException', 'Missing required parameter Session');
    await expectAwsError(
      () => sb.server.client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: session, ChallengeResponses: { USERNAME: 'ann' } })),
      'InvalidParameterException',
      'Missing required parameter ANSWER',
    );
    // A custom Session is no answer to another challenge.
    await expectAwsError(
      () => sb.server.client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SMS_MFA', Session: session, ChallengeResponses: { USERNAME: 'ann', SMS_MFA_CODE: '123456' } })),
      'NotAuthorizedException',
      EXPIRED,
    );
    // The Session lives for the client's AuthSessionValidity, 3 minutes by default (§3.4).
    sb.server.clock.advance(3 * 60_000);
    await expectAwsError(() => answer(session, '42'), 'NotAuthorizedException', EXPIRED);
    sb.server.clock.advance(-3 * 60_000);
    const fresh = await start();
    sb.server.clock.advance(3 * 60_000 - 1);
    const ok = await answer(fresh.Session, '42');
    assert.ok(ok.AuthenticationResult?.AccessToken);
    sb.server.clock.advance(-(3 * 60_000 - 1));
  });

  it('Define answering a challenge the flow cannot present, or nothing, is Unrecognizable lambda output', async () => {
    for (const response of [
      { challengeName: 'SMS_MFA', issueTokens: false, failAuthentication: false },
      { challengeName: 'NOT_A_CHALLENGE' },
      { issueTokens: false, failAuthentication: false },
      // PASSWORD_VERIFIER needs the SRP_A the client did not send.
      { challengeName: 'PASSWORD_VERIFIER' },
      { issueTokens: 'yes' },
    ]) {
      sb.answer(quiz(() => response));
      await expectAwsError(() => start(), 'InvalidLambdaResponseException', UNRECOGNIZABLE);
    }
    // failAuthentication wins over issueTokens.
    sb.answer(quiz(() => ({ issueTokens: true, failAuthentication: true })));
    await expectAwsError(() => start(), 'NotAuthorizedException', INCORRECT);
    // Define may issue tokens at once.
    sb.answer(quiz(() => ({ issueTokens: true })));
    const out = await start();
    assert.ok(out.AuthenticationResult?.IdToken);
    assert.deepEqual(sb.events().map((e) => e.triggerSource), [DEFINE, 'PostAuthentication_Authentication', 'TokenGeneration_Authentication']);
  });

  it('stops after 8 challenges (userpoold bound; AWS documents none), with every Session within the model limit', async () => {
    sb.answer(quiz(() => ({ challengeName: 'CUSTOM_CHALLENGE' })));
    let out = await start();
    for (let round = 1; round < 8; round += 1) {
      out = await answer(out.Session, 'wrong');
      assert.equal(out.ChallengeParameters?.round, String(round + 1));
      assert.ok((out.Session as string).length <= 2048, `round ${round + 1}: ${(out.Session as string).length}`);
    }
    await expectAwsError(() => answer(out.Session, 'wrong'), 'NotAuthorizedException', INCORRECT);
    assert.equal((sb.events(DEFINE).at(-1)?.request.session as Round[]).length, 8);
  });

  it('a function that throws fails the call with AWS texts, and spends the Session', async () => {
    sb.answer((event) => {
      if (event.triggerSource === DEFINE) throw new Error('no challenges today');
      return event;
    });
    await expectAwsError(() => start(), 'UserLambdaValidationException', 'DefineAuthChallenge failed with error no challenges today.');
    sb.answer((event) => {
      if (event.triggerSource === CREATE) throw new Error('mailer down');
      return quiz()(event);
    });
    await expectAwsError(() => start(), 'UserLambdaValidationException', 'CreateAuthChallenge failed with error mailer down.');
    sb.answer(quiz());
    const first = await start();
    sb.answer((event) => {
      if (event.triggerSource === VERIFY) throw new Error('verifier crashed');
      return quiz()(event);
    });
    await expectAwsError(() => answer(first.Session, '42'), 'UserLambdaValidationException', 'VerifyAuthChallengeResponse failed with error verifier crashed.');
    sb.answer(quiz());
    await expectAwsError(() => answer(first.Session, '42'), 'NotAuthorizedException', SPENT);
  });

  it('unknown users: UserNotFoundException, or with PreventUserExistenceErrors the functions run with userNotFound and tokens are never issued', async () => {
    sb.answer(quiz());
    await expectAwsError(() => start('nobody'), 'UserNotFoundException', 'User does not exist.');
    assert.deepEqual(sb.events(), []);

    const first = await start('nobody', hidingClientId);
    assert.equal(first.ChallengeName, 'CUSTOM_CHALLENGE');
    assert.equal(first.ChallengeParameters?.USERNAME, 'nobody');
    const [define, create] = sb.events();
    assert.deepEqual(define?.request, { userAttributes: {}, session: [], userNotFound: true });
    assert.equal(define?.userName, 'nobody');
    assert.deepEqual(create?.request, { userAttributes: {}, challengeName: 'CUSTOM_CHALLENGE', session: [], userNotFound: true });
    sb.clear();
    // Even an answer the functions accept gets the wrong-password answer.
    await expectAwsError(() => answer(first.Session, '42', 'nobody', hidingClientId), 'NotAuthorizedException', INCORRECT);
    assert.deepEqual(sb.events(VERIFY)[0]?.request, { userAttributes: {}, privateChallengeParameters: { answer: '42' }, challengeAnswer: '42', userNotFound: true });

    // Existing users on that client get userNotFound: false.
    const known = await start('ann', hidingClientId);
    assert.equal(known.ChallengeName, 'CUSTOM_CHALLENGE');
    assert.equal(sb.events(DEFINE).at(-1)?.request.userNotFound, false);
  });

  it('SRP_A first: Define sees SRP_A, asks for PASSWORD_VERIFIER, then the custom challenge', async () => {
    sb.answer(quiz());
    const { helper, A } = newHelper(poolId);
    const first = await start('ann', clientId, { SRP_A: A, CHALLENGE_NAME: 'SRP_A' });
    assert.equal(first.ChallengeName, 'PASSWORD_VERIFIER');
    assert.ok(first.Session);
    assert.deepEqual(sb.events(DEFINE)[0]?.request.session, [{ challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null }]);
    assert.deepEqual(sb.events(CREATE), []);
    const challenge = first.ChallengeParameters ?? {};
    const responses = await srpAnswer({ helper, A, challenge }, poolId, PASSWORD, srpTimestamp(sb.server.clock.nowMs()));

    // Without its own custom Session the password step cannot be lifted out of the custom sign-in.
    await expectAwsError(
      () => sb.server.client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses })),
      'InvalidParameterException',
      'Missing required parameter Session',
    );
    const other = await start('ann', clientId, { SRP_A: newHelper(poolId).A, CHALLENGE_NAME: 'SRP_A' });
    await expectAwsError(
      () => sb.server.client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses, Session: other.Session })),
      'NotAuthorizedException',
      EXPIRED,
    );
    sb.clear();
    const custom = await sb.server.client.send(
      new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses, Session: first.Session }),
    );
    assert.equal(custom.ChallengeName, 'CUSTOM_CHALLENGE');
    assert.deepEqual(sb.events(DEFINE)[0]?.request.session, [
      { challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null },
      { challengeName: 'PASSWORD_VERIFIER', challengeResult: true, challengeMetadata: null },
    ]);
    const done = await answer(custom.Session, '42');
    assert.ok(done.AuthenticationResult?.AccessToken);
    assert.deepEqual(sb.events(DEFINE).at(-1)?.request.session, [
      { challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null },
      { challengeName: 'PASSWORD_VERIFIER', challengeResult: true, challengeMetadata: null },
      { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'QUIZ-3' },
    ]);
  });

  it('SRP_A with a wrong password fails as a wrong password does', async () => {
    sb.answer(quiz());
    const { helper, A } = newHelper(poolId);
    const first = await start('ann', clientId, { SRP_A: A, CHALLENGE_NAME: 'SRP_A' });
    const responses = await srpAnswer({ helper, A, challenge: first.ChallengeParameters ?? {} }, poolId, 'Wrong-Pass-9', srpTimestamp(sb.server.clock.nowMs()));
    await expectAwsError(
      () => sb.server.client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses, Session: first.Session })),
      'NotAuthorizedException',
      INCORRECT,
    );
    await expectAwsError(() => start('ann', clientId, { SRP_A: 'zz' }), 'InvalidParameterException', 'SRP_A is not a valid value.');
  });

  it('AdminInitiateAuth and AdminRespondToAuthChallenge run the same flow', async () => {
    sb.answer(quiz());
    const first = await sb.server.client.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'ann' } }));
    assert.equal(first.ChallengeName, 'CUSTOM_CHALLENGE');
    const respond = (session: string | undefined, value: string) =>
      sb.server.client.send(
        new AdminRespondToAuthChallengeCommand({ UserPoolId: poolId, ClientId: clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: session, ChallengeResponses: { USERNAME: 'ann', ANSWER: value } }),
      );
    const second = await respond(first.Session, 'nope');
    assert.equal(second.ChallengeName, 'CUSTOM_CHALLENGE');
    const done = await respond(second.Session, '42');
    assert.ok(done.AuthenticationResult?.RefreshToken);
  });

  it('refuses clients without ALLOW_CUSTOM_AUTH and pools without the functions', async () => {
    const noCustom = await sb.server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'srp-only', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
    await expectAwsError(() => start('ann', noCustom.UserPoolClient?.ClientId), 'InvalidParameterException', 'CUSTOM_AUTH flow not enabled for this client');
    const plain = await createPoolWithClient(sb.server.client, { PoolName: 'no-functions' }, { ExplicitAuthFlows: [...FLOWS] });
    await createConfirmedUser(sb.server.client, plain.poolId, 'ann', { password: PASSWORD });
    await expectAwsError(() => start('ann', plain.clientId), 'InvalidParameterException', 'Custom auth lambda trigger is not configured for the user pool.');
  });
});

describe('a passwordless one-time-code sign-in from a module function (--triggers-file)', () => {
  const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:otp-auth';
  let server: TestServer;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startServer({ config: { triggersFile: writeTriggersFile({ [ARN]: { module: resolve('test/fixtures/custom-auth-otp-fn.mjs') } }) } });
    // amazon-cognito-identity-js stamps TIMESTAMP with the real clock.
    server.clock.set(Date.now());
    ({ poolId, clientId } = await createPoolWithClient(
      server.client,
      { PoolName: 'otp', LambdaConfig: { DefineAuthChallenge: ARN, CreateAuthChallenge: ARN, VerifyAuthChallengeResponse: ARN } },
      { ExplicitAuthFlows: [...FLOWS] },
    ));
    await createConfirmedUser(server.client, poolId, 'otto', { password: PASSWORD });
  });
  after(() => server.close());

  const start = (): Promise<InitiateAuthCommandOutput> =>
    server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'otto' } }));
  const answer = (session: string | undefined, code: string) =>
    server.client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: session, ChallengeResponses: { USERNAME: 'otto', ANSWER: code } }));

  it('a wrong code, then the right one, signs in; three wrong codes fail', async () => {
    const first = await start();
    assert.deepEqual(first.ChallengeParameters, { email: 'otto@example.com', attempt: '1', USERNAME: 'otto' });
    const second = await answer(first.Session, '000000');
    assert.equal(second.ChallengeParameters?.attempt, '2');
    const done = await answer(second.Session, '246810');
    assert.equal(decodeJwt(done.AuthenticationResult?.AccessToken as string).username, 'otto');

    let session = (await start()).Session;
    for (let i = 0; i < 2; i += 1) session = (await answer(session, '111111')).Session;
    await expectAwsError(() => answer(session, '111111'), 'NotAuthorizedException', INCORRECT);
  });

  type Outcome = { kind: 'session'; session: CognitoUserSession } | { kind: 'challenge'; parameters: Record<string, string> } | { kind: 'error'; error: { code?: string; message?: string } };
  const callbacks = (resolveOutcome: (o: Outcome) => void) => ({
    onSuccess: (session: CognitoUserSession) => resolveOutcome({ kind: 'session', session }),
    onFailure: (error: { code?: string; message?: string }) => resolveOutcome({ kind: 'error', error }),
    customChallenge: (parameters: Record<string, string>) => resolveOutcome({ kind: 'challenge', parameters }),
  });

  it('amazon-cognito-identity-js: CUSTOM_AUTH with a password (SRP_A first), then sendCustomChallengeAnswer', async () => {
    const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: server.url });
    const user = new CognitoUser({ Username: 'otto', Pool: pool });
    user.setAuthenticationFlowType('CUSTOM_AUTH');
    const challenged = await new Promise<Outcome>((r) => user.authenticateUser(new AuthenticationDetails({ Username: 'otto', Password: PASSWORD }), callbacks(r)));
    assert.equal(challenged.kind, 'challenge', JSON.stringify(challenged));
    if (challenged.kind === 'challenge') assert.equal(challenged.parameters.attempt, '1');
    const wrong = await new Promise<Outcome>((r) => user.sendCustomChallengeAnswer('999999', callbacks(r)));
    assert.equal(wrong.kind, 'challenge');
    const ok = await new Promise<Outcome>((r) => user.sendCustomChallengeAnswer('246810', callbacks(r)));
    assert.equal(ok.kind, 'session', JSON.stringify(ok));
    if (ok.kind === 'session') assert.equal(ok.session.getIdToken().decodePayload()['cognito:username'], 'otto');

    const bad = new CognitoUser({ Username: 'otto', Pool: pool });
    bad.setAuthenticationFlowType('CUSTOM_AUTH');
    const refused = await new Promise<Outcome>((r) => bad.authenticateUser(new AuthenticationDetails({ Username: 'otto', Password: 'Wrong-Pass-9' }), callbacks(r)));
    assert.equal(refused.kind, 'error');
    if (refused.kind === 'error') {
      assert.equal(refused.error.code, 'NotAuthorizedException');
      assert.equal(refused.error.message, INCORRECT);
    }
  });

  it('amazon-cognito-identity-js: passwordless initiateAuth, then sendCustomChallengeAnswer', async () => {
    const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: server.url });
    const user = new CognitoUser({ Username: 'otto', Pool: pool });
    user.setAuthenticationFlowType('CUSTOM_AUTH');
    const challenged = await new Promise<Outcome>((r) => user.initiateAuth(new AuthenticationDetails({ Username: 'otto' }), callbacks(r)));
    assert.equal(challenged.kind, 'challenge', JSON.stringify(challenged));
    const ok = await new Promise<Outcome>((r) => user.sendCustomChallengeAnswer('246810', callbacks(r)));
    assert.equal(ok.kind, 'session', JSON.stringify(ok));
  });
});
