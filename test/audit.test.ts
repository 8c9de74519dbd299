import {
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatAuditLine } from '../src/cli/audit.js';
import { ManualClock } from '../src/kernel/clock.js';
import { silentLogger } from '../src/kernel/logger.js';
import { auditRecordOf, createAuditLog } from '../src/services/audit/audit-log.js';
import { openSqliteFile } from '../src/storage/sqlite.js';
import type { AuditRecord } from '../src/ports/audit.js';
import type { Store } from '../src/ports/store.js';
import { addingMembers } from './support/adding-members.js';
import { createConfirmedUser } from './support/fixtures.js';
import { latestCode } from './support/outbox.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const TEMP_PASSWORD = 'Temp-Pass-1';
const PASSWORD = 'Correct-Horse-1';
const NEW_PASSWORD = 'Battery-Staple-2';
const LATEST_PASSWORD = 'Third-Password-3';
const AUDITOR = { accessKeyId: 'AKIAAUDITOR00000TEST', secretAccessKey: 'auditor/secret+Key0123456789abcdefghijkl' };
const AUDITOR_ARN = 'arn:aws:iam::000000000000:user/auditor';
const LOOPBACK = /^(::ffff:)?127\.0\.0\.1$|^::1$/;

const ctx = (extra: object = {}) => ({ requestId: 'req-1', sourceIp: '203.0.113.9', baseUrl: 'http://x', ...extra });

describe('audit rows', () => {
  it('pick the caller, pool, client and username by name, and nothing else of the input', () => {
    const row = auditRecordOf(
      {
        operation: 'AdminSetUserPassword',
        input: { UserPoolId: 'us-east-1_abc', Username: 'alice', Password: 'Secret-1', Permanent: true },
        ctx: ctx({ principal: { arn: 'arn:aws:iam::000000000000:user/ops', accessKeyId: 'AKIDOPS' } }),
        status: 200,
        errorType: undefined,
      },
      1234,
    );
    assert.deepEqual(row, {
      at: 1234,
      requestId: 'req-1',
      operation: 'AdminSetUserPassword',
      principal: 'arn:aws:iam::000000000000:user/ops',
      clientId: null,
      poolId: 'us-east-1_abc',
      username: 'alice',
      outcome: 'OK',
      status: 200,
      sourceIp: '203.0.113.9',
    });
    const signIn = auditRecordOf(
      {
        operation: 'InitiateAuth',
        input: { ClientId: 'client1', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bob', PASSWORD: 'Secret-2', SECRET_HASH: 'h' } },
        ctx: ctx(),
        status: 400,
        errorType: 'NotAuthorizedException',
      },
      5,
    );
    assert.equal(signIn?.username, 'bob');
    assert.equal(signIn?.clientId, 'client1');
    assert.equal(signIn?.principal, null);
    assert.equal(signIn?.outcome, 'NotAuthorizedException');
    // A refused access token's claims are not believed.
    const forged = `x.${Buffer.from(JSON.stringify({ username: 'root', client_id: 'c', iss: 'http://x/us-east-1_p' })).toString('base64url')}.y`;
    const refused = auditRecordOf({ operation: 'GetUser', input: { AccessToken: forged }, ctx: ctx(), status: 400, errorType: 'NotAuthorizedException' }, 1);
    assert.equal(refused?.username, null);
    const accepted = auditRecordOf({ operation: 'GetUser', input: { AccessToken: forged }, ctx: ctx(), status: 200, errorType: undefined }, 1);
    assert.deepEqual([accepted?.username, accepted?.clientId, accepted?.poolId], ['root', 'c', 'us-east-1_p']);
    assert.equal(auditRecordOf({ operation: undefined, input: undefined, ctx: ctx(), status: 400, errorType: 'UnknownOperationException' }, 1), undefined);
    const long = auditRecordOf({ operation: 'AdminGetUser', input: { UserPoolId: 'p', Username: 'u'.repeat(5000) }, ctx: ctx(), status: 400, errorType: 'X' }, 1);
    assert.equal(long?.username?.length, 256);
  });

  it('are written in batches off the request path, and all of them on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'userpoold-audit-'));
    const store = await openSqliteFile(join(dir, 'audit.sqlite'));
    try {
      const log = createAuditLog({ store, clock: new ManualClock(1000), logger: silentLogger }, { flushMs: 60_000, maxBatch: 3 });
      const outcome = (n: number) => ({ operation: 'AdminGetUser', input: { UserPoolId: 'p', Username: `u${n}` }, ctx: ctx({ requestId: `r${n}` }), status: 200, errorType: undefined });
      log.record(outcome(1));
      log.record(outcome(2));
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal((await store.listAudit({ limit: 10 })).length, 0, 'nothing written before the batch fills or the timer fires');
      log.record(outcome(3));
      await log.flush();
      assert.deepEqual((await store.listAudit({ limit: 10 })).map((r) => r.requestId), ['r1', 'r2', 'r3']);
      log.record(outcome(4));
      await log.close();
      log.record(outcome(5));
      const rows = await store.listAudit({ limit: 10 });
      assert.deepEqual(rows.map((r) => r.requestId), ['r1', 'r2', 'r3', 'r4']);
      assert.deepEqual((await store.listAudit({ limit: 2 })).map((r) => r.requestId), ['r3', 'r4'], 'the newest, oldest first');
      assert.deepEqual(await store.listAudit({ poolId: 'other', limit: 10 }), []);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('writes whole batches while rows keep coming during each write, and the rest on close', async () => {
    // A store slower than the rows arrive: every row recorded while a batch is being written
    // must wait for a batch of its own, not be written in a batch of the few that came meanwhile.
    const written: string[][] = [];
    let release: (() => void) | undefined;
    const store = {
      appendAudit: async (rows: readonly AuditRecord[]) => {
        written.push(rows.map((r) => r.requestId));
        await new Promise<void>((resolve) => (release = resolve));
      },
      getClient: async () => undefined,
    } as unknown as Store;
    const log = createAuditLog({ store, clock: new ManualClock(1000), logger: silentLogger }, { flushMs: 60_000, maxBatch: 4 });
    const outcome = (n: number) => ({ operation: 'AdminGetUser', input: { UserPoolId: 'p', Username: `u${n}` }, ctx: ctx({ requestId: `r${n}` }), status: 200, errorType: undefined });
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    let n = 0;
    // Four batches' worth, one row at a time, each write finishing only after a row more came.
    while (n < 16) {
      log.record(outcome(++n));
      await settle();
      if (n % 3 === 0) {
        release?.();
        release = undefined;
        await settle();
      }
    }
    for (let i = 0; i < 10 && release !== undefined; i++) {
      release();
      release = undefined;
      await settle();
    }
    log.record(outcome(++n));
    const closing = log.close();
    for (let i = 0; i < 10; i++) {
      release?.();
      release = undefined;
      await settle();
    }
    await closing;
    assert.deepEqual(written.map((batch) => batch.length), [4, 4, 4, 4, 1], `batches: ${JSON.stringify(written)}`);
    assert.deepEqual(written.flat(), Array.from({ length: 17 }, (_, i) => `r${i + 1}`));
  });
});

describe('audit log through the API', () => {
  let server: TestServer;
  let admin: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let clientSecret: string;
  const secrets: string[] = [TEMP_PASSWORD, PASSWORD, NEW_PASSWORD, LATEST_PASSWORD, AUDITOR.secretAccessKey];
  const dir = mkdtempSync(join(tmpdir(), 'userpoold-audit-'));

  before(async () => {
    const credentials = join(dir, 'credentials.json');
    const policy = { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:*', Resource: '*' }] };
    writeFileSync(credentials, JSON.stringify([{ name: 'auditor', ...AUDITOR, policy }]));
    server = await startServer({ config: { credentialsFile: credentials } });
    // The SDK signs with the real time; the server's clock must agree within the allowed skew.
    server.clock.set(Math.floor(Date.now() / 1000) * 1000);
    admin = new CognitoIdentityProviderClient({ endpoint: server.url, region: 'us-east-1', credentials: AUDITOR, maxAttempts: 1 });
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'audited' }))).UserPool?.Id as string;
    const client = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
    clientSecret = client.UserPoolClient?.ClientSecret as string;
    secrets.push(clientSecret);
  });
  after(async () => {
    admin.destroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const secretHash = (username: string) => createHmac('sha256', clientSecret).update(username + clientId).digest('base64');

  async function rows(): Promise<AuditRecord[]> {
    await server.app.audit.flush();
    return server.app.deps.store.listAudit({ limit: 1000 });
  }

  it('records admin and public calls with caller, pool, user, outcome and address, and never a secret', async () => {
    await createConfirmedUser(admin, poolId, 'alice', { temporaryPassword: TEMP_PASSWORD, password: PASSWORD });
    await admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice' }));
    const resetCode = await latestCode(server, poolId, 'alice');
    await server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'alice', SecretHash: secretHash('alice') }));
    const code = await latestCode(server, poolId, 'alice');
    secrets.push(resetCode, code, secretHash('alice'));
    const wrong = code === '000000' ? '000001' : '000000';
    await expectAwsError(
      () => server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'alice', ConfirmationCode: wrong, Password: NEW_PASSWORD, SecretHash: secretHash('alice') })),
      'CodeMismatchException',
    );
    await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'alice', ConfirmationCode: code, Password: NEW_PASSWORD, SecretHash: secretHash('alice') }));
    await expectAwsError(
      () =>
        server.client.send(
          new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD, SECRET_HASH: secretHash('alice') } }),
        ),
      'NotAuthorizedException',
    );
    const signedIn = await server.client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD: NEW_PASSWORD, SECRET_HASH: secretHash('alice') } }),
    );
    const tokens = signedIn.AuthenticationResult;
    assert.ok(tokens?.AccessToken && tokens.IdToken && tokens.RefreshToken);
    secrets.push(tokens.AccessToken, tokens.IdToken, tokens.RefreshToken);
    await server.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    await server.client.send(new ChangePasswordCommand({ AccessToken: tokens.AccessToken, PreviousPassword: NEW_PASSWORD, ProposedPassword: LATEST_PASSWORD }));
    await server.client.send(new SignUpCommand({ ClientId: clientId, Username: 'bob', Password: 'Bobs-Password-9', SecretHash: secretHash('bob') }));
    secrets.push('Bobs-Password-9');
    await expectAwsError(() => admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'nobody' })), 'UserNotFoundException');

    const all = await rows();
    const mine = all.filter((r) => r.poolId === poolId || r.clientId === clientId);
    const summary = mine.map((r) => [r.operation, r.outcome, r.status, r.clientId === null ? null : 'client', r.username]);
    assert.deepEqual(summary, [
      ['CreateUserPoolClient', 'OK', 200, null, null],
      ['AdminCreateUser', 'OK', 200, null, 'alice'],
      ['AdminSetUserPassword', 'OK', 200, null, 'alice'],
      ['AdminResetUserPassword', 'OK', 200, null, 'alice'],
      ['ForgotPassword', 'OK', 200, 'client', 'alice'],
      ['ConfirmForgotPassword', 'CodeMismatchException', 400, 'client', 'alice'],
      ['ConfirmForgotPassword', 'OK', 200, 'client', 'alice'],
      ['InitiateAuth', 'NotAuthorizedException', 400, 'client', 'alice'],
      ['InitiateAuth', 'OK', 200, 'client', 'alice'],
      ['GetUser', 'OK', 200, 'client', 'alice'],
      ['ChangePassword', 'OK', 200, 'client', 'alice'],
      ['SignUp', 'OK', 200, 'client', 'bob'],
      ['AdminGetUser', 'UserNotFoundException', 400, null, 'nobody'],
    ]);
    for (const row of mine) {
      assert.equal(row.poolId, poolId, `${row.operation}: pool found from the client or token`);
      assert.match(row.sourceIp, LOOPBACK);
      assert.match(row.requestId, /^[0-9a-f-]{36}$/);
      assert.equal(row.at, server.clock.nowMs());
      if (row.clientId !== null) assert.equal(row.clientId, clientId);
      // Signed calls carry the verified caller; public ones the app client only.
      assert.equal(row.principal, row.operation.startsWith('Admin') || row.operation.startsWith('Create') ? AUDITOR_ARN : null, row.operation);
    }
    assert.ok(all.some((r) => r.operation === 'CreateUserPool' && r.poolId === null && r.outcome === 'OK' && r.principal === AUDITOR_ARN));
    assert.ok(!JSON.stringify(all).includes(AUDITOR.accessKeyId.slice(4)), 'the access key id is not needed: the ARN names the caller');

    const text = JSON.stringify(all) + all.map(formatAuditLine).join('\n');
    for (const secret of secrets) assert.ok(!text.includes(secret), `an audit row holds a secret (${secret.slice(0, 4)}…)`);
  });

  it('records the pool the operation names, never a member added to the body', async () => {
    const smuggler = addingMembers(new CognitoIdentityProviderClient({ endpoint: server.url, region: 'us-east-1', credentials: AUDITOR, maxAttempts: 1 }), {
      UserPoolId: poolId,
      Username: 'mallory',
      ClientId: clientId,
    });
    try {
      const listed = await smuggler.send(new ListUserPoolsCommand({ MaxResults: 1 }));
      const refused = await smuggler.send(new AdminGetUserCommand({ UserPoolId: `${poolId}x`, Username: 'nobody' })).then(
        () => assert.fail('AdminGetUser on a pool that does not exist succeeded'),
        (err: { $metadata: { requestId?: string } }) => err,
      );
      const all = await rows();
      const row = (requestId: string | undefined) => {
        const found = all.find((r) => r.requestId === requestId);
        assert.ok(found, `no audit row for request ${requestId}`);
        return [found.operation, found.poolId, found.clientId, found.username, found.principal];
      };
      assert.deepEqual(row(listed.$metadata.requestId), ['ListUserPools', null, null, null, AUDITOR_ARN]);
      // AdminGetUser has its own UserPoolId and Username, which the helper leaves alone; the
      // added ClientId is no member of its input, so the row names no client.
      assert.deepEqual(row(refused.$metadata.requestId), ['AdminGetUser', `${poolId}x`, null, 'nobody', AUDITOR_ARN]);
    } finally {
      smuggler.destroy();
    }
  });

  it('answers the request id the row carries', async () => {
    // Unsigned, so refused: the refusal is recorded too.
    const res = await server.raw('DescribeUserPool', { UserPoolId: poolId });
    assert.equal(res.status, 400);
    const requestId = res.headers.get('x-amzn-requestid');
    const row = (await rows()).find((r) => r.requestId === requestId);
    assert.equal(row?.operation, 'DescribeUserPool');
    assert.equal(row?.outcome, res.body.__type);
    assert.equal(row?.principal, null);
    assert.equal(row?.poolId, poolId);
  });
});

describe('userpoold audit', () => {
  it('prints the rows of a data folder oldest first, by pool, newest N; survives a clean close', async () => {
    const server = await startServer();
    const dataDir = server.app.deps.config.dataDir;
    const poolA = (await server.client.send(new CreateUserPoolCommand({ PoolName: 'a' }))).UserPool?.Id as string;
    const poolB = (await server.client.send(new CreateUserPoolCommand({ PoolName: 'b' }))).UserPool?.Id as string;
    await server.client.send(new AdminGetUserCommand({ UserPoolId: poolA, Username: 'x' })).catch(() => undefined);
    await server.client.send(new AdminGetUserCommand({ UserPoolId: poolB, Username: 'y' })).catch(() => undefined);
    await server.client.send(new AdminGetUserCommand({ UserPoolId: poolA, Username: 'z' })).catch(() => undefined);
    // Closed without an explicit flush: close() writes what is buffered.
    await server.app.close();
    try {
      const all = await cli(['audit', '--data-dir', dataDir]);
      assert.equal(all.code, 0, all.stderr);
      const lines = all.stdout.trim().split('\n');
      assert.deepEqual(
        lines.map((l) => l.split('\t')[2]),
        ['CreateUserPool', 'CreateUserPool', 'AdminGetUser', 'AdminGetUser', 'AdminGetUser'],
      );
      const byPool = await cli(['audit', '--data-dir', dataDir, '--pool', poolA, '--limit', '1']);
      assert.equal(byPool.code, 0, byPool.stderr);
      const [line, ...more] = byPool.stdout.trim().split('\n');
      assert.deepEqual(more, []);
      const fields = (line as string).split('\t');
      assert.deepEqual([fields[2], fields[3], fields[4], fields[6], fields[7]], ['AdminGetUser', 'UserNotFoundException', '400', poolA, 'z']);
      assert.match(fields[0] as string, /^\d{4}-\d\d-\d\dT/);
      const bad = await cli(['audit', '--data-dir', dataDir, '--limit', '0']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--limit expects a positive whole number/);
      const missing = await cli(['audit', '--data-dir', join(dataDir, 'nope')]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /audit: no userpoold database in /);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      server.client.destroy();
    }
  });
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('USERPOOLD_')) env[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'support', 'cli-entry.ts'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
