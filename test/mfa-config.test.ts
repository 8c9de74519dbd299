import {
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserSettingsCommand,
  AssociateSoftwareTokenCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  SetUserSettingsCommand,
  UpdateUserPoolCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';
import { authenticatorCode } from './support/totp.js';

const PASSWORD = 'Correct-Horse-1';
const SMS_CONFIG = { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns', ExternalId: 'x' };
const DEVELOPER_EMAIL = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com' };

describe('MFA configuration: SetUserPoolMfaConfig, GetUserPoolMfaConfig, user preferences and settings', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  async function pool(extra: Record<string, unknown> = {}) {
    return createPoolWithClient(server.client, { PoolName: 'mfa', ...extra }, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  }

  async function accessToken(clientId: string, username: string): Promise<string> {
    const res = await server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }));
    assert.ok(res.AuthenticationResult?.AccessToken, `expected tokens, got ${res.ChallengeName}`);
    return res.AuthenticationResult.AccessToken;
  }

  it('a new pool has MFA OFF and no factor; SetUserPoolMfaConfig sets factors and mode, GetUserPoolMfaConfig reads them back', async () => {
    const { poolId } = await pool({ EmailConfiguration: DEVELOPER_EMAIL });
    assert.deepEqual(await server.client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId })).then(({ $metadata: _m, ...r }) => r), {
      MfaConfiguration: 'OFF',
      SoftwareTokenMfaConfiguration: { Enabled: false },
    });
    const set = await server.client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        SmsMfaConfiguration: { SmsAuthenticationMessage: 'Sign-in code {####}', SmsConfiguration: SMS_CONFIG },
        EmailMfaConfiguration: { Message: 'Your code is {####}', Subject: 'Sign-in code' },
      }),
    );
    const expected = {
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Sign-in code {####}', SmsConfiguration: SMS_CONFIG },
      EmailMfaConfiguration: { Message: 'Your code is {####}', Subject: 'Sign-in code' },
    };
    const { $metadata: _m, ...setBody } = set;
    assert.deepEqual(setBody, expected);
    const { $metadata: _n, ...got } = await server.client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
    assert.deepEqual(got, expected);

    // DescribeUserPool shows the mode and the SMS message, not the factor bookkeeping.
    const described = (await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool;
    assert.equal(described?.MfaConfiguration, 'OPTIONAL');
    assert.equal(described?.SmsAuthenticationMessage, 'Sign-in code {####}');
    assert.equal('MfaFactors' in (described ?? {}), false);
    // UpdateUserPool keeps the factors SetUserPoolMfaConfig set.
    await server.client.send(new UpdateUserPoolCommand({ UserPoolId: poolId, EmailConfiguration: DEVELOPER_EMAIL }));
    const { $metadata: _o, ...kept } = await server.client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
    assert.deepEqual(kept.SoftwareTokenMfaConfiguration, { Enabled: true });
    assert.equal(kept.MfaConfiguration, 'OPTIONAL');
  });

  it("refuses AWS's invalid MFA configurations with AWS's texts", async () => {
    const { poolId } = await pool();
    await expectAwsError(
      () => server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OFF', SoftwareTokenMfaConfiguration: { Enabled: true } })),
      'InvalidParameterException',
      "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
    );
    await expectAwsError(
      () => server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON' })),
      'InvalidParameterException',
      "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
    );
    await expectAwsError(
      () => server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: false } })),
      'InvalidParameterException',
      "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
    );
    // Email MFA needs SES sending (DEVELOPER) and a tier above LITE.
    await expectAwsError(
      () => server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: { Message: '{####}' } })),
      'InvalidParameterException',
      /EmailSendingAccount DEVELOPER/,
    );
    const lite = await pool({ UserPoolTier: 'LITE', EmailConfiguration: DEVELOPER_EMAIL });
    await expectAwsError(
      () => server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: lite.poolId, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: {} })),
      'FeatureUnavailableInTierException',
      /LITE tier/,
    );
    await expectAwsError(() => server.client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: 'us-east-1_nope' })), 'ResourceNotFoundException', 'User pool us-east-1_nope does not exist.');
    // Nothing was stored by the refusals.
    assert.equal((await server.client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }))).MfaConfiguration, 'OFF');
  });

  it('CreateUserPool with MFA ON or OPTIONAL needs SMS set up, as AWS answers', async () => {
    const text = 'SMS configuration and Auto verification for phone_number are required when MFA is required/optional';
    await expectAwsError(() => server.client.send(new CreateUserPoolCommand({ PoolName: 'p', MfaConfiguration: 'ON' })), 'InvalidParameterException', text);
    await expectAwsError(
      () => server.client.send(new CreateUserPoolCommand({ PoolName: 'p', MfaConfiguration: 'OPTIONAL', SmsConfiguration: SMS_CONFIG })),
      'InvalidParameterException',
      text,
    );
    const created = await server.client.send(
      new CreateUserPoolCommand({ PoolName: 'p', MfaConfiguration: 'ON', SmsConfiguration: SMS_CONFIG, AutoVerifiedAttributes: ['phone_number'] }),
    );
    const config = await server.client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: created.UserPool?.Id as string }));
    assert.equal(config.MfaConfiguration, 'ON');
    assert.deepEqual(config.SmsMfaConfiguration, { SmsConfiguration: SMS_CONFIG });
  });

  it('an authenticator: AssociateSoftwareToken and VerifySoftwareToken by access token, then SetUserMFAPreference; GetUser and AdminGetUser report it', async () => {
    const { poolId, clientId } = await pool();
    await createConfirmedUser(server.client, poolId, 'alice', { password: PASSWORD });
    const token = await accessToken(clientId, 'alice');
    // Not offered by the pool yet.
    await expectAwsError(
      () => server.client.send(new AssociateSoftwareTokenCommand({ AccessToken: token })),
      'SoftwareTokenMFANotFoundException',
      'Software Token MFA has not been enabled by the userPool',
    );
    await server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    // Turning TOTP on before an authenticator is verified: AWS's refusal.
    await expectAwsError(
      () => server.client.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } })),
      'InvalidParameterException',
      'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA',
    );
    await expectAwsError(
      () => server.client.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: '123456' })),
      'SoftwareTokenMFANotFoundException',
      'Software Token MFA does not exist for the user.',
    );

    const associated = await server.client.send(new AssociateSoftwareTokenCommand({ AccessToken: token }));
    const secret = associated.SecretCode as string;
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal(associated.Session, undefined);
    // Stored sealed, never in clear.
    const row = await server.app.deps.store.getUserMfa(poolId, (await server.client.send(new GetUserCommand({ AccessToken: token }))).UserAttributes?.find((a) => a.Name === 'sub')?.Value as string);
    assert.ok(row?.pendingTotpSecretSealed);
    assert.equal(row.pendingTotpSecretSealed.includes(secret), false);

    const wrong = authenticatorCode(secret, server.clock.nowMs() + 5 * 60_000);
    await expectAwsError(
      () => server.client.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: wrong })),
      'EnableSoftwareTokenMFAException',
      'Code mismatch and fail enable Software Token MFA',
    );
    const verified = await server.client.send(
      new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: authenticatorCode(secret, server.clock.nowMs()), FriendlyDeviceName: 'phone' }),
    );
    assert.equal(verified.Status, 'SUCCESS');
    // Verified, not yet turned on.
    assert.equal((await server.client.send(new GetUserCommand({ AccessToken: token }))).UserMFASettingList, undefined);

    await server.client.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    const user = await server.client.send(new GetUserCommand({ AccessToken: token }));
    assert.deepEqual(user.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    assert.equal(user.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
    const admin = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }));
    assert.deepEqual(admin.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    assert.equal(admin.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
    assert.equal(admin.MFAOptions, undefined);

    // Turning the preferred factor off clears the preference.
    await server.client.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: false } }));
    const off = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }));
    assert.equal(off.UserMFASettingList, undefined);
    assert.equal(off.PreferredMfaSetting, undefined);
  });

  it('AdminSetUserMFAPreference: factors the user can receive, one preferred at most; an omitted factor stays as it is', async () => {
    const { poolId } = await pool();
    await createConfirmedUser(server.client, poolId, 'bob', {
      password: PASSWORD,
      attributes: [
        { Name: 'email', Value: 'bob@example.com' },
        { Name: 'phone_number', Value: '+15555550100' },
      ],
    });
    await createConfirmedUser(server.client, poolId, 'carol', { password: PASSWORD, attributes: [{ Name: 'email', Value: 'carol@example.com' }] });
    await server.client.send(
      new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'bob', SMSMfaSettings: { Enabled: true, PreferredMfa: true }, EmailMfaSettings: { Enabled: true } }),
    );
    let bob = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bob' }));
    assert.deepEqual(bob.UserMFASettingList, ['SMS_MFA', 'EMAIL_OTP']);
    assert.equal(bob.PreferredMfaSetting, 'SMS_MFA');
    assert.deepEqual(bob.MFAOptions, [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);

    await server.client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'bob', EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
    bob = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bob' }));
    assert.deepEqual(bob.UserMFASettingList, ['SMS_MFA', 'EMAIL_OTP']);
    assert.equal(bob.PreferredMfaSetting, 'EMAIL_OTP');

    await expectAwsError(
      () =>
        server.client.send(
          new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'bob', SMSMfaSettings: { Enabled: true, PreferredMfa: true }, EmailMfaSettings: { Enabled: true, PreferredMfa: true } }),
        ),
      'InvalidParameterException',
    );
    await expectAwsError(
      () => server.client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'carol', SMSMfaSettings: { Enabled: true } })),
      'InvalidParameterException',
      'User does not have delivery config set to turn on SMS_MFA',
    );
    await expectAwsError(
      () => server.client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'nobody', SMSMfaSettings: { Enabled: true } })),
      'UserNotFoundException',
      'User does not exist.',
    );
  });

  it('SetUserSettings and AdminSetUserSettings: the legacy SMS option turns SMS MFA on and off', async () => {
    const { poolId, clientId } = await pool();
    await createConfirmedUser(server.client, poolId, 'dave', { password: PASSWORD, attributes: [{ Name: 'phone_number', Value: '+15555550101' }] });
    const token = await accessToken(clientId, 'dave');
    await server.client.send(new SetUserSettingsCommand({ AccessToken: token, MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] }));
    let user = await server.client.send(new GetUserCommand({ AccessToken: token }));
    assert.deepEqual(user.MFAOptions, [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);
    assert.deepEqual(user.UserMFASettingList, ['SMS_MFA']);
    await server.client.send(new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: 'dave', MFAOptions: [] }));
    user = await server.client.send(new GetUserCommand({ AccessToken: token }));
    assert.equal(user.MFAOptions, undefined);
    assert.equal(user.UserMFASettingList, undefined);
    await expectAwsError(
      () => server.client.send(new SetUserSettingsCommand({ AccessToken: token, MFAOptions: [{ DeliveryMedium: 'EMAIL', AttributeName: 'email' }] })),
      'InvalidParameterException',
    );
    await expectAwsError(() => server.client.send(new SetUserSettingsCommand({ AccessToken: 'not-a-token', MFAOptions: [] })), 'NotAuthorizedException', 'Invalid Access Token');
  });
});
