import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

/**
 * Settings whose behaviour userpoold does not have yet are refused by name (nothing silently
 * ignored): a pool must never claim a trigger, MFA or OAuth that then does not happen.
 */
const FN = 'arn:aws:lambda:us-east-1:000000000000:function:f';

describe('settings of features not built yet are refused, never stored and ignored', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const poolRefusals: [string, Partial<CreateUserPoolCommandInput>, RegExp][] = [
    // The custom senders run (test/triggers-custom-sender.test.ts); without the KMS key that encrypts their codes they cannot.
    ['a custom SMS sender without KMSKeyID', { LambdaConfig: { CustomSMSSender: { LambdaVersion: 'V1_0', LambdaArn: FN } } }, /^LambdaConfig\.KMSKeyID is required when LambdaConfig\.CustomEmailSender or LambdaConfig\.CustomSMSSender is set\.$/],
    ['a custom email sender without KMSKeyID', { LambdaConfig: { CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: FN } } }, /^LambdaConfig\.KMSKeyID is required/],
    // Threat protection is built (test/threat-protection.test.ts): AUDIT and ENFORCED on the Plus plan.
  ];

  for (const [what, settings, message] of poolRefusals) {
    it(`CreateUserPool and UpdateUserPool refuse ${what}`, async () => {
      await expectAwsError(() => server.client.send(new CreateUserPoolCommand({ PoolName: 'p', ...settings })), 'InvalidParameterException', message);
      const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'p' }));
      const id = created.UserPool?.Id as string;
      await expectAwsError(() => server.client.send(new UpdateUserPoolCommand({ UserPoolId: id, ...settings })), 'InvalidParameterException', message);
      const pool = (await server.client.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool;
      assert.equal(pool?.MfaConfiguration, 'OFF');
      assert.equal(pool?.LambdaConfig, undefined);
    });
  }

  it('keeps passwordless sign-in with one-time codes and passkeys, and refuses SOFTWARE_TOKEN as a first factor as AWS does', async () => {
    const Policies = { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD' as const, 'EMAIL_OTP' as const, 'SMS_OTP' as const, 'WEB_AUTHN' as const] } };
    const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'otp', Policies }));
    assert.deepEqual(created.UserPool?.Policies?.SignInPolicy, Policies.SignInPolicy);
    await expectAwsError(
      () => server.client.send(new CreateUserPoolCommand({ PoolName: 'totp', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'SOFTWARE_TOKEN'] } } })),
      'InvalidParameterException',
      /SOFTWARE_TOKEN is not supported as a first auth factor/,
    );
  });

  it('keeps what runs: the CustomMessage trigger, MFA OFF, devices off, PASSWORD sign-in', async () => {
    const created = await server.client.send(
      new CreateUserPoolCommand({
        PoolName: 'ok',
        LambdaConfig: { CustomMessage: FN },
        MfaConfiguration: 'OFF',
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false },
        UserPoolAddOns: { AdvancedSecurityMode: 'OFF' },
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] } },
      }),
    );
    assert.deepEqual(created.UserPool?.LambdaConfig, { CustomMessage: FN });
  });

  // Remembered devices are built (test/devices.test.ts): the configuration is kept and shown.
  it('CreateUserPool and UpdateUserPool keep DeviceConfiguration', async () => {
    const DeviceConfiguration = { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false };
    const id = (await server.client.send(new CreateUserPoolCommand({ PoolName: 'devices', DeviceConfiguration }))).UserPool?.Id as string;
    assert.deepEqual((await server.client.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool?.DeviceConfiguration, DeviceConfiguration);
    const prompt = { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: true };
    await server.client.send(new UpdateUserPoolCommand({ UserPoolId: id, DeviceConfiguration: prompt }));
    assert.deepEqual((await server.client.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool?.DeviceConfiguration, prompt);
  });

  it('keeps the triggers that run (docs/triggers.md)', async () => {
    const LambdaConfig = {
      PreSignUp: FN,
      PostConfirmation: FN,
      PreAuthentication: FN,
      PostAuthentication: FN,
      UserMigration: FN,
      DefineAuthChallenge: FN,
      CreateAuthChallenge: FN,
      VerifyAuthChallengeResponse: FN,
      PreTokenGenerationConfig: { LambdaVersion: 'V2_0' as const, LambdaArn: FN },
      CustomEmailSender: { LambdaVersion: 'V1_0' as const, LambdaArn: FN },
      CustomSMSSender: { LambdaVersion: 'V1_0' as const, LambdaArn: FN },
      KMSKeyID: 'arn:aws:kms:us-east-1:000000000000:key/k',
    };
    const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'triggers', LambdaConfig }));
    assert.deepEqual(created.UserPool?.LambdaConfig, LambdaConfig);
  });

  // MFA is built: ON and OPTIONAL are refused only as AWS refuses them, without SMS set up (test/mfa-config.test.ts).
  for (const mode of ['ON', 'OPTIONAL'] as const) {
    it(`CreateUserPool and UpdateUserPool accept MfaConfiguration ${mode} with SMS set up, and refuse it without, in AWS's words`, async () => {
      const text = 'SMS configuration and Auto verification for phone_number are required when MFA is required/optional';
      await expectAwsError(() => server.client.send(new CreateUserPoolCommand({ PoolName: 'p', MfaConfiguration: mode })), 'InvalidParameterException', text);
      const id = (await server.client.send(new CreateUserPoolCommand({ PoolName: 'p' }))).UserPool?.Id as string;
      await expectAwsError(() => server.client.send(new UpdateUserPoolCommand({ UserPoolId: id, MfaConfiguration: mode })), 'InvalidParameterException', text);
      const sms = { MfaConfiguration: mode, SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns' }, AutoVerifiedAttributes: ['phone_number' as const] };
      await server.client.send(new UpdateUserPoolCommand({ UserPoolId: id, ...sms }));
      assert.equal((await server.client.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool?.MfaConfiguration, mode);
      const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'p', ...sms }));
      assert.equal(created.UserPool?.MfaConfiguration, mode);
    });
  }

  const clientRefusals: [string, Partial<CreateUserPoolClientCommandInput>, RegExp][] = [
    // The OAuth settings are built (test/oauth-config.test.ts), the implicit grant included (below).
    ['Pinpoint analytics', { AnalyticsConfiguration: { ApplicationId: 'abcdef0123456789', RoleArn: 'arn:aws:iam::000000000000:role/pinpoint', ExternalId: 'x' } }, /Amazon Pinpoint analytics yet, so AnalyticsConfiguration cannot be set/],
    // EnablePropagateAdditionalUserContextData is built (it needs a client secret): test/threat-protection-more.test.ts.
    // SupportedIdentityProviders naming a provider the pool lacks: test/idp.test.ts.
  ];

  it('CreateUserPoolClient and UpdateUserPoolClient accept the implicit grant now that it is built, and keep it', async () => {
    const poolId = (await server.client.send(new CreateUserPoolCommand({ PoolName: 'implicit' }))).UserPool?.Id as string;
    const implicit = { AllowedOAuthFlows: ['implicit' as const], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid'], CallbackURLs: ['https://app.example/cb'], SupportedIdentityProviders: ['COGNITO'] };
    const created = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', ...implicit }));
    assert.deepEqual(created.UserPoolClient?.AllowedOAuthFlows, ['implicit']);
    const plain = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'd', SupportedIdentityProviders: ['COGNITO'] }));
    const updated = await server.client.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: plain.UserPoolClient?.ClientId as string, ...implicit, AllowedOAuthFlows: ['code', 'implicit'] }));
    assert.deepEqual(updated.UserPoolClient?.AllowedOAuthFlows, ['code', 'implicit']);
    // Still refused beside client_credentials, as AWS does.
    await expectAwsError(
      () => server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'e', GenerateSecret: true, ...implicit, AllowedOAuthFlows: ['implicit', 'client_credentials'] })),
      'InvalidOAuthFlowException',
    );
  });

  for (const [what, settings, message] of clientRefusals) {
    it(`CreateUserPoolClient and UpdateUserPoolClient refuse ${what}`, async () => {
      const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'clients' }));
      const poolId = created.UserPool?.Id as string;
      await expectAwsError(
        () => server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', ...settings })),
        'InvalidParameterException',
        message,
      );
      const client = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', SupportedIdentityProviders: ['COGNITO'] }));
      await expectAwsError(
        () => server.client.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.UserPoolClient?.ClientId as string, ...settings })),
        'InvalidParameterException',
        message,
      );
    });
  }
});
