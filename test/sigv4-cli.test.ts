import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from './support/server.js';

/**
 * The AWS CLI (botocore's signer) against a server that enforces signatures, including the
 * rule that x-amz-target is a signed header: botocore signs every header but a short list
 * (connection, expect, user-agent, x-amzn-trace-id, ...: SIGNED_HEADERS_BLACKLIST in
 * botocore/auth.py), so its calls pass. Skipped when the CLI is not installed.
 */
const KEY = { accessKeyId: 'AKIACLI0000000000TST', secretAccessKey: 'cli/secret+Key0123456789abcdefghijklmnopq' };
const noCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).error ? 'the AWS CLI is not installed (apt-get install awscli)' : undefined;

describe('the AWS CLI with developer credentials', { skip: noCli ?? false }, () => {
  let server: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'userpoold-cli-sigv4-'));
  before(async () => {
    const policy = { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:*', Resource: '*' }] };
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify([{ name: 'cli', ...KEY, policy }]));
    server = await startServer({ config: { credentialsFile: join(dir, 'credentials.json') } });
    // The CLI signs with the real time; the server's clock must agree within the allowed skew.
    server.clock.set(Math.floor(Date.now() / 1000) * 1000);
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const aws = (secret: string, ...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: secret, AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    delete env.AWS_PROFILE;
    delete env.AWS_SESSION_TOKEN;
    return run('aws', ['cognito-idp', ...args, '--endpoint-url', server.url, '--output', 'json'], env);
  };

  it('signs the operation, so its calls are accepted, and a wrong secret is refused', async () => {
    const created = await aws(KEY.secretAccessKey, 'create-user-pool', '--pool-name', 'cli');
    assert.equal(created.code, 0, created.stderr);
    const id = (JSON.parse(created.stdout) as { UserPool: { Id: string } }).UserPool.Id;
    const listed = await aws(KEY.secretAccessKey, 'list-user-pools', '--max-results', '5');
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual((JSON.parse(listed.stdout) as { UserPools: { Id: string }[] }).UserPools.map((p) => p.Id), [id]);
    const wrong = await aws('not-the-secret', 'list-user-pools', '--max-results', '5');
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /InvalidSignatureException.*The request signature we calculated does not match/);
  });
});

/** Async, because the server under test answers from this same process. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
