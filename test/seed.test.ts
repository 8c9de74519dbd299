import {
  AddUserPoolClientSecretCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ListUserPoolClientSecretsCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityProviderClient as Client } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { createApp, type App } from '../src/app/create-app.js';
import { seededSub } from '../src/app/seed/stable-json.js';
import { SeedError } from '../src/app/seed/index.js';
import { exportPoolSeed } from '../src/app/seed/export.js';
import { seedCommand } from '../src/cli/seed.js';
import { ManualClock } from '../src/kernel/clock.js';
import { defaultConfig, loadConfig, type Config } from '../src/kernel/config.js';
import { createLogger } from '../src/kernel/logger.js';
import { secretHash } from '../src/domain/clients/secret-hash.js';
import { openPayload } from '../src/services/delivery/message-view.js';
import { expectAwsError, sdkClient } from './support/server.js';
import { createTestSchema, postgresSkip } from './support/postgres-schema.js';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';

const EXAMPLE = join(import.meta.dirname, '..', 'examples', 'seed.yaml');
const POOL = 'us-east-1_example1';
const WEB = '1example0web0client0000000';
const BACKEND = '2example0backend0client000';
const BACKEND_SECRET = 'example0backend0secret0do0not0use0in0production0000';
const KEY = { accessKeyId: 'AKIAEXAMPLEADMIN0001', secretAccessKey: 'example-admin-secret-do-not-use-in-production' };

const folders: string[] = [];
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'userpoold-seed-'));
  folders.push(dir);
  return dir;
}

interface Started {
  app: App;
  client: CognitoIdentityProviderClient;
  close(): Promise<void>;
}

// Near the real time: with the seeded credential, SigV4 refuses requests dated far from the server's clock.
const clock = new ManualClock(Date.now());

function testConfig(dataDir: string, seed: string | undefined): Config {
  return { ...defaultConfig(), port: 0, dataDir, seed, logLevel: 'silent', argon2MemoryKib: 64, argon2Iterations: 1 };
}

/** A server on `dataDir` started with `seed`, and an SDK client signing with the seeded key. */
async function start(dataDir: string, seed: string | undefined = EXAMPLE): Promise<Started> {
  const app = await createApp(testConfig(dataDir, seed), { clock, logger: createLogger('error') });
  const port = await app.listen();
  const client = new Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
  return {
    app,
    client,
    async close() {
      client.destroy();
      await app.close();
    },
  };
}

async function lastCode(app: App, username: string): Promise<string> {
  const rows = await app.deps.store.listMessages({ poolId: POOL, username, limit: 10 });
  const code = rows.length === 0 ? undefined : openPayload(rows[rows.length - 1]!, app.deps.secrets).code;
  assert.ok(code, `no code queued for ${username}`);
  return code;
}

const passwordSignIn = (client: CognitoIdentityProviderClient, username: string, password: string) =>
  client.send(new InitiateAuthCommand({ ClientId: WEB, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));

function claims(jwt: string | undefined): Record<string, unknown> {
  assert.ok(jwt);
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function startFails(dataDir: string, seed: string): Promise<SeedError> {
  let caught: unknown;
  try {
    const app = await createApp(testConfig(dataDir, seed), { clock, logger: createLogger('silent') });
    await app.close();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof SeedError, `expected a SeedError, got ${String(caught)}`);
  return caught;
}

async function exportSeed(dataDir: string, ...flags: string[]): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await seedCommand(['export', '--pool', POOL, '--data-dir', dataDir, ...flags], {}, out);
  return Buffer.concat(chunks).toString('utf8');
}

describe('--seed', () => {
  const dataDir = tempDir();

  it('starts with the pools, clients, users and credentials of the file, under their fixed ids', async () => {
    const server = await start(dataDir);
    try {
      const { client, app } = server;
      const pool = (await client.send(new DescribeUserPoolCommand({ UserPoolId: POOL }))).UserPool;
      assert.equal(pool?.Name, 'example');
      assert.equal(pool?.Policies?.PasswordPolicy?.MinimumLength, 10);
      assert.equal(pool?.Policies?.PasswordPolicy?.RequireSymbols, false);
      assert.ok(pool?.SchemaAttributes?.some((a) => a.Name === 'custom:tenant'));
      const backend = (await client.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: BACKEND }))).UserPoolClient;
      assert.equal(backend?.ClientSecret, BACKEND_SECRET);
      const web = (await client.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: WEB }))).UserPoolClient;
      assert.equal(web?.ClientSecret, undefined);

      // The seeded credential is the only one: an unknown key is refused.
      const stranger = sdkClient(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
      await expectAwsError(() => stranger.send(new DescribeUserPoolCommand({ UserPoolId: POOL })), 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      stranger.destroy();

      // The admin signs in with the public client (password and SRP verifier both stored).
      const signedIn = await passwordSignIn(client, 'ADMIN', 'Admin-password-1');
      const idClaims = claims(signedIn.AuthenticationResult?.IdToken);
      assert.equal(idClaims.sub, seededSub(POOL, 'admin'));
      assert.equal(idClaims['custom:tenant'], 'acme');
      // ... and through the confidential client, with its seeded secret.
      const adminAuth = await client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: POOL,
          ClientId: BACKEND,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'admin', PASSWORD: 'Admin-password-1', SECRET_HASH: secretHash(BACKEND_SECRET, 'admin', BACKEND) },
        }),
      );
      assert.ok(adminAuth.AuthenticationResult?.AccessToken);

      // The invited user signs in with the temporary password and must choose a new one.
      const invited = await passwordSignIn(client, 'invited', 'Temporary-pass-1');
      assert.equal(invited.ChallengeName, 'NEW_PASSWORD_REQUIRED');

      // The RESET_REQUIRED user is sent to the reset flow, which the seed left for the app to run.
      await expectAwsError(() => passwordSignIn(client, 'reset-me', 'anything-at-all-1'), 'PasswordResetRequiredException', 'Password reset required for the user');
      assert.equal((await app.deps.store.listMessages({ poolId: POOL, limit: 10 })).length, 0, 'a seed queues no messages');
      const forgot = await client.send(new ForgotPasswordCommand({ ClientId: WEB, Username: 'reset-me' }));
      assert.equal(forgot.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
      const code = await lastCode(app, 'reset-me');
      await client.send(new ConfirmForgotPasswordCommand({ ClientId: WEB, Username: 'reset-me', ConfirmationCode: code, Password: 'Chosen-password-2' }));
      const after = await passwordSignIn(client, 'reset-me', 'Chosen-password-2');
      assert.ok(after.AuthenticationResult?.IdToken);
    } finally {
      await server.close();
    }
  });

  it('changes nothing when started again with the same file, not even what the app changed since', async () => {
    const before = await start(dataDir, undefined);
    const pool = (await before.client.send(new DescribeUserPoolCommand({ UserPoolId: POOL }))).UserPool;
    const web = (await before.client.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: WEB }))).UserPoolClient;
    const admin = await before.client.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: 'admin' }));
    await before.close();

    clock.advance(30_000);
    const again = await start(dataDir);
    try {
      const { client } = again;
      const poolAgain = (await client.send(new DescribeUserPoolCommand({ UserPoolId: POOL }))).UserPool;
      assert.deepEqual(poolAgain, pool);
      assert.deepEqual((await client.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: WEB }))).UserPoolClient, web);
      const adminAgain = await client.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: 'admin' }));
      assert.deepEqual(adminAgain.UserLastModifiedDate, admin.UserLastModifiedDate);
      // The user who reset their password keeps it: the seed does not put them back in RESET_REQUIRED.
      const resetMe = await client.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: 'reset-me' }));
      assert.equal(resetMe.UserStatus, 'CONFIRMED');
      assert.ok((await passwordSignIn(client, 'reset-me', 'Chosen-password-2')).AuthenticationResult);
    } finally {
      await again.close();
    }
  });

  it('keeps a secret rotation begun through the API when the file names one of the secrets', async () => {
    const dir = tempDir();
    const first = await start(dir);
    let added: string;
    try {
      const out = await first.client.send(new AddUserPoolClientSecretCommand({ UserPoolId: POOL, ClientId: BACKEND }));
      added = out.ClientSecretDescriptor?.ClientSecretValue ?? assert.fail('no secret');
    } finally {
      await first.close();
    }
    clock.advance(30_000);
    const again = await start(dir);
    try {
      const listed = await again.client.send(new ListUserPoolClientSecretsCommand({ UserPoolId: POOL, ClientId: BACKEND }));
      assert.equal(listed.ClientSecrets?.length, 2);
      for (const secret of [BACKEND_SECRET, added]) {
        const auth = await again.client.send(
          new AdminInitiateAuthCommand({
            UserPoolId: POOL,
            ClientId: BACKEND,
            AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'admin', PASSWORD: 'Admin-password-1', SECRET_HASH: secretHash(secret, 'admin', BACKEND) },
          }),
        );
        assert.ok(auth.AuthenticationResult?.AccessToken);
      }
    } finally {
      await again.close();
    }
  });

  it('updates a pool or client setting that changed in the file', async () => {
    const edited = join(tempDir(), 'seed.yaml');
    writeFileSync(edited, readFileSync(EXAMPLE, 'utf8').replace('MinimumLength: 10', 'MinimumLength: 12').replace('name: web', 'name: web-app'));
    clock.advance(30_000);
    const server = await start(dataDir, edited);
    try {
      const pool = (await server.client.send(new DescribeUserPoolCommand({ UserPoolId: POOL }))).UserPool;
      assert.equal(pool?.Policies?.PasswordPolicy?.MinimumLength, 12);
      assert.equal(pool?.LastModifiedDate?.getTime(), clock.nowMs());
      const web = (await server.client.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: WEB }))).UserPoolClient;
      assert.equal(web?.ClientName, 'web-app');
      const backend = (await server.client.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: BACKEND }))).UserPoolClient;
      assert.notEqual(backend?.LastModifiedDate?.getTime(), clock.nowMs(), 'an unchanged client is left alone');
    } finally {
      await server.close();
    }
  });

  it('exports a pool as a seed that applies back to the same state (seed export)', async () => {
    const text = await exportSeed(dataDir);
    const seed = parseYaml(text) as { pools: [{ id: string; clients: Record<string, unknown>[]; users: Record<string, unknown>[]; settings: Record<string, unknown> }] };
    const [pool] = seed.pools;
    assert.equal(pool.id, POOL);
    assert.match(text, /withoutPassword: true/);
    assert.doesNotMatch(text, /Admin-password-1|Temporary-pass-1|argon2/);
    // Without --with-secrets the confidential client keeps its secret out of the file.
    const backend = pool.clients.find((c) => c.id === BACKEND);
    assert.equal(backend?.generateSecret, true);
    assert.equal(backend?.secret, undefined);
    assert.doesNotMatch(text, new RegExp(BACKEND_SECRET));
    const byName = Object.fromEntries(pool.users.map((u) => [u.username, u]));
    assert.deepEqual(byName.admin, {
      username: 'admin',
      sub: seededSub(POOL, 'admin'),
      status: 'CONFIRMED',
      withoutPassword: true,
      attributes: { email: 'admin@example.com', email_verified: 'true', 'custom:tenant': 'acme' },
    });
    assert.equal(byName.invited?.status, 'FORCE_CHANGE_PASSWORD');

    // Applied to the same store it changes nothing; to an empty one it makes the same pool.
    const exportFile = join(tempDir(), 'exported.yaml');
    writeFileSync(exportFile, await exportSeed(dataDir, '--with-secrets'));
    clock.advance(30_000);
    const same = await start(dataDir, exportFile);
    const poolBefore = (await same.client.send(new DescribeUserPoolCommand({ UserPoolId: POOL }))).UserPool;
    await same.close();
    assert.notEqual(poolBefore?.LastModifiedDate?.getTime(), clock.nowMs());

    const fresh = tempDir();
    const copy = await start(fresh, exportFile);
    try {
      const { client } = copy;
      const poolCopy = (await client.send(new DescribeUserPoolCommand({ UserPoolId: POOL }))).UserPool;
      assert.deepEqual(poolCopy?.SchemaAttributes, poolBefore?.SchemaAttributes);
      assert.deepEqual(poolCopy?.Policies, poolBefore?.Policies);
      const backendCopy = (await client.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: BACKEND }))).UserPoolClient;
      assert.equal(backendCopy?.ClientSecret, BACKEND_SECRET);
      const admin = await client.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: 'admin' }));
      assert.equal(admin.UserStatus, 'CONFIRMED');
      // No password came with the export.
      await expectAwsError(() => passwordSignIn(client, 'admin', 'Admin-password-1'), 'NotAuthorizedException', 'Incorrect username or password.');
    } finally {
      await copy.close();
    }
    assert.equal(await exportSeed(fresh, '--with-secrets'), readFileSync(exportFile, 'utf8'));
  });

  it('refuses a bad file naming each problem by file, line and entry, and applies nothing', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        'pools:', // 1
        '  - id: us-east-1_bad1', // 2
        '    name: bad', // 3
        '    settings:', // 4
        '      Policies:', // 5
        '        PasswordPolicy:', // 6
        '          MinimumLength: 8', // 7
        '      AutoVerifiedAttribute: [email]', // 8
        '    users:', // 9
        '      - username: ok', // 10
        '        password: Fine-password-1', // 11
        '      - username: weak', // 12
        '        password: short', // 13
        '      - username: strange', // 14
        '        status: ARCHIVED', // 15
        '',
      ].join('\n'),
    );
    const err = await startFails(dir, file);
    const lines = err.message.split('\n');
    assert.equal(lines[0], `seed ${file}: 3 problems, nothing applied:`);
    assert.equal(lines[1], `  ${file}:8:7: pools[0].settings.AutoVerifiedAttribute: AutoVerifiedAttribute is not a member of CreateUserPool's input`);
    assert.equal(lines[2], `  ${file}:13:9: pools[0].users[1].password: InvalidPasswordException: Password did not conform with policy: Password not long enough`);
    assert.equal(lines[3], `  ${file}:15:9: pools[0].users[2].status: expected one of CONFIRMED, UNCONFIRMED, RESET_REQUIRED, FORCE_CHANGE_PASSWORD`);

    // Nothing of the file was applied: the valid pool and user are not there.
    const server = await start(dir, undefined);
    try {
      await expectAwsError(() => server.client.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_bad1' })), 'ResourceNotFoundException', 'User pool us-east-1_bad1 does not exist.');
    } finally {
      await server.close();
    }
  });

  it('names the line of YAML that does not parse, and refuses groups until they are built', async () => {
    const dir = tempDir();
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'pools:\n  - id: us-east-1_x\n    name: [unclosed\n');
    assert.match((await startFails(dir, broken)).message, new RegExp(`^seed ${broken}: not valid YAML or JSON, nothing applied:\\n  ${broken}:\\d+:\\d+: `));
    const groups = join(dir, 'groups.json');
    writeFileSync(groups, JSON.stringify({ pools: [{ id: 'us-east-1_g1', name: 'g', groups: [{ name: 'admins' }] }] }, null, 2));
    const err = await startFails(dir, groups);
    assert.match(err.message, new RegExp(`${groups}:6:7: pools\\[0\\]\\.groups: groups are not built in userpoold yet`));
  });

  it('applies nothing when an entry fails only against the store (a client id taken by another pool)', async () => {
    const dir = tempDir();
    const server = await start(dir, undefined);
    let takenId: string;
    let otherPool: string;
    try {
      const other = await server.client.send(new CreateUserPoolCommand({ PoolName: 'other' }));
      otherPool = other.UserPool!.Id!;
      const created = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: other.UserPool!.Id!, ClientName: 'c' }));
      takenId = created.UserPoolClient!.ClientId!;
    } finally {
      await server.close();
    }
    const file = join(dir, 'seed.yaml');
    writeFileSync(file, `pools:\n  - id: us-east-1_new1\n    name: new\n    clients:\n      - id: ${takenId}\n        name: mine\n`);
    const err = await startFails(dir, file);
    assert.equal(err.message, `seed ${file}: 1 problem, nothing applied:\n  ${file}:5:9: pools[0].clients[0]: InvalidParameterException: client ${takenId} already exists in pool ${otherPool}`);
    const again = await start(dir, undefined);
    try {
      await expectAwsError(() => again.client.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_new1' })), 'ResourceNotFoundException', 'User pool us-east-1_new1 does not exist.');
    } finally {
      await again.close();
    }
  });

  it('stops `userpoold --seed` before it listens, exit status 2, the problems on stderr', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'pools:\n  - id: eu-west-1_wrong\n    name: x\n');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('USERPOOLD_')));
    const entry = join(import.meta.dirname, 'support', 'cli-entry.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', entry, '--seed', file, '--data-dir', dir, '--port', '0'], { env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 2, run.stderr);
    assert.equal(
      run.stderr,
      `userpoold: seed ${file}: 1 problem, nothing applied:\n  ${file}:2:5: pools[0].id: pool id eu-west-1_wrong must begin with the server's region: us-east-1_ (set --region to serve another one)\n`,
    );
  });

  it('seeds pools whose users sign in with their email, and exports them under that email', async () => {
    const seed = {
      pools: [
        {
          id: 'us-east-1_emails1',
          name: 'emails',
          settings: { UsernameAttributes: ['email'] },
          users: [
            { username: 'ann@example.com', password: 'Ann-password-1', attributes: { email_verified: true } },
            { username: 'bob@example.com', status: 'UNCONFIRMED', password: 'Bob-password-1', enabled: false },
          ],
        },
      ],
    };
    const config = testConfig(':memory:', undefined);
    const app = await createApp(config, { clock, logger: createLogger('error'), seed });
    try {
      const ann = await app.deps.store.getUserBySub('us-east-1_emails1', seededSub('us-east-1_emails1', 'ann@example.com'));
      assert.equal(ann?.username, ann?.sub, 'the stored username is the sub, as with AdminCreateUser');
      assert.equal(ann?.attributes.email, 'ann@example.com');
      const { text } = await exportPoolSeed(app.deps.store, 'us-east-1_emails1', { withSecrets: false });
      const exported = parseYaml(text) as { pools: [{ users: Record<string, unknown>[] }] };
      assert.deepEqual(
        exported.pools[0].users.map((u) => [u.username, u.status, u.enabled ?? true]),
        [
          ['ann@example.com', 'CONFIRMED', true],
          ['bob@example.com', 'UNCONFIRMED', false],
        ].sort((a, b) => String(seededSub('us-east-1_emails1', a[0] as string)).localeCompare(seededSub('us-east-1_emails1', b[0] as string))),
      );
    } finally {
      await app.close();
    }
  });

  it('checks a file without starting (seed check)', async () => {
    const out = new PassThrough();
    await seedCommand(['check', EXAMPLE], {}, out);
    assert.equal(String(out.read()), `seed ${EXAMPLE}: 1 pools, 2 app clients, 3 users, 1 credentials; no problems\n`);
    await assert.rejects(seedCommand(['check', EXAMPLE, '--region', 'eu-west-1'], {}), /must begin with the server's region: eu-west-1_/);
  });

  it('takes --seed as a flag, USERPOOLD_SEED or a config key', () => {
    assert.equal(loadConfig(['--seed', 'a.yaml'], {}).seed, 'a.yaml');
    assert.equal(loadConfig([], { USERPOOLD_SEED: 'b.yaml' }).seed, 'b.yaml');
    assert.equal(loadConfig([], {}).seed, undefined);
  });
});

describe('--seed on PostgreSQL', { skip: postgresSkip ?? false }, () => {
  it('lets several instances start at once with the same seed: each applies it, the pool exists once', async () => {
    const schema = await createTestSchema();
    const config = { ...testConfig(tempDir(), EXAMPLE), databaseUrl: schema.url, databasePoolSize: 2, serverKey: randomBytes(32).toString('base64') };
    const apps = await Promise.all([1, 2, 3].map(() => createApp(config, { clock, logger: createLogger('error') })));
    try {
      const users = await apps[0]!.deps.store.listUsers(POOL, { limit: 10 });
      assert.deepEqual(users.map((u) => u.username).sort(), ['admin', 'invited', 'reset-me']);
      assert.equal((await apps[1]!.deps.store.listClients(POOL, { limit: 10 })).length, 2);
      assert.equal((await apps[2]!.deps.store.listCredentials({ limit: 10 })).length, 1);
    } finally {
      for (const app of apps) await app.close();
      await schema.drop();
    }
  });
});
