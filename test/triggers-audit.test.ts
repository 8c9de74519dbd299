import { InitiateAuthCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPoolWithClient } from './support/fixtures.js';
import { startFunctionEndpoint, writeTriggersFile, type FunctionEndpoint } from './support/lambda-http.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';
import { createLogger } from '../src/kernel/logger.js';
import type { TriggerEvent } from '../src/services/triggers/trigger-event.js';
import { formatAuditLine } from '../src/cli/audit.js';

const FN_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:audited';
const PASSWORD = 'Audit-Pass-1';
const LEGACY_PASSWORD = 'Legacy-Secret-Pass-9';

/** Trigger invocations are logged and audited: source, outcome, duration; never the event's secrets. */
describe('trigger invocations in the audit log and the log', () => {
  let fn: FunctionEndpoint;
  let server: TestServer;
  let poolId: string;
  let clientId: string;
  const lines: string[] = [];

  before(async () => {
    fn = await startFunctionEndpoint((raw) => {
      const event = raw as unknown as TriggerEvent;
      if (event.triggerSource === 'PreSignUp_SignUp' && (event.request.userAttributes as Record<string, string>).email?.startsWith('blocked')) {
        throw new Error('Registration from this domain is not allowed.');
      }
      if (event.triggerSource === 'UserMigration_Authentication') {
        // The legacy directory knows this user; the password typed is in the event, never in a log.
        return { ...event, response: { userAttributes: { email: 'legacy@example.com', email_verified: 'true' }, finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS' } };
      }
      return event;
    });
    server = await startServer({
      config: { triggersFile: writeTriggersFile({ [FN_ARN]: { url: fn.url } }) },
      overrides: { logger: createLogger('info', (line) => lines.push(line)) },
    });
    ({ poolId, clientId } = await createPoolWithClient(
      server.client,
      { PoolName: 'audited-triggers', LambdaConfig: { PreSignUp: FN_ARN, UserMigration: FN_ARN } },
      { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    ));
  });
  after(async () => {
    await server?.close();
    await fn?.close();
  });

  const triggerRows = async () => {
    await server.app.audit.flush();
    return (await server.app.deps.store.listAudit({ poolId, limit: 1000 })).filter((r) => r.operation.startsWith('Trigger:'));
  };

  it('an invocation that succeeds: Trigger:<source>, OK, its duration, the pool, user and client', async () => {
    await server.client.send(new SignUpCommand({ ClientId: clientId, Username: 'ann', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'ann@example.com' }] }));
    const rows = await triggerRows();
    const row = rows.find((r) => r.operation === 'Trigger:PreSignUp_SignUp' && r.username === 'ann');
    assert.ok(row, 'audited');
    const { at, durationMs, ...rest } = row;
    assert.equal(typeof at, 'number');
    assert.equal(typeof durationMs, 'number');
    assert.ok((durationMs as number) >= 0);
    assert.deepEqual(rest, {
      requestId: '-',
      operation: 'Trigger:PreSignUp_SignUp',
      principal: null,
      clientId,
      poolId,
      username: 'ann',
      outcome: 'OK',
      status: 200,
      sourceIp: '-',
    });
    // The `userpoold audit` line ends with the duration.
    assert.match(formatAuditLine(row), /\tTrigger:PreSignUp_SignUp\tOK\t200\t.*\t\d+ms$/);
  });

  it('an invocation that fails is audited with the error the caller got', async () => {
    await expectAwsError(
      () => server.client.send(new SignUpCommand({ ClientId: clientId, Username: 'bob', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'blocked@example.com' }] })),
      'UserLambdaValidationException',
      'PreSignUp failed with error Registration from this domain is not allowed..',
    );
    const row = (await triggerRows()).find((r) => r.username === 'bob');
    assert.deepEqual([row?.operation, row?.outcome, row?.status], ['Trigger:PreSignUp_SignUp', 'UserLambdaValidationException', 400]);
    assert.equal(typeof row?.durationMs, 'number');
  });

  it('neither the audit log nor the log holds the password a migrating user typed', async () => {
    const out = await server.client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'legacy', PASSWORD: LEGACY_PASSWORD } }),
    );
    assert.ok(out.AuthenticationResult?.AccessToken);
    assert.equal(fn.events.filter((e) => (e.triggerSource as string) === 'UserMigration_Authentication').length, 1);
    const rows = await triggerRows();
    const row = rows.find((r) => r.operation === 'Trigger:UserMigration_Authentication');
    assert.deepEqual([row?.username, row?.outcome], ['legacy', 'OK']);
    const logged = lines.filter((l) => l.includes('lambda trigger'));
    assert.ok(logged.some((l) => l.includes('UserMigration_Authentication') && l.includes('durationMs')), 'logged with source and duration');
    const everything = JSON.stringify(rows) + rows.map(formatAuditLine).join('\n') + lines.join('\n');
    assert.ok(!everything.includes(LEGACY_PASSWORD));
    assert.ok(!everything.includes(PASSWORD));
  });
});
