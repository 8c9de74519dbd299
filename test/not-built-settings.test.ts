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
    ['PreSignUp trigger', { LambdaConfig: { PreSignUp: FN } }, /the PreSignUp trigger yet, so LambdaConfig\.PreSignUp cannot be set/],
    ['PreTokenGeneration V2', { LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: FN } } }, /LambdaConfig\.PreTokenGenerationConfig/],
    ['custom email sender', { LambdaConfig: { CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: FN }, KMSKeyID: 'arn:aws:kms:us-east-1:000000000000:key/k' } }, /LambdaConfig\.CustomEmailSender/],
    ['MFA ON', { MfaConfiguration: 'ON' }, /multi-factor authentication yet, so MfaConfiguration ON cannot be set/],
    ['MFA OPTIONAL', { MfaConfiguration: 'OPTIONAL' }, /MfaConfiguration OPTIONAL/],
    ['remembered devices', { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true } }, /remembered devices yet, so DeviceConfiguration/],
    ['threat protection', { UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } }, /threat protection/],
    ['passwordless', { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } } }, /choice-based \(passwordless\) sign-in/],
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

  const clientRefusals: [string, Partial<CreateUserPoolClientCommandInput>, RegExp][] = [
    ['callback URLs', { CallbackURLs: ['https://app.example/cb'] }, /OAuth 2\.0 endpoints and managed login yet, so CallbackURLs cannot be set/],
    ['OAuth flows', { AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true }, /AllowedOAuthFlowsUserPoolClient/],
    ['OAuth scopes', { AllowedOAuthScopes: ['openid'] }, /AllowedOAuthScopes/],
    ['logout URLs', { LogoutURLs: ['https://app.example/out'] }, /LogoutURLs/],
    ['a federated provider', { SupportedIdentityProviders: ['COGNITO', 'Google'] }, /federated identity providers/],
    ['refresh token rotation', { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 } }, /refresh token rotation/],
  ];

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
