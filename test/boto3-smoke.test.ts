import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from './support/server.js';

/**
 * A second client family: boto3 (the AWS SDK for Python, also under the AWS CLI) must work
 * against the server unchanged. Skipped with a message when python3 or boto3 is missing;
 * .ci/run installs both, so it always runs in CI.
 */
const SCRIPT = join(import.meta.dirname, 'smoke', 'boto3_smoke.py');

function boto3Missing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
  if (probe.error) return 'python3 is not installed (apt-get install python3-boto3)';
  if (probe.status !== 0) return 'boto3 is not installed (apt-get install python3-boto3)';
  return undefined;
}

describe('second client family: boto3 and the AWS CLI', () => {
  const missing = boto3Missing();
  let server: TestServer;
  before(async () => {
    if (!missing) server = await startServer();
  });
  after(async () => {
    if (server) await server.close();
  });

  it('creates and describes a pool and gets typed exceptions', { skip: missing ?? false }, async () => {
    const { code, stdout, stderr } = await runAsync('python3', [SCRIPT, server.url]);
    assert.equal(code, 0, `boto3_smoke.py failed:\n${stdout}\n${stderr}`);
    for (const line of ['ok create_user_pool', 'ok describe_user_pool', 'ok ResourceNotFoundException', 'ok InvalidParameterException']) {
      assert.ok(stdout.includes(line), `missing "${line}" in:\n${stdout}`);
    }
  });

  const noCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).error ? 'the AWS CLI is not installed (apt-get install awscli)' : undefined;
  it('the README example works with the AWS CLI', { skip: noCli ?? false }, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    delete env.AWS_PROFILE;
    const created = await runAsync('aws', ['cognito-idp', 'create-user-pool', '--pool-name', 'p', '--endpoint-url', server.url, '--output', 'json'], env);
    assert.equal(created.code, 0, created.stderr);
    const id = (JSON.parse(created.stdout) as { UserPool: { Id: string } }).UserPool.Id;
    assert.match(id, /^us-east-1_/);
    const missing = await runAsync('aws', ['cognito-idp', 'describe-user-pool', '--user-pool-id', 'us-east-1_nope', '--endpoint-url', server.url], env);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /ResourceNotFoundException.*User pool us-east-1_nope does not exist\./);
  });
});

/** Async, because the server under test answers from this same process. */
function runAsync(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
