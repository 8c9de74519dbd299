import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { expectAwsError, startServer } from './support/server.js';

/** `userpoold credentials ...` as a user runs it: a separate process on the TypeScript sources. */

const ENTRY = join(import.meta.dirname, 'support', 'cli-entry.ts');
const folders: string[] = [];
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'userpoold-cred-cli-'));
  folders.push(dir);
  return dir;
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('USERPOOLD_')) env[k] = v;
  return env;
}

function runCli(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`userpoold ${args.join(' ')} took too long`));
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      setImmediate(() => resolve({ code, stdout, stderr }));
    });
    child.stdin.end(stdin);
  });
}

interface Created {
  AccessKey: { UserName: string; Arn: string; AccessKeyId: string; SecretAccessKey: string; Status: string };
}

describe('userpoold credentials', () => {
  it('creates a key that then signs requests, printing its secret once and storing it sealed', async () => {
    const dataDir = tempDir();
    const result = await runCli(['credentials', 'create', '--name', 'ci-bot', '--data-dir', dataDir]);
    assert.equal(result.code, 0, result.stderr);
    const created = JSON.parse(result.stdout) as Created;
    const { AccessKeyId, SecretAccessKey, Arn, Status } = created.AccessKey;
    assert.match(AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(SecretAccessKey.length, 40);
    assert.equal(Arn, 'arn:aws:iam::000000000000:user/ci-bot');
    assert.equal(Status, 'Active');
    for (const file of readdirSync(dataDir)) {
      assert.ok(!readFileSync(join(dataDir, file)).includes(SecretAccessKey), `${file} holds the secret in clear`);
    }

    const listed = await runCli(['credentials', 'list', '--data-dir', dataDir]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${AccessKeyId}\\t${Arn}\\t`));
    assert.ok(!listed.stdout.includes(SecretAccessKey));

    // A stored key alone switches the server from open to enforcing.
    const server = await startServer({ config: { dataDir } });
    server.clock.set(Date.now());
    const bot = new CognitoIdentityProviderClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey }, maxAttempts: 1 });
    try {
      const pool = await bot.send(new CreateUserPoolCommand({ PoolName: 'from-cli' }));
      assert.ok(pool.UserPool?.Id);
      await expectAwsError(() => server.client.send(new ListUserPoolsCommand({ MaxResults: 1 })), 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      const unsigned = await server.raw('ListUserPools', { MaxResults: 1 });
      assert.equal(unsigned.body.__type, 'MissingAuthenticationTokenException');
    } finally {
      bot.destroy();
      await server.close();
    }
  });

  it('stores the policy given with --policy', async () => {
    const dataDir = tempDir();
    const policyFile = join(dataDir, 'policy.yaml');
    writeFileSync(policyFile, 'Statement:\n  - Effect: Allow\n    Action: cognito-idp:CreateUserPool\n    Resource: "*"\n');
    const result = await runCli(['credentials', 'create', '--name', 'creator', `--policy=${policyFile}`, '--data-dir', dataDir]);
    assert.equal(result.code, 0, result.stderr);
    const { AccessKeyId, SecretAccessKey, Arn } = (JSON.parse(result.stdout) as Created).AccessKey;
    const server = await startServer({ config: { dataDir } });
    server.clock.set(Date.now());
    const creator = new CognitoIdentityProviderClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey }, maxAttempts: 1 });
    try {
      const pool = await creator.send(new CreateUserPoolCommand({ PoolName: 'only-this' }));
      const id = pool.UserPool?.Id as string;
      await expectAwsError(
        () => creator.send(new AdminGetUserCommand({ UserPoolId: id, Username: 'x' })),
        'AccessDeniedException',
        `User: ${Arn} is not authorized to perform: cognito-idp:AdminGetUser on resource: arn:aws:cognito-idp:us-east-1:000000000000:userpool/${id}`,
      );
    } finally {
      creator.destroy();
      await server.close();
    }
  });

  it('refuses a bad name or policy with one line and exit code 2', async () => {
    const dataDir = tempDir();
    const noName = await runCli(['credentials', 'create', '--data-dir', dataDir]);
    assert.equal(noName.code, 2);
    assert.match(noName.stderr, /^userpoold: credentials create: --name is required/);
    const policyFile = join(dataDir, 'bad.json');
    writeFileSync(policyFile, JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: {} }] }));
    const badPolicy = await runCli(['credentials', 'create', '--name', 'x', '--policy', policyFile, '--data-dir', dataDir]);
    assert.equal(badPolicy.code, 2);
    assert.match(badPolicy.stderr, /unsupported statement key "Condition"/);
    const unknown = await runCli(['credentials', 'delete']);
    assert.equal(unknown.code, 2);
  });

  it('seals a secret for a credentials file', async () => {
    const dataDir = tempDir();
    const secret = 'file-secret-0123456789abcdefghijklmnopqr';
    const sealed = await runCli(['credentials', 'seal', '--data-dir', dataDir], `${secret}\n`);
    assert.equal(sealed.code, 0, sealed.stderr);
    const secretSealed = sealed.stdout.trim();
    assert.ok(!secretSealed.includes(secret));
    const file = join(dataDir, 'credentials.yaml');
    writeFileSync(
      file,
      `- name: sealed\n  accessKeyId: AKIASEALED000000TEST\n  secretSealed: ${secretSealed}\n  policy: { Statement: [{ Effect: Allow, Action: "cognito-idp:*", Resource: "*" }] }\n`,
    );
    const server = await startServer({ config: { dataDir, credentialsFile: file } });
    server.clock.set(Date.now());
    const c = new CognitoIdentityProviderClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIASEALED000000TEST', secretAccessKey: secret }, maxAttempts: 1 });
    try {
      const pools = await c.send(new ListUserPoolsCommand({ MaxResults: 1 }));
      assert.deepEqual(pools.UserPools, []);
    } finally {
      c.destroy();
      await server.close();
    }
  });

  it('refuses to serve a non-loopback address without credentials', async () => {
    const dataDir = tempDir();
    const result = await runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dataDir, '--log-level', 'silent']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^userpoold: refusing to listen on 0\.0\.0\.0 without developer credentials/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });
});
