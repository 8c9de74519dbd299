import { CreateUserPoolCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { sdkClient } from './support/server.js';

/**
 * What a team gets on day one: `npm pack`, the tarball installed into an empty project without
 * devDependencies, and `npx userpoold` started from there and called with the AWS CLI (or the
 * SDK when the CLI is not installed). It builds and installs, so it takes a minute or two and
 * runs only with USERPOOLD_TEST_PACKAGE=1 (.ci/run sets it).
 */

const ROOT = join(import.meta.dirname, '..');
const ENABLED = process.env.USERPOOLD_TEST_PACKAGE === '1';
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  devDependencies: Record<string, string>;
  exports?: { '.'?: Record<string, string> };
};
const run = promisify(execFile);
const children = new Set<ChildProcess>();
let work: string | undefined;

/** npm's own variables (set when this runs under `npm test`) must not leak into the npm we run. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && !k.startsWith('USERPOOLD_')) env[k] = v;
  return { ...env, ...extra };
}

async function npm(args: string[], cwd: string, timeoutMs: number, extraEnv: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await run('npm', args, { cwd, env: cleanEnv(extraEnv), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    // The message holds stderr; tsc reports on stdout.
    const e = err as { stdout?: string; message: string };
    throw new Error(`npm ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}`);
  }
}

/** The promise, or a rejection saying `what()` after `ms` (its timer never outlives the promise). */
async function within<T>(ms: number, what: () => string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what())), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * better-sqlite3 downloads its prebuilt binary from GitHub and compiles SQLite (minutes) when it
 * cannot, as on a machine without internet access. Unless USERPOOLD_TEST_PACKAGE_COMPILE=1, the
 * install is given this checkout's build of the same version, under the name of the file it
 * would download, where prebuild-install looks for local prebuilds. A version that differs
 * (npm resolved a newer one) finds nothing there and compiles.
 */
async function localPrebuilds(dir: string): Promise<Record<string, string>> {
  const moduleDir = join(ROOT, 'node_modules', 'better-sqlite3');
  if (process.env.USERPOOLD_TEST_PACKAGE_COMPILE === '1' || !existsSync(join(moduleDir, 'build', 'Release', 'better_sqlite3.node'))) return {};
  const { version } = JSON.parse(readFileSync(join(moduleDir, 'package.json'), 'utf8')) as { version: string };
  mkdirSync(dir);
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await run('tar', ['-C', moduleDir, '-czf', join(dir, name), 'build/Release/better_sqlite3.node']);
  return { npm_config_better_sqlite3_local_prebuilds: dir };
}

function hasAwsCli(): boolean {
  return spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
}

after(() => {
  // Each server runs in its own process group (npx and the node it starts).
  for (const child of children) if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the npm package', { skip: ENABLED ? false : 'slow (npm pack, install, native build): set USERPOOLD_TEST_PACKAGE=1 to run it' }, () => {
  it('packs, installs from the tarball without devDependencies or a build, and runs with npx', { timeout: 600_000 }, async () => {
    work = mkdtempSync(join(tmpdir(), 'userpoold-package-'));
    // Packed from a copy, so the build `npm pack` runs (prepare) leaves this tree's dist/ alone.
    const source = join(work, 'source');
    const skipped = new Set(['node_modules', 'dist', '.git', '.scratch', '.userpoold', 'coverage']);
    cpSync(ROOT, source, { recursive: true, filter: (path) => !skipped.has(relative(ROOT, path).split(/[\\/]/)[0] ?? '') });
    symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
    const out = join(work, 'out');
    mkdirSync(out);
    const packed = JSON.parse(await npm(['pack', '--json', '--pack-destination', out], source, 300_000)) as { filename: string; files: { path: string }[] }[];
    const tarball = join(out, packed[0]?.filename ?? '?');
    const files = (packed[0]?.files ?? []).map((f) => f.path);
    for (const wanted of ['package.json', 'README.md', 'bin/userpoold.js', 'bin/package.json', 'dist/cli/main.js', 'dist/app/create-app.js', 'dist/http/console/assets/console.js']) {
      assert.ok(files.includes(wanted), `the tarball lacks ${wanted}`);
    }
    // Type declarations (.d.ts) stay: the package exports an API with its types.
    const unwanted = files.filter((f) => /^(src|test|scripts|bench|node_modules)\//.test(f) || /\.map$|(?<!\.d)\.ts$|\.test\.js$/.test(f));
    assert.deepEqual(unwanted, [], 'sources, tests or source maps in the tarball');

    // A fresh project: the tarball and its dependencies, no devDependencies, nothing compiled
    // from TypeScript (npm runs `prepare` for git and folder installs, not for tarballs).
    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'userpoold-package-test', private: true }));
    await npm(['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', tarball], project, 480_000, await localPrebuilds(join(work, 'prebuilds')));
    const installed = join(project, 'node_modules', PKG.name);
    assert.ok(existsSync(join(installed, 'dist', 'cli', 'main.js')));
    assert.ok(!existsSync(join(installed, 'src')), 'TypeScript sources installed');
    // A devDependency may still be there when a runtime dependency needs it itself (e.g.
    // @types/node, which @node-saml/node-saml's own type packages depend on); one that nothing
    // installed asks for came from our devDependencies.
    const lock = JSON.parse(readFileSync(join(project, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, { dependencies?: Record<string, string> }> };
    const wanted = new Set(Object.entries(lock.packages).flatMap(([path, entry]) => (path.endsWith(`node_modules/${PKG.name}`) ? [] : Object.keys(entry.dependencies ?? {}))));
    for (const dev of ['typescript', 'tsx', ...Object.keys(PKG.devDependencies)]) {
      if (wanted.has(dev)) continue;
      assert.ok(!existsSync(join(project, 'node_modules', dev)), `devDependency ${dev} installed`);
    }

    // The package's exports resolve from the installed copy (docs/embedding.md), types included.
    for (const target of Object.values(PKG.exports?.['.'] ?? {})) assert.ok(files.includes(target.replace(/^\.\//, '')), `the tarball lacks ${target}`);
    const imported = await run(process.execPath, ['--input-type=module', '-e', `console.log(Object.keys(await import('${PKG.name}')).join(','))`], { cwd: project, env: cleanEnv(), timeout: 60_000 });
    assert.ok(imported.stdout.trim().split(',').includes('startUserpoold'), `exports: ${imported.stdout}`);

    const version = await run('npx', ['--no', '--', 'userpoold', '--version'], { cwd: project, env: cleanEnv(), timeout: 60_000 });
    assert.equal(version.stdout, `${PKG.version}\n`);

    const dataDir = join(work, 'data');
    const server = spawn('npx', ['--no', '--', 'userpoold', '--port', '0', '--data-dir', dataDir, '--log-level', 'info', '--argon2-memory-kib', '64', '--argon2-iterations', '1'], {
      cwd: project,
      env: cleanEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    children.add(server);
    let log = '';
    server.stderr?.on('data', (c: Buffer) => (log += c.toString('utf8')));
    const exited = new Promise<void>((resolve) => server.on('exit', () => resolve()));
    // The line .ci/run and test/cli.test.ts read too.
    const url = await within(
      60_000,
      () => `npx userpoold did not log "userpoold listening" within 60 s:\n${log}`,
      new Promise<string>((resolve, reject) => {
        const poll = setInterval(() => {
          const match = /"msg":"userpoold listening","url":"(http:\/\/[^"]+)"/.exec(log);
          if (match) {
            clearInterval(poll);
            resolve(match[1] as string);
          }
        }, 50);
        void exited.then(() => {
          clearInterval(poll);
          reject(new Error(`npx userpoold exited before listening:\n${log}`));
        });
      }),
    );
    assert.equal((await fetch(`${url}/health`)).status, 200);

    if (hasAwsCli()) {
      const env = cleanEnv({ AWS_ACCESS_KEY_ID: 'AKIAPACKAGETEST00000', AWS_SECRET_ACCESS_KEY: 'package-test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' });
      const aws = async (...args: string[]) => (await run('aws', ['cognito-idp', ...args, '--endpoint-url', url, '--output', 'json'], { env, timeout: 60_000 })).stdout;
      const created = JSON.parse(await aws('create-user-pool', '--pool-name', 'from-the-tarball')) as { UserPool: { Id: string; Name: string } };
      assert.match(created.UserPool.Id, /^us-east-1_[0-9A-Za-z]+$/);
      const listed = JSON.parse(await aws('list-user-pools', '--max-results', '10')) as { UserPools: { Id: string; Name: string }[] };
      assert.deepEqual(
        listed.UserPools.map((p) => [p.Id, p.Name]),
        [[created.UserPool.Id, 'from-the-tarball']],
      );
    } else {
      process.stdout.write('# aws CLI not installed: calling the packaged server with the SDK instead\n');
      const client = sdkClient(url);
      try {
        const created = await client.send(new CreateUserPoolCommand({ PoolName: 'from-the-tarball' }));
        const listed = await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
        assert.deepEqual(listed.UserPools?.map((p) => p.Id), [created.UserPool?.Id]);
      } finally {
        client.destroy();
      }
    }

    // SIGTERM to the group, as a terminal's Ctrl-C or a process manager would send it.
    process.kill(-(server.pid as number), 'SIGTERM');
    await within(15_000, () => `no exit 15 s after SIGTERM:\n${log}`, exited);
    children.delete(server);
    assert.match(log, /"msg":"shutting down","signal":"SIGTERM"/);
    assert.doesNotMatch(log, /"level":"error"/);
  });
});
