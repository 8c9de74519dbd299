import {
  AdminGetUserAuthFactorsCommand,
  AdminSetUserMFAPreferenceCommand,
  GetUserAuthFactorsCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';

describe('AdminGetUserAuthFactors and GetUserAuthFactors', () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;
  before(async () => {
    server = await startServer();
    ({ poolId, clientId } = await createPoolWithClient(server.client, { PoolName: 'factors' }, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
    await createConfirmedUser(server.client, poolId, 'bob', {
      password: PASSWORD,
      attributes: [
        { Name: 'email', Value: 'bob@example.com' },
        { Name: 'phone_number', Value: '+15555550100' },
      ],
    });
  });
  after(() => server.close());

  it('lists PASSWORD as the first factor of a user without MFA, and no MFA fields', async () => {
    const res = await server.client.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: 'bob' }));
    assert.equal(res.Username, 'bob');
    assert.deepEqual(res.ConfiguredUserAuthFactors, ['PASSWORD']);
    assert.equal(res.UserMFASettingList, undefined);
    assert.equal(res.PreferredMfaSetting, undefined);
  });

  it('reports the MFA factors the user turned on, and the preferred one, on both operations', async () => {
    await server.client.send(
      new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'bob', SMSMfaSettings: { Enabled: true }, EmailMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
    const admin = await server.client.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: 'bob' }));
    assert.equal(admin.Username, 'bob');
    assert.deepEqual(admin.UserMFASettingList, ['SMS_MFA', 'EMAIL_OTP']);
    assert.equal(admin.PreferredMfaSetting, 'EMAIL_OTP');
    assert.deepEqual(admin.ConfiguredUserAuthFactors, ['PASSWORD']);

    const signIn = await server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bob', PASSWORD } }));
    const token = signIn.AuthenticationResult?.AccessToken;
    assert.ok(token, `expected tokens, got ${signIn.ChallengeName}`);
    const own = await server.client.send(new GetUserAuthFactorsCommand({ AccessToken: token }));
    assert.deepEqual(
      { Username: own.Username, UserMFASettingList: own.UserMFASettingList, PreferredMfaSetting: own.PreferredMfaSetting, ConfiguredUserAuthFactors: own.ConfiguredUserAuthFactors },
      { Username: 'bob', UserMFASettingList: ['SMS_MFA', 'EMAIL_OTP'], PreferredMfaSetting: 'EMAIL_OTP', ConfiguredUserAuthFactors: ['PASSWORD'] },
    );
  });

  it('refuses an unknown pool, an unknown user and a bad access token with AWS errors', async () => {
    await expectAwsError(
      () => server.client.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: 'us-east-1_nothere', Username: 'bob' })),
      'ResourceNotFoundException',
      'User pool us-east-1_nothere does not exist.',
    );
    await expectAwsError(
      () => server.client.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: 'nobody' })),
      'UserNotFoundException',
      'User does not exist.',
    );
    await expectAwsError(() => server.client.send(new GetUserAuthFactorsCommand({ AccessToken: 'not-a-token' })), 'NotAuthorizedException', 'Invalid Access Token');
  });
});
