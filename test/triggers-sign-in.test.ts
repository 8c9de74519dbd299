import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  CreateGroupCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient, verifiedEmail } from './support/fixtures.js';
import { expectAwsError } from './support/server.js';
import { srpAnswer, srpStart, srpTimestamp } from './support/srp-client.js';
import { startSwitchboard, type SeenEvent, type Switchboard } from './support/trigger-switchboard.js';

const PASSWORD = 'Sign-In-Pass-1';
const ROLE = 'arn:aws:iam::000000000000:role/admins';
const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

type Claims = Record<string, unknown>;
const claimsOf = (result: AuthenticationResultType | undefined) => ({
  id: decodeJwt(result?.IdToken as string) as Claims,
  access: decodeJwt(result?.AccessToken as string) as Claims,
});
const attributes = (event: SeenEvent | undefined) => event?.request.userAttributes as Record<string, string>;

describe('PreAuthentication, PostAuthentication and PreTokenGeneration (V1_0)', () => {
  let sb: Switchboard;
  let poolId: string;
  let clientId: string;
  let sub: string;

  const signIn = (username: string, clientMetadata?: Record<string, string>) =>
    sb.server.client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD }, ClientMetadata: clientMetadata }),
    );

  before(async () => {
    sb = await startSwitchboard();
    ({ poolId, clientId } = await createPoolWithClient(
      sb.server.client,
      { PoolName: 'sign-in-triggers', LambdaConfig: { PreAuthentication: sb.arn, PostAuthentication: sb.arn, PreTokenGeneration: sb.arn } },
      { ExplicitAuthFlows: [...FLOWS] },
    ));
    await createConfirmedUser(sb.server.client, poolId, 'ann', { password: PASSWORD, attributes: verifiedEmail('ann') });
    await sb.server.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins', RoleArn: ROLE, Precedence: 1 }));
    await sb.server.client.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'ann', GroupName: 'admins' }));
    sb.answer((event) => event);
    sub = claimsOf((await signIn('ann')).AuthenticationResult).id.sub as string;
  });
  after(() => sb.close());

  it('USER_PASSWORD_AUTH runs PreAuthentication, PostAuthentication, then TokenGeneration_Authentication, each with the event AWS documents', async () => {
    sb.answer((event) => event);
    const out = await signIn('ann', { device: 'kiosk' });
    assert.ok(out.AuthenticationResult?.IdToken);
    const events = sb.events();
    assert.deepEqual(
      events.map((e) => e.triggerSource),
      ['PreAuthentication_Authentication', 'PostAuthentication_Authentication', 'TokenGeneration_Authentication'],
    );
    const userAttributes = { sub, email: 'ann@example.com', email_verified: 'true', 'cognito:user_status': 'CONFIRMED' };
    const common = { version: '1', region: 'us-east-1', userPoolId: poolId, userName: 'ann', callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId } };
    assert.deepEqual(events[0], {
      ...common,
      triggerSource: 'PreAuthentication_Authentication',
      // InitiateAuth's ClientMetadata is the function's validationData (cognito-facts-areas.md §2.2).
      request: { userAttributes, validationData: { device: 'kiosk' } },
      response: {},
    } satisfies SeenEvent);
    assert.deepEqual(events[1], {
      ...common,
      triggerSource: 'PostAuthentication_Authentication',
      // InitiateAuth passes no ClientMetadata to PostAuthentication.
      request: { userAttributes, newDeviceUsed: false },
      response: {},
    } satisfies SeenEvent);
    assert.deepEqual(events[2], {
      ...common,
      triggerSource: 'TokenGeneration_Authentication',
      request: { userAttributes, groupConfiguration: { groupsToOverride: ['admins'], iamRolesToOverride: [ROLE], preferredRole: ROLE } },
      response: { claimsOverrideDetails: null },
    } satisfies SeenEvent);
  });

  it('PreAuthentication that throws refuses the sign-in with its message', async () => {
    sb.answer((event) => {
      if (event.triggerSource === 'PreAuthentication_Authentication') throw new Error('Sign-in is closed for maintenance');
      return event;
    });
    await expectAwsError(() => signIn('ann'), 'UserLambdaValidationException', 'PreAuthentication failed with error Sign-in is closed for maintenance.');
    assert.deepEqual(sb.events().map((e) => e.triggerSource), ['PreAuthentication_Authentication']);
  });

  it('PostAuthentication that throws refuses the sign-in before tokens are made', async () => {
    sb.answer((event) => {
      if (event.triggerSource === 'PostAuthentication_Authentication') throw new Error('audit store unavailable');
      return event;
    });
    await expectAwsError(() => signIn('ann'), 'UserLambdaValidationException', 'PostAuthentication failed with error audit store unavailable.');
    assert.deepEqual(sb.events().map((e) => e.triggerSource), ['PreAuthentication_Authentication', 'PostAuthentication_Authentication']);
  });

  it('V1_0 claimsOverrideDetails change the ID token only; claims AWS protects stay; suppress beats add', async () => {
    sb.answer((event) =>
      event.triggerSource.startsWith('TokenGeneration_')
        ? {
            ...event,
            response: {
              claimsOverrideDetails: {
                claimsToAddOrOverride: { tier: 'gold', email: 'other@example.com', sub: 'forged', 'cognito:username': 'mallory', level: 3, dropped: 'x' },
                claimsToSuppress: ['email_verified', 'dropped', 'iss'],
                groupOverrideDetails: { groupsToOverride: ['vip', 'beta'], iamRolesToOverride: [], preferredRole: null },
              },
            },
          }
        : event,
    );
    const { id, access } = claimsOf((await signIn('ann')).AuthenticationResult);
    assert.equal(id.tier, 'gold');
    assert.equal(id.level, '3', 'V1 values are strings');
    assert.equal(id.email, 'other@example.com');
    assert.equal(id.sub, sub);
    assert.equal(id['cognito:username'], 'ann');
    assert.ok(typeof id.iss === 'string' && id.iss.endsWith(poolId));
    assert.equal(id.email_verified, undefined);
    assert.equal(id.dropped, undefined);
    assert.deepEqual(id['cognito:groups'], ['vip', 'beta']);
    assert.equal(id['cognito:roles'], undefined);
    assert.equal(id['cognito:preferred_role'], undefined);
    // The access token is V2's business.
    assert.deepEqual(access['cognito:groups'], ['admins']);
    assert.equal(access.tier, undefined);
  });

  it('a PreTokenGeneration function that throws is named by its LambdaConfig key, not its TokenGeneration_ source', async () => {
    sb.answer((event) => {
      if (event.triggerSource.startsWith('TokenGeneration_')) throw new Error('claims service down');
      return event;
    });
    await expectAwsError(() => signIn('ann'), 'UserLambdaValidationException', 'PreTokenGeneration failed with error claims service down.');
  });

  it('a V1_0 answer of the wrong shape is InvalidLambdaResponseException', async () => {
    sb.answer((event) =>
      event.triggerSource.startsWith('TokenGeneration_') ? { ...event, response: { claimsOverrideDetails: { claimsToAddOrOverride: { roles: ['a', 'b'] } } } } : event,
    );
    await expectAwsError(() => signIn('ann'), 'InvalidLambdaResponseException', 'Unrecognizable lambda output');
    sb.answer((event) => ({ ...event, response: 'none' }));
    await expectAwsError(() => signIn('ann'), 'InvalidLambdaResponseException', 'Unrecognizable lambda output');
  });

  it('refreshing runs TokenGeneration_RefreshTokens (GetTokensFromRefreshToken passes its ClientMetadata), not the authentication triggers', async () => {
    sb.answer((event) => event);
    const refreshToken = (await signIn('ann')).AuthenticationResult?.RefreshToken as string;
    sb.answer((event) => (event.triggerSource === 'TokenGeneration_RefreshTokens' ? { ...event, response: { claimsOverrideDetails: { claimsToAddOrOverride: { refreshed: 'yes' } } } } : event));
    const viaInitiate = await sb.server.client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken }, ClientMetadata: { not: 'passed' } }),
    );
    assert.equal(claimsOf(viaInitiate.AuthenticationResult).id.refreshed, 'yes');
    const viaGetTokens = await sb.server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken, ClientMetadata: { app: 'web' } }));
    assert.equal(claimsOf(viaGetTokens.AuthenticationResult).id.refreshed, 'yes');
    const events = sb.events();
    assert.deepEqual(events.map((e) => e.triggerSource), ['TokenGeneration_RefreshTokens', 'TokenGeneration_RefreshTokens']);
    assert.equal(events[0]?.request.clientMetadata, undefined);
    assert.deepEqual(events[1]?.request.clientMetadata, { app: 'web' });
  });

  it('USER_SRP_AUTH: PreAuthentication at the first step; RespondToAuthChallenge passes its ClientMetadata to PostAuthentication and PreTokenGeneration', async () => {
    sb.answer((event) => event);
    const start = await srpStart(sb.server, poolId, clientId, 'ann');
    assert.deepEqual(sb.events().map((e) => [e.triggerSource, e.request.validationData]), [['PreAuthentication_Authentication', null]]);
    sb.clear();
    const responses = await srpAnswer(start, poolId, PASSWORD, srpTimestamp(sb.server.clock.nowMs()));
    const out = await sb.server.client.send(
      new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses, ClientMetadata: { step: 'srp' } }),
    );
    assert.ok(out.AuthenticationResult?.IdToken);
    assert.deepEqual(
      sb.events().map((e) => [e.triggerSource, e.request.clientMetadata]),
      [
        ['PostAuthentication_Authentication', { step: 'srp' }],
        ['TokenGeneration_Authentication', { step: 'srp' }],
      ],
    );
  });

  it('NEW_PASSWORD_REQUIRED: PostAuthentication and TokenGeneration_NewPasswordChallenge, with the answer ClientMetadata', async () => {
    sb.answer((event) => event);
    await sb.server.client.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'bob', TemporaryPassword: 'Temp-Pass-11', MessageAction: 'SUPPRESS', UserAttributes: verifiedEmail('bob') }),
    );
    const challenge = await sb.server.client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bob', PASSWORD: 'Temp-Pass-11' } }),
    );
    assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    sb.clear();
    await sb.server.client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: 'bob', NEW_PASSWORD: 'Bobs-New-Pass-1' },
        ClientMetadata: { step: 'new-password' },
      }),
    );
    const events = sb.events();
    assert.deepEqual(
      events.map((e) => [e.triggerSource, e.request.clientMetadata]),
      [
        ['PostAuthentication_Authentication', { step: 'new-password' }],
        ['TokenGeneration_NewPasswordChallenge', { step: 'new-password' }],
      ],
    );
    assert.equal(attributes(events[1])['cognito:user_status'], 'CONFIRMED');
  });
});

describe('PreAuthentication for a client that hides user existence', () => {
  let sb: Switchboard;
  let poolId: string;
  let clientId: string;

  before(async () => {
    sb = await startSwitchboard();
    ({ poolId, clientId } = await createPoolWithClient(
      sb.server.client,
      { PoolName: 'hidden', LambdaConfig: { PreAuthentication: sb.arn } },
      { ExplicitAuthFlows: [...FLOWS], PreventUserExistenceErrors: 'ENABLED' },
    ));
    await createConfirmedUser(sb.server.client, poolId, 'dee', { password: PASSWORD, attributes: verifiedEmail('dee') });
  });
  after(() => sb.close());

  it('sends userNotFound: false for a user, and runs for an unknown name with userNotFound: true and no attributes', async () => {
    sb.answer((event) => event);
    await sb.server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'dee', PASSWORD } }));
    await expectAwsError(
      () => sb.server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ghost', PASSWORD } })),
      'NotAuthorizedException',
      'Incorrect username or password.',
    );
    await srpStart(sb.server, poolId, clientId, 'phantom');
    const [known, unknown, unknownSrp, ...rest] = sb.events();
    assert.equal(rest.length, 0);
    assert.equal(known?.request.userNotFound, false);
    assert.equal(attributes(known)['cognito:user_status'], 'CONFIRMED');
    assert.deepEqual([unknown?.userName, unknown?.request], ['ghost', { userAttributes: {}, validationData: null, userNotFound: true }]);
    assert.deepEqual([unknownSrp?.userName, unknownSrp?.request], ['phantom', { userAttributes: {}, validationData: null, userNotFound: true }]);
  });
});

describe('PreTokenGeneration V2_0', () => {
  let sb: Switchboard;
  let poolId: string;
  let clientId: string;

  before(async () => {
    sb = await startSwitchboard();
    ({ poolId, clientId } = await createPoolWithClient(
      sb.server.client,
      { PoolName: 'v2', LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: sb.arn } } },
      { ExplicitAuthFlows: [...FLOWS] },
    ));
    await createConfirmedUser(sb.server.client, poolId, 'cat', { password: PASSWORD, attributes: verifiedEmail('cat') });
  });
  after(() => sb.close());

  const signIn = () =>
    sb.server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'cat', PASSWORD } }));

  it('sends version "2" with the scopes, and applies claimsAndScopeOverrideDetails to both tokens', async () => {
    sb.answer((event) => ({
      ...event,
      response: {
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: { claimsToAddOrOverride: { plan: 'pro', limits: { daily: 5 } }, claimsToSuppress: ['email'] },
          accessTokenGeneration: {
            claimsToAddOrOverride: { tenant: 't-1', flags: ['a', 'b'], client_id: 'forged', username: 'forged' },
            claimsToSuppress: ['auth_time'],
            scopesToAdd: ['api/read', 'api/write'],
            scopesToSuppress: ['api/write'],
          },
          groupOverrideDetails: { groupsToOverride: ['support'] },
        },
      },
    }));
    const { id, access } = claimsOf((await signIn()).AuthenticationResult);
    const [event] = sb.events();
    assert.equal(event?.version, '2');
    assert.equal(event?.triggerSource, 'TokenGeneration_Authentication');
    assert.deepEqual(event?.request.scopes, ['aws.cognito.signin.user.admin']);
    assert.deepEqual(event?.request.groupConfiguration, { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null });
    assert.deepEqual(event?.response, { claimsAndScopeOverrideDetails: null });

    assert.equal(id.plan, 'pro');
    assert.deepEqual(id.limits, { daily: 5 });
    assert.equal(id.email, undefined);
    assert.deepEqual(id['cognito:groups'], ['support']);
    assert.equal(access.tenant, 't-1');
    assert.deepEqual(access.flags, ['a', 'b']);
    assert.equal(access.client_id, clientId);
    assert.equal(access.username, 'cat');
    assert.equal(typeof access.auth_time, 'number', 'auth_time cannot be suppressed');
    assert.equal(access.scope, 'aws.cognito.signin.user.admin api/read');
    assert.deepEqual(access['cognito:groups'], ['support']);
  });

  it('refuses complex values for the ID token claims AWS keeps simple', async () => {
    sb.answer((event) => ({ ...event, response: { claimsAndScopeOverrideDetails: { idTokenGeneration: { claimsToAddOrOverride: { email_verified: { yes: true } } } } } }));
    await expectAwsError(signIn, 'InvalidLambdaResponseException', 'Unrecognizable lambda output');
  });
});
