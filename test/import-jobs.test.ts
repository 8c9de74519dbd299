import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  CreateUserImportJobCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserImportJobCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetCSVHeaderCommand,
  InitiateAuthCommand,
  ListUserImportJobsCommand,
  StartUserImportJobCommand,
  StopUserImportJobCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolCommandInput,
  type UserImportJobType,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { ROWS_PER_BATCH } from '../src/domain/import/import-job.js';
import { killRunningChildren, startChildServer, stopChildServer, type ChildServer } from './support/child-server.js';
import { latestCode } from './support/outbox.js';
import { E2E_DIALECTS, createTestSchema, postgresSkip, skipFor, type TestSchema } from './support/postgres-schema.js';
import { expectAwsError, sdkClient, startServer, type TestServer } from './support/server.js';

const ROLE = 'arn:aws:iam::123456789012:role/CognitoImport';
const NEW_PASSWORD = 'Battery-Staple-2';
const TERMINAL = new Set(['Succeeded', 'Failed', 'Stopped', 'Expired']);

/** PUTs a CSV to a pre-signed URL as AWS tells clients to (DG23 cognito-user-pools-creating-import-job). */
export async function upload(url: string, csv: string | Buffer, headers: Record<string, string> = { 'x-amz-server-side-encryption': 'aws:kms', 'Content-Type': 'text/csv' }) {
  const res = await fetch(url, { method: 'PUT', headers, body: csv });
  return { status: res.status, text: await res.text() };
}

export async function waitForJob(client: CognitoIdentityProviderClient, poolId: string, jobId: string, done: (job: UserImportJobType) => boolean, timeoutMs = 60_000): Promise<UserImportJobType> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await client.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: jobId }))).UserImportJob as UserImportJobType;
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`import job ${jobId} still ${job.Status} (${job.ImportedUsers} imported)`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A CSV in the pool's header order with the given rows (column name to value; missing ones empty). */
export function csvOf(header: readonly string[], rows: readonly Record<string, string>[]): string {
  return [header.join(','), ...rows.map((row) => header.map((c) => row[c] ?? '').join(','))].join('\n') + '\n';
}

export const userRow = (name: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'cognito:username': name,
  'cognito:mfa_enabled': 'false',
  email: `${name}@example.com`,
  email_verified: 'true',
  ...extra,
});

for (const dialect of E2E_DIALECTS) describe(`user import jobs (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ dialect });
  });
  after(() => server.close());

  async function pool(settings: Partial<CreateUserPoolCommandInput> = {}) {
    const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'import', AutoVerifiedAttributes: ['email'], ...settings }));
    const poolId = created.UserPool?.Id as string;
    const made = await server.client.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    const header = (await server.client.send(new GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader as string[];
    return { poolId, clientId: made.UserPoolClient?.ClientId as string, header };
  }

  async function createJob(poolId: string, name = 'migration') {
    const created = await server.client.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: name, CloudWatchLogsRoleArn: ROLE }));
    return created.UserImportJob as UserImportJobType;
  }

  /**
   * Holds every import batch after the first at the store until released: without it a loaded
   * machine could finish all 30,000 rows between the poll that saw the first batch and the
   * request that should interrupt the job.
   */
  function holdAfterFirstBatch(): { release: () => void } {
    const store = server.app.deps.store;
    const commit = store.commitImportBatch;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    store.commitImportBatch = async (batch) => {
      if (!first) await held;
      first = false;
      return commit.call(store, batch);
    };
    return {
      release() {
        store.commitImportBatch = commit;
        release();
      },
    };
  }

  const start = (poolId: string, jobId: string) => server.client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: jobId }));
  const finished = (poolId: string, jobId: string) => waitForJob(server.client, poolId, jobId, (j) => TERMINAL.has(j.Status ?? ''));

  it('imports a directory: rows fail alone with their line and reason, users reset their password and sign in', async () => {
    const { poolId, clientId, header } = await pool();
    await server.client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'existing', MessageAction: 'SUPPRESS' }));
    const job = await createJob(poolId);
    assert.equal(job.Status, 'Created');
    assert.match(job.JobId ?? '', /^import-[0-9a-zA-Z-]+$/u);
    assert.equal(job.CloudWatchLogsRoleArn, ROLE);
    assert.deepEqual([job.ImportedUsers, job.SkippedUsers, job.FailedUsers], [0, 0, 0]);
    assert.ok(job.PreSignedUrl?.startsWith(server.url));

    const good = Array.from({ length: 12 }, (_, i) => userRow(`user${i}`));
    // Columns in another order than GetCSVHeader's: AWS allows any order.
    const shuffled = [...header].reverse();
    const rows = [
      userRow('alice', { name: 'Smith\\, Alice', phone_number: '+15555550100' }), // line 2
      ...good, // lines 3-14
      userRow('existing'), // 15: SKIPPED
      userRow('alice'), // 16: SKIPPED (earlier in the file)
      userRow('', {}), // 17: no username
      userRow('nomfa', { 'cognito:mfa_enabled': '' }), // 18
      userRow('unverified', { email_verified: 'false' }), // 19: no auto-verified attribute true
      userRow('noemail', { email: '' }), // 20: email_verified without email
      userRow('bademail', { email: 'not-an-email' }), // 21
      userRow('badbool', { phone_number_verified: 'yes' }), // 22
    ];
    const csv = csvOf(shuffled, rows) + 'only,three,values\n'; // 23: wrong shape
    const put = await upload(job.PreSignedUrl as string, csv);
    assert.equal(put.status, 200, put.text);

    const started = (await start(poolId, job.JobId as string)).UserImportJob;
    assert.equal(started?.Status, 'Pending');
    assert.ok(started?.StartDate instanceof Date);
    const done = await finished(poolId, job.JobId as string);
    assert.equal(done.Status, 'Succeeded', done.CompletionMessage);
    assert.deepEqual([done.ImportedUsers, done.SkippedUsers, done.FailedUsers], [13, 2, 7]);
    assert.ok(done.CompletionMessage?.startsWith('Import Job Completed Successfully. 7 failed, 2 skipped'), done.CompletionMessage);
    assert.ok(done.CompletionDate instanceof Date);

    const log = await server.app.deps.store.listImportLog(job.JobId as string, 0, 100);
    assert.deepEqual(
      log.map((e) => [e.line, e.outcome]),
      [
        [15, 'SKIPPED'],
        [16, 'SKIPPED'],
        [17, 'FAILED'],
        [18, 'FAILED'],
        [19, 'FAILED'],
        [20, 'FAILED'],
        [21, 'FAILED'],
        [22, 'FAILED'],
        [23, 'FAILED'],
      ],
    );
    assert.equal(log[0]?.message, 'The user already exists.');
    assert.equal(log[4]?.message, 'The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).');
    assert.equal(log[6]?.message, 'Invalid email address format.');

    // The imported user: RESET_REQUIRED, no password; the comma came through unescaped.
    const alice = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }));
    assert.equal(alice.UserStatus, 'RESET_REQUIRED');
    const attributes = Object.fromEntries((alice.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
    assert.equal(attributes.name, 'Smith, Alice');
    assert.equal(attributes.email_verified, 'true');
    const signIn = (password: string) =>
      server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD: password } }));
    await expectAwsError(() => signIn('Anything-1'), 'PasswordResetRequiredException', 'Password reset required for the user');

    const forgot = await server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'alice' }));
    assert.equal(forgot.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    const code = await latestCode(server, poolId, 'alice');
    await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'alice', ConfirmationCode: code, Password: NEW_PASSWORD }));
    const tokens = await signIn(NEW_PASSWORD);
    assert.ok(tokens.AuthenticationResult?.AccessToken);
    assert.equal((await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }))).UserStatus, 'CONFIRMED');
  });

  it('refuses uploads to a wrong, unsigned-header or expired URL with S3 errors, never a 500', async () => {
    const { poolId, header } = await pool();
    const job = await createJob(poolId);
    const url = new URL(job.PreSignedUrl as string);
    const csv = csvOf(header, [userRow('a')]);

    const forged = new URL(url);
    forged.searchParams.set('X-Amz-Signature', 'A'.repeat(43));
    const wrong = await upload(forged.toString(), csv);
    assert.equal(wrong.status, 403);
    assert.match(wrong.text, /<Code>SignatureDoesNotMatch<\/Code>/u);

    const noHeader = await upload(url.toString(), csv, { 'Content-Type': 'text/csv' });
    assert.equal(noHeader.status, 403);
    assert.match(noHeader.text, /<Code>SignatureDoesNotMatch<\/Code>/u);

    const unknown = new URL(url);
    unknown.pathname = unknown.pathname.replace(/import-[^/]+$/u, 'import-nosuchjob');
    assert.equal((await upload(unknown.toString(), csv)).status, 403);

    const tooLarge = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, { method: 'PUT', headers: { 'Content-Length': String(200 * 1000 * 1000), 'x-amz-server-side-encryption': 'aws:kms' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    assert.equal(tooLarge.status, 413);
    assert.match(tooLarge.body, /<Code>EntityTooLarge<\/Code>/u);

    assert.equal((await upload(url.toString(), csv)).status, 200);
    server.clock.advance(15 * 60 * 1000);
    const expired = await upload(url.toString(), csv);
    assert.equal(expired.status, 403);
    assert.match(expired.text, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/u);
  });

  it('checks states, pools and names as AWS does', async () => {
    const { poolId, header } = await pool();
    await expectAwsError(
      () => server.client.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: 'x', CloudWatchLogsRoleArn: undefined as unknown as string })),
      'InvalidParameterException',
    );
    await expectAwsError(() => createJob('us-east-1_nosuchpol'), 'ResourceNotFoundException', 'User pool us-east-1_nosuchpol does not exist.');
    const job = await createJob(poolId, 'first');
    const jobId = job.JobId as string;
    await expectAwsError(() => server.client.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: jobId })), 'PreconditionNotMetException', `Import job ${jobId} is Created and cannot be stopped.`);
    await expectAwsError(
      () => server.client.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: 'import-nosuchjob' })),
      'ResourceNotFoundException',
      'Import job import-nosuchjob does not exist.',
    );

    // No file: the job starts and fails, saying why.
    await start(poolId, jobId);
    await expectAwsError(() => start(poolId, jobId), 'PreconditionNotMetException');
    const failed = await finished(poolId, jobId);
    assert.equal(failed.Status, 'Failed');
    assert.equal(failed.CompletionMessage, 'No CSV file was uploaded to the pre-signed URL before the job started.');

    // A header that is not the pool's fails the whole job.
    // Listed in creation order (ids begin with the creation time; the pinned clock must move).
    server.clock.advance(1);
    const second = await createJob(poolId, 'second');
    await upload(second.PreSignedUrl as string, csvOf([...header.filter((c) => c !== 'email'), 'favourite_colour'], [userRow('x')]));
    await start(poolId, second.JobId as string);
    const mismatch = await finished(poolId, second.JobId as string);
    assert.equal(mismatch.Status, 'Failed');
    assert.equal(mismatch.CompletionMessage, "The CSV header does not match the user pool's (GetCSVHeader): missing email; not in the user pool favourite_colour.");

    // Listing pages in creation order.
    server.clock.advance(1);
    const third = await createJob(poolId, 'third');
    const page1 = await server.client.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 2 }));
    assert.deepEqual(page1.UserImportJobs?.map((j) => j.JobName), ['first', 'second']);
    assert.ok(page1.PaginationToken);
    const page2 = await server.client.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 2, PaginationToken: page1.PaginationToken }));
    assert.deepEqual(page2.UserImportJobs?.map((j) => j.JobName), ['third']);
    assert.equal(page2.PaginationToken, undefined);

    // Not started within 24 hours: Expired.
    server.clock.advance(24 * 60 * 60 * 1000);
    const expired = await server.client.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: third.JobId }));
    assert.equal(expired.UserImportJob?.Status, 'Expired');
    await expectAwsError(() => start(poolId, third.JobId as string), 'PreconditionNotMetException', `Import job ${third.JobId} is Expired and cannot be started.`);

    // A pool without auto-verified attributes cannot start a job.
    const bare = await pool({ AutoVerifiedAttributes: [] });
    const job4 = await createJob(bare.poolId);
    await expectAwsError(() => start(bare.poolId, job4.JobId as string), 'PreconditionNotMetException', /no auto-verified attributes/u);
  });

  it('stops a running job after the batch in flight, with exact counts', async () => {
    const { poolId, header } = await pool();
    const rows = Array.from({ length: 30_000 }, (_, i) => userRow(`bulk${i}`));
    const job = await createJob(poolId);
    assert.equal((await upload(job.PreSignedUrl as string, csvOf(header, rows))).status, 200);
    const hold = holdAfterFirstBatch();
    try {
      await start(poolId, job.JobId as string);
      await waitForJob(server.client, poolId, job.JobId as string, (j) => (j.ImportedUsers ?? 0) > 0 || TERMINAL.has(j.Status ?? ''));
      const stopping = await server.client.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
      assert.equal(stopping.UserImportJob?.Status, 'Stopping');
    } finally {
      hold.release();
    }
    const stopped = await finished(poolId, job.JobId as string);
    assert.equal(stopped.Status, 'Stopped');
    assert.ok((stopped.ImportedUsers ?? 0) > 0 && (stopped.ImportedUsers ?? 0) < 30_000, String(stopped.ImportedUsers));
    assert.equal((stopped.ImportedUsers ?? 0) % ROWS_PER_BATCH, 0, 'whole batches only');
    const described = await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    assert.equal(described.UserPool?.EstimatedNumberOfUsers, stopped.ImportedUsers);
  });

  it('fails a running job whose pool is deleted, writing no user after the deletion', async () => {
    const { poolId, header } = await pool();
    const job = await createJob(poolId);
    await upload(job.PreSignedUrl as string, csvOf(header, Array.from({ length: 30_000 }, (_, i) => userRow(`gone${i}`))));
    const hold = holdAfterFirstBatch();
    try {
      await start(poolId, job.JobId as string);
      await waitForJob(server.client, poolId, job.JobId as string, (j) => (j.ImportedUsers ?? 0) > 0 || TERMINAL.has(j.Status ?? ''));
      await server.client.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    } finally {
      hold.release();
    }
    const store = server.app.deps.store;
    const deadline = Date.now() + 60_000;
    let ended = await store.getImportJob(job.JobId as string);
    while (ended?.status === 'InProgress' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      ended = await store.getImportJob(job.JobId as string);
    }
    assert.equal(ended?.status, 'Failed');
    assert.equal(ended?.completionMessage, 'The user pool no longer exists.');
    assert.equal(await store.countUsers(poolId), 0);
  });
});

const CLI = join(import.meta.dirname, 'support', 'cli-entry.ts');

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('USERPOOLD_') && !k.startsWith('AWS_')) env[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('user import jobs across a crash, and the CLI (sqlite, child processes)', () => {
  const children: ChildServer[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-import-'));
  after(() => {
    killRunningChildren(children);
    rmSync(dataDir, { recursive: true, force: true });
  });
  const serve = async () => {
    const child = await startChildServer(['--data-dir', dataDir, '--import-claim-ttl-ms', '1000']);
    children.push(child);
    return child;
  };

  it('resumes a job after SIGKILL mid-import: every row once, counts exact', async () => {
    let child = await serve();
    let client = sdkClient(child.url);
    const poolId = (await client.send(new CreateUserPoolCommand({ PoolName: 'crash', AutoVerifiedAttributes: ['email'] }))).UserPool?.Id as string;
    const header = (await client.send(new GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader as string[];
    const total = 60_000;
    // Every 997th row lacks its username: failed rows must be counted once too.
    const rows = Array.from({ length: total }, (_, i) => (i % 997 === 0 ? userRow('', {}) : userRow(`crash${i}`)));
    const bad = rows.filter((r) => r['cognito:username'] === '').length;
    const job = (await client.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: 'crash', CloudWatchLogsRoleArn: ROLE }))).UserImportJob as UserImportJobType;
    assert.equal((await upload(job.PreSignedUrl as string, csvOf(header, rows))).status, 200);
    await client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
    const midway = await waitForJob(client, poolId, job.JobId as string, (j) => (j.ImportedUsers ?? 0) > 0 || TERMINAL.has(j.Status ?? ''));
    child.process.kill('SIGKILL');
    await child.exited;
    client.destroy();
    assert.equal(midway.Status, 'InProgress', 'killed while importing');
    assert.ok((midway.ImportedUsers ?? 0) < total - bad);

    child = await serve();
    client = sdkClient(child.url);
    const done = await waitForJob(client, poolId, job.JobId as string, (j) => TERMINAL.has(j.Status ?? ''), 120_000);
    assert.equal(done.Status, 'Succeeded', done.CompletionMessage);
    assert.deepEqual([done.ImportedUsers, done.SkippedUsers, done.FailedUsers], [total - bad, 0, bad]);
    const described = await client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    assert.equal(described.UserPool?.EstimatedNumberOfUsers, total - bad);
    client.destroy();
    await stopChildServer(child);
  });

  it('userpoold users import runs the whole procedure; userpoold import-log prints the refused rows', async () => {
    const child = await serve();
    const client = sdkClient(child.url);
    const poolId = (await client.send(new CreateUserPoolCommand({ PoolName: 'cli', AutoVerifiedAttributes: ['email'] }))).UserPool?.Id as string;
    const header = (await client.send(new GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader as string[];
    const file = join(dataDir, 'users.csv');
    writeFileSync(file, csvOf(header, [userRow('ann'), userRow('ben'), userRow('cy', { email_verified: 'false' })]));
    const imported = await runCli(['users', 'import', '--pool', poolId, '--endpoint', child.url, '--poll-ms', '50', file]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /^job import-[0-9a-zA-Z-]+ created$/mu);
    assert.match(imported.stdout, /^Succeeded: 2 imported, 0 skipped, 1 failed$/mu);
    const jobId = /job (import-[0-9a-zA-Z-]+) created/u.exec(imported.stdout)?.[1] as string;

    const log = await runCli(['import-log', jobId, '--data-dir', dataDir]);
    assert.equal(log.code, 0, log.stderr);
    assert.ok(
      log.stdout.includes('[FAILED] Line Number 4 - The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).'),
      log.stdout,
    );
    assert.match(log.stdout, new RegExp(`^${jobId} \\(.*\\): Succeeded; 2 imported, 0 skipped, 1 failed$`, 'mu'));
    const unknown = await runCli(['import-log', 'import-nosuchjob', '--data-dir', dataDir]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no import job import-nosuchjob/u);
    client.destroy();
    await stopChildServer(child);
  });
});

describe('user import jobs on two instances sharing PostgreSQL', { skip: postgresSkip ?? false }, () => {
  let schema: TestSchema;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    schema = await createTestSchema();
    const config = { databaseUrl: schema.url, databasePoolSize: 4, serverKey: randomBytes(32).toString('base64') };
    [a, b] = await Promise.all([startServer({ config }), startServer({ config })]);
  });
  after(async () => {
    try {
      await a?.close();
    } finally {
      await schema?.drop();
    }
  });

  it('one instance runs a job at a time; when it stops, the other takes over where it left off', async () => {
    const poolId = (await a.client.send(new CreateUserPoolCommand({ PoolName: 'fleet', AutoVerifiedAttributes: ['email'] }))).UserPool?.Id as string;
    const header = (await a.client.send(new GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader as string[];
    const total = 30_000;
    const job = (await a.client.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: 'fleet', CloudWatchLogsRoleArn: ROLE }))).UserImportJob as UserImportJobType;
    assert.equal((await upload(job.PreSignedUrl as string, csvOf(header, Array.from({ length: total }, (_, i) => userRow(`fleet${i}`))))).status, 200);
    // Started through b: b's runner is woken and claims it; a's runner finds it leased.
    await b.client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
    const midway = await waitForJob(a.client, poolId, job.JobId as string, (j) => (j.ImportedUsers ?? 0) > 0 || TERMINAL.has(j.Status ?? ''));
    assert.equal(midway.Status, 'InProgress');
    await b.close(); // hands the job back after its batch in flight
    const handedBack = (await a.client.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }))).UserImportJob;
    assert.equal(handedBack?.Status, 'InProgress');
    assert.ok((handedBack?.ImportedUsers ?? 0) < total, 'a has work left to take over');
    const done = await waitForJob(a.client, poolId, job.JobId as string, (j) => TERMINAL.has(j.Status ?? ''), 120_000);
    assert.equal(done.Status, 'Succeeded', done.CompletionMessage);
    assert.deepEqual([done.ImportedUsers, done.SkippedUsers, done.FailedUsers], [total, 0, 0]);
    const described = await a.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    assert.equal(described.UserPool?.EstimatedNumberOfUsers, total);
  });
});
