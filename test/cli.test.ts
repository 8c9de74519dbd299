import {
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig, OPTIONS } from '../src/kernel/config.js';
import { OPERATIONS as IMPLEMENTED } from '../src/features/registry.js';
import { createConfirmedUser } from './support/fixtures.js';
import { sdkClient } from './support/server.js';

/**
 * The CLI as a user meets it: a separate process started like bin/userpoold.js, but on the
 * TypeScript sources (test/support/cli-entry.ts), so no build is needed.
 */

const ENTRY = join(import.meta.dirname, 'support', 'cli-entry.ts');
const CHEAP_ARGON2 = ['--argon2-memory-kib', '64', '--argon2-iterations', '1'];
const children = new Set<ChildProcess>();
const folders: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'userpoold-cli-'));
  folders.push(dir);
  return dir;
}

/** The caller's USERPOOLD_* settings must not change what the CLI sees. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('USERPOOLD_')) env[k] = v;
  return { ...env, ...extra };
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): { child: ChildProcess; done: Promise<Finished>; output: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (c: Buffer) => (output.stdout += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (output.stderr += c.toString('utf8')));
  const done = new Promise<Finished>((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      // Let the pipes drain before reporting.
      setImmediate(() => resolve({ code, signal, ...output }));
    });
  });
  return { child, done, output };
}

async function runCli(args: string[], env?: NodeJS.ProcessEnv): Promise<Finished> {
  const { done } = start(args, env);
  return withTimeout(done, 30_000, `userpoold ${args.join(' ')}`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Waits for the "userpoold listening" log line and returns the URL it names. */
async function listeningUrl(output: { stderr: string }, done: Promise<Finished>): Promise<string> {
  const found = (async () => {
    for (;;) {
      const match = /"msg":"userpoold listening","url":"(http:\/\/[^"]+)"/.exec(output.stderr);
      if (match) return match[1] as string;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const exited = done.then((f) => {
    throw new Error(`userpoold exited early (${f.code}): ${f.stderr}`);
  });
  return withTimeout(Promise.race([found, exited]), 30_000, 'userpoold start');
}

function assertOneLineError(result: Finished, pattern: RegExp): void {
  assert.equal(result.code, 2, `exit code, stderr: ${result.stderr}`);
  assert.equal(result.stdout, '');
  const lines = result.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `one line expected, got: ${result.stderr}`);
  assert.match(lines[0] as string, /^userpoold: /);
  assert.match(lines[0] as string, pattern);
}

after(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('userpoold --help', () => {
  it('documents every option with its flag, environment variable and config key', async () => {
    const result = await runCli(['--help']);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    for (const option of OPTIONS) {
      const env = `USERPOOLD_${option.flag.toUpperCase().replace(/-/g, '_')}`;
      assert.match(result.stdout, new RegExp(`--${option.flag} `), option.flag);
      assert.ok(result.stdout.includes(env), env);
      assert.ok(result.stdout.includes(`config key "${option.key}"`), option.key);
    }
    // Each command's own flags are in `userpoold <command> --help` (test/cli-help.test.ts).
    for (const word of ['--config PATH', 'USERPOOLD_CONFIG', 'messages']) {
      assert.ok(result.stdout.includes(word), word);
    }
  });
});

describe('userpoold refuses bad configuration with one line and exit 2', { concurrency: 2 }, () => {
  const cases: [string, string[], RegExp, Record<string, string>?][] = [
    ['an unknown flag', ['--prot', '9300'], /unknown flag --prot/],
    ['a port out of range', ['--port', '70000'], /--port: expected a port from 0 to 65535/],
    ['a port that is not a number', ['--port=abc'], /--port: expected a whole number/],
    ['a flag without its value', ['--data-dir'], /--data-dir needs a value/],
    ['a stray argument', ['serve', 'now'], /unexpected argument "now"/],
    ['an unknown command', ['launch'], /unknown command "launch"/],
    ['a bad log level', ['--log-level', 'loud'], /--log-level: expected one of debug, info, warn, error, silent/],
    ['a bad region from the environment', [], /USERPOOLD_REGION: expected a region/, { USERPOOLD_REGION: 'mars' }],
    ['a mistyped environment variable', [], /unknown environment variable USERPOOLD_PROT/, { USERPOOLD_PROT: '1' }],
    ['a missing config file', ['--config', '/nonexistent/userpoold.json'], /cannot read config file \/nonexistent\/userpoold.json: ENOENT/],
  ];
  for (const [what, args, pattern, env] of cases) {
    it(what, async () => {
      assertOneLineError(await runCli(args, cleanEnv(env)), pattern);
    });
  }

  it('a config file with an unknown key or a bad value', async () => {
    const dir = tempDir();
    const unknownKey = join(dir, 'unknown.json');
    writeFileSync(unknownKey, JSON.stringify({ prot: 1 }));
    assertOneLineError(await runCli(['--config', unknownKey]), /config file: unknown key "prot"/);
    const badValue = join(dir, 'bad.json');
    writeFileSync(badValue, JSON.stringify({ port: '9229x' }));
    assertOneLineError(await runCli(['--config', badValue]), /config file key "port": expected a whole number/);
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{port: 1}');
    assertOneLineError(await runCli(['--config', notJson]), /is not valid JSON/);
  });

  it('a port already in use is one line too (exit 1: the configuration was fine)', async () => {
    const first = start(['--port', '0', '--data-dir', tempDir(), ...CHEAP_ARGON2]);
    const url = await listeningUrl(first.output, first.done);
    const port = new URL(url).port;
    const second = await runCli(['--port', port, '--data-dir', tempDir()]);
    assert.equal(second.code, 1, second.stderr);
    const lines = second.stderr.split('\n').filter((l) => l.startsWith('userpoold: '));
    assert.equal(lines.length, 1, second.stderr);
    assert.match(lines[0] as string, /EADDRINUSE/);
    first.child.kill('SIGTERM');
    assert.equal((await withTimeout(first.done, 15_000, 'shutdown')).code, 0);
  });
});

describe('userpoold serve', () => {
  it('takes settings from a config file, the environment and flags, serves, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const configPath = join(dataDir, 'config.json');
    // The file says eu-west-1, the environment overrides it, the flag overrides the environment.
    writeFileSync(configPath, JSON.stringify({ region: 'eu-west-1', accountId: '123456789012', logLevel: 'info' }));
    const env = cleanEnv({ USERPOOLD_CONFIG: configPath, USERPOOLD_REGION: 'eu-central-1', USERPOOLD_DATA_DIR: dataDir });
    const server = start(['--port', '0', '--region', 'ap-south-1', ...CHEAP_ARGON2], env);
    const url = await listeningUrl(server.output, server.done);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);

    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });

    const client = sdkClient(url);
    try {
      const created = await client.send(new CreateUserPoolCommand({ PoolName: 'cli' }));
      const id = created.UserPool?.Id ?? '';
      assert.match(id, /^ap-south-1_[0-9A-Za-z]+$/);
      assert.equal(created.UserPool?.Arn, `arn:aws:cognito-idp:ap-south-1:123456789012:userpool/${id}`);
      const described = await client.send(new DescribeUserPoolCommand({ UserPoolId: id }));
      assert.equal(described.UserPool?.Name, 'cli');
    } finally {
      client.destroy();
    }

    server.child.kill('SIGTERM');
    const finished = await withTimeout(server.done, 15_000, 'shutdown after SIGTERM');
    assert.equal(finished.code, 0, finished.stderr);
    assert.match(finished.stderr, /"msg":"shutting down","signal":"SIGTERM"/);
    assert.doesNotMatch(finished.stderr, /"level":"error"/);
  });
});

describe('userpoold messages', () => {
  it('prints the queued messages of a data folder, codes included', async (t) => {
    if (!('AdminCreateUser' in IMPLEMENTED) || !('AdminResetUserPassword' in IMPLEMENTED)) {
      t.skip('needs AdminCreateUser and AdminResetUserPassword');
      return;
    }
    const dataDir = tempDir();
    const server = start(['--port', '0', '--data-dir', dataDir, '--log-level', 'info', ...CHEAP_ARGON2]);
    const url = await listeningUrl(server.output, server.done);
    const client = sdkClient(url);
    let poolId = '';
    let aliceSub = '';
    try {
      const pool = await client.send(new CreateUserPoolCommand({ PoolName: 'msgs', AutoVerifiedAttributes: ['email'] }));
      poolId = pool.UserPool?.Id ?? '';
      // A reset needs a confirmed user (FORCE_CHANGE_PASSWORD cannot be reset).
      await createConfirmedUser(client, poolId, 'alice', { password: 'Correct-Horse-1' });
      await client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice' }));
      const got = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }));
      aliceSub = got.UserAttributes?.find((a) => a.Name === 'sub')?.Value ?? '';
    } finally {
      client.destroy();
      server.child.kill('SIGTERM');
      await withTimeout(server.done, 15_000, 'shutdown');
    }

    const HEADER = '# time\tpool\tusername\ttrigger\tchannel:destination\tstate\tcode';
    const listed = await runCli(['messages', '--data-dir', dataDir, '--pool', poolId, '--user', 'alice']);
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.split('\n').filter((l) => l !== '');
    assert.equal(lines[0], HEADER);
    assert.equal(lines.length, 2, listed.stdout);
    const fields = (lines[1] as string).split('\t');
    assert.equal(fields[1], poolId);
    assert.equal(fields[2], 'alice');
    assert.equal(fields[4], 'EMAIL:alice@example.com');
    assert.match(fields[6] ?? '', /^\d{6}$/);

    // The user is found as the API finds one: by sub too, in any pool when none is named.
    const bySub = await runCli(['messages', `--data-dir=${dataDir}`, '--user', aliceSub]);
    assert.equal(bySub.stdout, listed.stdout);

    const otherUser = await runCli(['messages', `--data-dir=${dataDir}`, '--user', 'bob']);
    assert.equal(otherUser.code, 0, otherUser.stderr);
    assert.equal(otherUser.stdout, HEADER + '\n');
  });

  it('refuses a folder without a database, and a bad limit', async () => {
    const empty = tempDir();
    assertOneLineError(await runCli(['messages', '--data-dir', empty]), /messages: no userpoold database in /);
    assertOneLineError(await runCli(['messages', '--data-dir', empty, '--limit', '0']), /--limit expects a positive whole number/);
  });
});

describe('docs/configuration.md', () => {
  it('lists every option (add a row when you add one)', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'configuration.md'), 'utf8');
    for (const option of OPTIONS) {
      const env = `USERPOOLD_${option.flag.toUpperCase().replace(/-/g, '_')}`;
      assert.ok(doc.includes(`| \`--${option.flag}\` | \`${env}\` | \`${option.key}\` |`), `docs/configuration.md lacks --${option.flag}`);
    }
  });
});

describe('loadConfig', () => {
  it('lets a flag win over the environment, and the environment over the file', () => {
    const dir = tempDir();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ port: 1111, host: '0.0.0.0', devMessages: true }));
    const config = loadConfig(['--config', file, '--port', '3333'], { USERPOOLD_PORT: '2222', USERPOOLD_HOST: '::1' });
    assert.equal(config.port, 3333);
    assert.equal(config.host, '::1');
    assert.equal(config.devMessages, true);
    assert.equal(config.region, 'us-east-1');
    const bare = loadConfig(['--dev-messages', '--revoke-tokens-on-reset', 'false'], {});
    assert.equal(bare.devMessages, true);
    assert.equal(bare.revokeTokensOnPasswordReset, false);
  });

  it('rejects values of the wrong type in the file', () => {
    const dir = tempDir();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ devMessages: 'yes' }));
    assert.throws(() => loadConfig(['--config', file], {}), (err: unknown) => err instanceof ConfigError && /expected true or false/.test(err.message));
  });
});

describe('first contact: a start-up line, and data that cannot be used is refused at start', () => {
  it('says in one line where it answers, where the data is, the mode, and where the console and messages are', async () => {
    const dir = tempDir();
    const { child, done, output } = start(['--port', '0', '--data-dir', dir, ...CHEAP_ARGON2]);
    const url = await listeningUrl(output, done);
    const line = output.stderr.split('\n').find((l) => l.includes('"msg":"userpoold listening"')) ?? assert.fail('no start-up line');
    const fields = JSON.parse(line) as Record<string, string>;
    assert.equal(fields.url, url);
    assert.equal(fields.data, `SQLite in ${dir}`);
    assert.match(fields.mode ?? '', /^open: no developer credentials/);
    assert.equal(fields.console, `${url}/_console`);
    assert.equal(fields.messages, `userpoold messages --data-dir ${dir}`);
    child.kill('SIGTERM');
    await done;
  });

  it('refuses a file where the data folder should be, or on its path, and a file that is not a database, naming the path and the reason', async () => {
    const dir = tempDir();
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'not a folder');
    const notADatabase = join(dir, 'data');
    mkdirSync(notADatabase);
    writeFileSync(join(notADatabase, 'userpoold.sqlite'), 'garbage, not SQLite');
    const cases: [string, string][] = [
      [file, `userpoold: cannot use the data folder ${file}: a file is in the way where a folder is expected (give --data-dir a folder)\n`],
      [join(file, 'sub'), `userpoold: cannot use the data folder ${join(file, 'sub')}: a file is in the way where a folder is expected (give --data-dir a folder)\n`],
      [notADatabase, `userpoold: cannot use the database ${join(notADatabase, 'userpoold.sqlite')}: the file is not a SQLite database (is it the right file?)\n`],
    ];
    for (const [dataDir, expected] of cases) {
      const finished = await runCli(['--port', '0', '--data-dir', dataDir]);
      assert.equal(finished.code, 2, finished.stderr);
      assert.equal(finished.stderr, expected);
    }
  });
});
