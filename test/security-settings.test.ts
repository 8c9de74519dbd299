import {
  AdminCreateUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeRiskConfigurationCommand,
  GetLogDeliveryConfigurationCommand,
  SetLogDeliveryConfigurationCommand,
  SetRiskConfigurationCommand,
  type LogConfigurationType,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PermanentDeliveryError } from '../src/services/delivery/transport.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const LOG_GROUP = 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/vendedlogs/cognito/app';
const ADD_ON_NOT_ENABLED = 'Threat protection (advanced security) is not enabled for this user pool.';

/** SetRiskConfiguration / DescribeRiskConfiguration and Set/GetLogDeliveryConfiguration. */
describe('security settings', () => {
  let server: TestServer;
  let logDir: string;
  let poolId: string;
  const sent: string[] = [];
  before(async () => {
    logDir = mkdtempSync(join(tmpdir(), 'userpoold-logs-'));
    // Mail to bounce@ is refused for good; other mail goes through.
    const email = {
      send: async (message: { to: string }) => {
        if (message.to.startsWith('bounce@')) throw new PermanentDeliveryError('550 mailbox unavailable');
        sent.push(message.to);
      },
    };
    server = await startServer({ config: { logDeliveryDir: logDir }, overrides: { email } });
    poolId = (await server.client.send(new CreateUserPoolCommand({ PoolName: 'security' }))).UserPool?.Id ?? assert.fail('no pool');
  });
  after(async () => {
    await server.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  const invite = (username: string, address: string, pool = poolId) =>
    server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: pool,
        Username: username,
        UserAttributes: [
          { Name: 'email', Value: address },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
  const setLogs = (configs: LogConfigurationType[], pool = poolId) =>
    server.client.send(new SetLogDeliveryConfigurationCommand({ UserPoolId: pool, LogConfigurations: configs }));
  const getLogs = async (pool = poolId) =>
    (await server.client.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: pool }))).LogDeliveryConfiguration;
  const logLines = (file: string) => readFileSync(join(logDir, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

  describe('risk configuration (threat protection)', () => {
    it('answers UserPoolAddOnNotEnabledException, as AWS does for a pool without threat protection', async () => {
      const clientId = (await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }))).UserPoolClient?.ClientId;
      await expectAwsError(
        () => server.client.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['10.0.0.0/8'] } })),
        'UserPoolAddOnNotEnabledException',
        ADD_ON_NOT_ENABLED,
      );
      await expectAwsError(
        () => server.client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId })),
        'UserPoolAddOnNotEnabledException',
        ADD_ON_NOT_ENABLED,
      );
    });

    it('looks up the pool and the client first', async () => {
      await expectAwsError(
        () => server.client.send(new DescribeRiskConfigurationCommand({ UserPoolId: 'us-east-1_nothing' })),
        'ResourceNotFoundException',
        'User pool us-east-1_nothing does not exist.',
      );
      await expectAwsError(
        () => server.client.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, ClientId: 'nosuchclient' })),
        'ResourceNotFoundException',
        'User pool client nosuchclient does not exist.',
      );
    });
  });

  describe('log delivery', () => {
    it('starts empty, keeps what is set, and writes message delivery errors to the log group’s file', async () => {
      assert.deepEqual(await getLogs(), { UserPoolId: poolId, LogConfigurations: [] });
      const config: LogConfigurationType = { EventSource: 'userNotification', LogLevel: 'ERROR', CloudWatchLogsConfiguration: { LogGroupArn: LOG_GROUP } };
      const out = await setLogs([config]);
      assert.deepEqual(out.LogDeliveryConfiguration, { UserPoolId: poolId, LogConfigurations: [config] });
      assert.deepEqual(await getLogs(), { UserPoolId: poolId, LogConfigurations: [config] });

      await invite('ann', 'ann@example.com');
      await invite('bob', 'bounce@example.com');
      await server.app.delivery.runOnce();
      assert.deepEqual(sent, ['ann@example.com']);
      const [line, ...more] = logLines('_aws_vendedlogs_cognito_app.log');
      assert.equal(more.length, 0, 'only the failure is logged');
      assert.deepEqual(
        { ...line, messageId: undefined, userSub: undefined },
        {
          eventTimestamp: server.clock.nowMs(),
          logLevel: 'ERROR',
          eventSource: 'USER_NOTIFICATION',
          userPoolId: poolId,
          userSub: undefined,
          messageId: undefined,
          eventType: 'AdminCreateUser',
          deliveryMedium: 'EMAIL',
          attempts: 1,
          willRetry: false,
          reason: '550 mailbox unavailable',
        },
      );
      // Neither the address nor the temporary password reach the log.
      assert.ok(!JSON.stringify(line).includes('bounce@'));

      // An empty list turns delivery off again.
      await setLogs([]);
      assert.deepEqual(await getLogs(), { UserPoolId: poolId, LogConfigurations: [] });
      await invite('cat', 'bounce@example.org');
      await server.app.delivery.runOnce();
      assert.equal(logLines('_aws_vendedlogs_cognito_app.log').length, 1);
    });

    it('writes nothing for a pool without a configuration', async () => {
      const other = (await server.client.send(new CreateUserPoolCommand({ PoolName: 'quiet' }))).UserPool?.Id as string;
      await invite('dan', 'bounce@example.net', other);
      await server.app.delivery.runOnce();
      assert.ok(!existsSync(join(logDir, 'quiet.log')));
      await server.client.send(new DeleteUserPoolCommand({ UserPoolId: other }));
    });

    it('refuses what AWS refuses', async () => {
      const cw = { LogGroupArn: LOG_GROUP };
      await expectAwsError(
        () => setLogs([{ EventSource: 'userNotification', LogLevel: 'INFO', CloudWatchLogsConfiguration: cw }]),
        'InvalidParameterException',
        'userNotification logs are delivered at LogLevel ERROR to a CloudWatchLogsConfiguration only.',
      );
      await expectAwsError(
        () => setLogs([{ EventSource: 'userNotification', LogLevel: 'ERROR', S3Configuration: { BucketArn: 'arn:aws:s3:::bucket-of-logs' } }]),
        'InvalidParameterException',
        'userNotification logs are delivered at LogLevel ERROR to a CloudWatchLogsConfiguration only.',
      );
      await expectAwsError(
        () => setLogs([{ EventSource: 'userNotification', LogLevel: 'ERROR' }]),
        'InvalidParameterException',
        'Each log configuration needs exactly one destination: CloudWatchLogsConfiguration, S3Configuration or FirehoseConfiguration.',
      );
      await expectAwsError(
        () => setLogs([{ EventSource: 'userNotification', LogLevel: 'ERROR', CloudWatchLogsConfiguration: { LogGroupArn: 'arn:aws:sns:us-east-1:000000000000:topic' } }]),
        'InvalidParameterException',
        'arn:aws:sns:us-east-1:000000000000:topic is not the ARN of a CloudWatch Logs log group.',
      );
      const both: LogConfigurationType = { EventSource: 'userNotification', LogLevel: 'ERROR', CloudWatchLogsConfiguration: cw };
      await expectAwsError(() => setLogs([both, both]), 'InvalidParameterException', 'Only one log configuration per EventSource is allowed (userNotification is given twice).');
      await expectAwsError(
        () => setLogs([{ EventSource: 'userAuthEvents', LogLevel: 'INFO', CloudWatchLogsConfiguration: cw }]),
        'FeatureUnavailableInTierException',
        'userAuthEvents log delivery needs the PLUS feature plan (UserPoolTier); this user pool is on a lower plan.',
      );
      await expectAwsError(() => getLogs('us-east-1_nothing'), 'ResourceNotFoundException', 'User pool us-east-1_nothing does not exist.');
      // Nothing of the refused calls was kept.
      assert.deepEqual(await getLogs(), { UserPoolId: poolId, LogConfigurations: [] });
    });

    it('keeps a userAuthEvents configuration on the Plus plan', async () => {
      const plus = (await server.client.send(new CreateUserPoolCommand({ PoolName: 'plus', UserPoolTier: 'PLUS' }))).UserPool?.Id as string;
      const configs: LogConfigurationType[] = [
        { EventSource: 'userAuthEvents', LogLevel: 'INFO', FirehoseConfiguration: { StreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/auth' } },
        { EventSource: 'userNotification', LogLevel: 'ERROR', CloudWatchLogsConfiguration: { LogGroupArn: LOG_GROUP } },
      ];
      await setLogs(configs, plus);
      assert.deepEqual(await getLogs(plus), { UserPoolId: plus, LogConfigurations: configs });
    });
  });
});
