import {
  AddUserPoolClientSecretCommand,
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetDeviceCommand,
  AdminLinkProviderForUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  CreateGroupCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateResourceServerCommand,
  CreateUserImportJobCommand,
  CreateUserPoolDomainCommand,
  CreateUserPoolReplicaCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  GetLogDeliveryConfigurationCommand,
  DescribeRiskConfigurationCommand,
  AdminListUserAuthEventsCommand,
  GetProvisionedLimitCommand,
  GetUICustomizationCommand,
  InitiateAuthCommand,
  ListUserPoolReplicasCommand,
  ListUserPoolsCommand,
  SetLogDeliveryConfigurationCommand,
  SetRiskConfigurationCommand,
  SetUICustomizationCommand,
  SetUserPoolMfaConfigCommand,
  UpdateProvisionedLimitCommand,
  type LogConfigurationType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { exportCommand } from '../src/cli/export.js';
import { importCommand } from '../src/cli/import.js';
import { secretHash } from '../src/domain/clients/secret-hash.js';
import { TABLES, TransferError } from '../src/storage/transfer.js';

const LOG_CONFIGURATION: LogConfigurationType = { EventSource: 'userNotification', LogLevel: 'ERROR', CloudWatchLogsConfiguration: { LogGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:moving' } };
import { latestCode } from './support/outbox.js';
import { adminQuery, createTestSchema, postgresSkip, type TestSchema } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';
import { srpAnswer, srpRespond, srpStart, srpTimestamp } from './support/srp-client.js';

/**
 * A deployment grows from the embedded SQLite file to PostgreSQL and back: export, import into
 * an empty database, start a server there with the same key, and everything still works:
 * passwords (plain and SRP), client secrets, signing keys, refresh tokens, pending codes and
 * developer credentials.
 */

const PASSWORD = 'Correct-Horse-1';
const NEW_PASSWORD = 'Battery-Staple-2';
const DEVICE_KEY = 'us-east-1_0b5e4a4e-8e3c-4f0a-9d55-7c1e2f3a4b5c';
const ENTRY = fileURLToPath(new URL('./support/cli-entry.ts', import.meta.url));
// What sdkClient() signs with; stored as a developer credential, it makes every server verify SigV4.
const ACCESS_KEY_ID = 'AKIDEXAMPLE';
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
// Test servers run on a pinned clock; SDK requests are signed with the real one.
const SIGV4_ANY_TIME = { sigv4ClockSkewSeconds: 10 * 365 * 86_400 };

const folders: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'userpoold-transfer-'));
  folders.push(dir);
  return dir;
};

async function exportTo(file: string, args: string[]): Promise<void> {
  const out = createWriteStream(file);
  await exportCommand(args, {}, out);
  out.end();
  await finished(out);
}

const importFrom = (file: string, args: string[]) => importCommand(args, {}, createReadStream(file));

/** The row lines of a dump, which must match between hops; the header records when and where. */
const rowLines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').slice(1);

interface Fixture {
  poolId: string;
  publicClient: string;
  secretClient: string;
  clientSecret: string;
  secondSecret: string;
  jwks: unknown;
  refreshToken: string;
  bobCode: string;
}

describe('export and import between SQLite and PostgreSQL', { skip: postgresSkip ?? false }, () => {
  const serverKey = randomBytes(32).toString('base64');
  const keyArgs = ['--server-key', serverKey];
  let source: TestServer;
  let sourceDir: string;
  let fixture: Fixture;
  const schemas: TestSchema[] = [];

  const schema = async () => {
    const s = await createTestSchema();
    schemas.push(s);
    return s;
  };

  before(async () => {
    sourceDir = tempDir();
    source = await startServer({ config: { dataDir: sourceDir, serverKey, ...SIGV4_ANY_TIME } });
    fixture = await populate(source);
    await source.close();
  });

  after(async () => {
    for (const s of schemas) await s.drop();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  async function populate(server: TestServer): Promise<Fixture> {
    // Threat protection on (AUDIT, Plus plan): the sign-ins below leave auth events that must move.
    const pool = await server.client.send(new CreateUserPoolCommand({ PoolName: 'moving', UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } }));
    const poolId = pool.UserPool?.Id as string;
    const flows = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
    const pub = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: [...flows] }));
    const conf = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'backend', GenerateSecret: true, ExplicitAuthFlows: [...flows] }));
    for (const name of ['alice', 'bob', 'carol']) {
      await server.client.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: name,
          MessageAction: 'SUPPRESS',
          TemporaryPassword: 'Temp-Pass-1',
          UserAttributes: [
            { Name: 'email', Value: `${name}@example.com` },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      await server.client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: name, Password: PASSWORD, Permanent: true }));
    }
    // Alice is in a group with a role: her tokens must carry it after the move.
    await server.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins', RoleArn: 'arn:aws:iam::123456789012:role/Admin', Precedence: 1 }));
    await server.client.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'alice', GroupName: 'admins' }));
    const publicClient = pub.UserPoolClient?.ClientId as string;
    const signedIn = await server.client.send(
      new InitiateAuthCommand({ ClientId: publicClient, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } }),
    );
    // Alice starts adding an authenticator: a user_mfa row with a sealed secret, no factor turned on.
    await server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    await server.client.send(new AssociateSoftwareTokenCommand({ AccessToken: signedIn.AuthenticationResult?.AccessToken as string }));
    // SRP leaves a used secret block behind; a wrong password leaves failure counters.
    const start = await srpStart(server, poolId, publicClient, 'carol');
    await srpRespond(server, publicClient, await srpAnswer(start, poolId, PASSWORD, srpTimestamp(server.clock.nowMs())), start.session);
    await expectAwsError(
      () => server.client.send(new InitiateAuthCommand({ ClientId: publicClient, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'carol', PASSWORD: 'Wrong-1!a' } })),
      'NotAuthorizedException',
    );
    // Bob's reset stays pending in the outbox (no mail transport): his code must work after the move.
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'bob' }));
    const bobCode = await latestCode(server, poolId, 'bob');
    // A secret rotation in progress (the client's second secret lives in its own sealed column)
    // and a log delivery configuration must move too.
    const rotated = await server.client.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: conf.UserPoolClient?.ClientId }));
    await server.client.send(new SetLogDeliveryConfigurationCommand({ UserPoolId: poolId, LogConfigurations: [LOG_CONFIGURATION] }));
    await server.client.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, RiskExceptionConfiguration: { SkippedIPRangeList: ['10.0.0.0/8'] } }));
    // The pool's managed login CSS (features/branding/) moves too.
    await server.client.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: '.banner-customizable { color: red; }' }));
    // A replica record and a provisioned rate move too.
    await server.client.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1' }));
    await server.client.send(new UpdateProvisionedLimitCommand({ LimitDefinition: { LimitClass: 'API_CATEGORY', Attributes: { Category: 'UserCreation' } }, RequestedLimitValue: 60 }));
    // An identity provider with a sealed client_secret, and an identity linked to alice (docs/federation.md).
    await server.client.send(
      new CreateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: 'Corp',
        ProviderType: 'OIDC',
        ProviderDetails: { client_id: 'rp', client_secret: 'idp-secret', authorize_scopes: 'openid', oidc_issuer: 'https://idp.example.com', attributes_request_method: 'GET' },
      }),
    );
    await server.client.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: poolId,
        DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'alice' },
        SourceUser: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'corp-1' },
      }),
    );
    // A domain, a resource server and the scopes an OAuth grant keeps (docs/oauth.md).
    await server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'moving-app' }));
    await server.client.send(
      new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'api', Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }] }),
    );
    await server.app.deps.store.putGrantScopes({ originJti: 'jti-moving', poolId, scopes: ['openid', 'https://api.example.com/read'], expiresAt: server.clock.nowMs() + 3_600_000 }, server.clock.nowMs());
    // An import job with its uploaded file (in chunks) and a refused row in its log (docs/import.md).
    const job = await server.client.send(
      new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: 'move', CloudWatchLogsRoleArn: 'arn:aws:iam::000000000000:role/import' }),
    );
    const jobId = job.UserImportJob?.JobId as string;
    await server.app.deps.store.insertImportChunks(jobId, 'upload-1', [{ seq: 0, firstLine: 2, data: 'row\n' }]);
    await server.app.deps.store.appendImportLog([{ jobId, line: 2, outcome: 'FAILED', message: 'example' }]);
    // A remembered device of alice's, its SRP verifier sealed.
    const alice = await server.app.deps.store.getUserByUsernameKey(poolId, 'alice');
    await server.app.deps.store.insertDevice({
      poolId,
      userSub: alice?.sub as string,
      deviceKey: DEVICE_KEY,
      deviceGroupKey: '-group',
      verifierSealed: server.app.deps.secrets.seal(JSON.stringify({ saltHex: 'ab', verifierHex: 'cd' })),
      name: 'laptop',
      status: 'remembered',
      lastIp: '192.0.2.1',
      createdAt: server.clock.nowMs(),
      lastModifiedAt: server.clock.nowMs(),
      lastAuthenticatedAt: server.clock.nowMs(),
    });
    // A passkey of alice's (its public key is no secret).
    await server.app.deps.store.insertWebAuthnCredential({
      poolId,
      userSub: alice?.sub as string,
      credentialId: 'cred-alice',
      publicKey: 'pQECAyYgASFYIA',
      signCount: 3,
      transports: ['internal'],
      friendlyName: null,
      relyingPartyId: 'example.com',
      attachment: 'platform',
      createdAt: server.clock.nowMs(),
    });
    const jwks = await (await fetch(`${server.url}/${poolId}/.well-known/jwks.json`)).json();
    await server.app.deps.store.insertCredential({
      accessKeyId: ACCESS_KEY_ID,
      name: 'admin',
      arn: 'arn:aws:iam::000000000000:user/admin',
      secretSealed: server.app.deps.secrets.seal(SECRET_ACCESS_KEY),
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cognito-idp:*', Resource: '*' }] }),
      createdAt: server.clock.nowMs(),
    });
    return {
      poolId,
      publicClient,
      secretClient: conf.UserPoolClient?.ClientId as string,
      clientSecret: conf.UserPoolClient?.ClientSecret as string,
      secondSecret: rotated.ClientSecretDescriptor?.ClientSecretValue as string,
      jwks,
      refreshToken: signedIn.AuthenticationResult?.RefreshToken as string,
      bobCode,
    };
  }

  /** Everything the fixture set up, checked through the API of a server on the imported data. */
  async function assertIntact(server: TestServer): Promise<void> {
    const { poolId, publicClient, secretClient, clientSecret } = fixture;
    // The developer credential moved: signed calls pass with its secret and fail with another.
    const pools = await server.client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    assert.deepEqual(pools.UserPools?.map((p) => p.Id), [poolId]);
    const stranger = new CognitoIdentityProviderClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: 'not-the-secret-at-all-not-the-secret-at' },
      maxAttempts: 1,
    });
    await expectAwsError(() => stranger.send(new ListUserPoolsCommand({ MaxResults: 10 })), 'InvalidSignatureException');
    stranger.destroy();

    const described = await server.client.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: secretClient }));
    assert.equal(described.UserPoolClient?.ClientSecret, clientSecret);
    const second = await server.client.send(
      new InitiateAuthCommand({
        ClientId: secretClient,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'alice', PASSWORD, SECRET_HASH: secretHash(fixture.secondSecret, 'alice', secretClient) },
      }),
    );
    assert.ok(second.AuthenticationResult?.AccessToken, 'the second client secret moved');
    const logs = await server.client.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }));
    assert.deepEqual(logs.LogDeliveryConfiguration?.LogConfigurations, [LOG_CONFIGURATION]);
    const risk = await server.client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }));
    assert.deepEqual(risk.RiskConfiguration?.RiskExceptionConfiguration, { SkippedIPRangeList: ['10.0.0.0/8'] });
    const events = await server.client.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'alice' }));
    assert.ok((events.AuthEvents ?? []).some((e) => e.EventType === 'SignIn' && e.EventResponse === 'Pass'), 'the auth events moved');
    const ui = await server.client.send(new GetUICustomizationCommand({ UserPoolId: poolId }));
    assert.equal(ui.UICustomization?.CSS, '.banner-customizable { color: red; }');
    const device = await server.client.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'alice', DeviceKey: DEVICE_KEY }));
    assert.equal(device.Device?.DeviceAttributes?.find((a) => a.Name === 'device_name')?.Value, 'laptop', 'the remembered device moved');
    const replicas = await server.client.send(new ListUserPoolReplicasCommand({ UserPoolId: poolId }));
    assert.deepEqual(replicas.UserPoolReplicas?.map((r) => r.RegionName), ['us-east-1', 'eu-west-1']);
    const idp = await server.client.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }));
    assert.equal(idp.IdentityProvider?.ProviderDetails?.client_secret, 'idp-secret');
    const limit = await server.client.send(new GetProvisionedLimitCommand({ LimitDefinition: { LimitClass: 'API_CATEGORY', Attributes: { Category: 'UserCreation' } } }));
    assert.equal(limit.Limit?.ProvisionedLimitValue, 60);
    assert.deepEqual(await (await fetch(`${server.url}/${poolId}/.well-known/jwks.json`)).json(), fixture.jwks);

    for (const name of ['alice', 'carol']) {
      const plain = await server.client.send(
        new InitiateAuthCommand({
          ClientId: secretClient,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: name, PASSWORD, SECRET_HASH: secretHash(clientSecret, name, secretClient) },
        }),
      );
      const token = plain.AuthenticationResult?.IdToken as string;
      const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${server.url}/${poolId}/.well-known/jwks.json`)), { currentDate: new Date(server.clock.nowMs()) });
      assert.deepEqual(payload['cognito:groups'], name === 'alice' ? ['admins'] : undefined, `${name}'s groups moved`);
      assert.equal(payload['cognito:preferred_role'], name === 'alice' ? 'arn:aws:iam::123456789012:role/Admin' : undefined);
      const start = await srpStart(server, poolId, publicClient, name);
      const srp = await srpRespond(server, publicClient, await srpAnswer(start, poolId, PASSWORD, srpTimestamp(server.clock.nowMs())), start.session);
      assert.ok(srp.AuthenticationResult?.AccessToken, `${name} signs in with SRP`);
    }
    const refreshed = await server.client.send(
      new InitiateAuthCommand({ ClientId: publicClient, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: fixture.refreshToken } }),
    );
    assert.ok(refreshed.AuthenticationResult?.AccessToken, 'the refresh token issued before the move still works');
    await expectAwsError(
      () => server.client.send(new InitiateAuthCommand({ ClientId: publicClient, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bob', PASSWORD } })),
      'PasswordResetRequiredException',
    );
  }

  async function confirmBob(server: TestServer): Promise<void> {
    const { publicClient } = fixture;
    await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: publicClient, Username: 'bob', ConfirmationCode: fixture.bobCode, Password: NEW_PASSWORD }));
    const signedIn = await server.client.send(
      new InitiateAuthCommand({ ClientId: publicClient, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bob', PASSWORD: NEW_PASSWORD } }),
    );
    assert.ok(signedIn.AuthenticationResult?.AccessToken);
  }

  it('SQLite → PostgreSQL → SQLite keeps every row, and every user able to sign in', async () => {
    const dir = tempDir();
    const first = join(dir, 'sqlite.jsonl');
    const second = join(dir, 'postgres.jsonl');
    await exportTo(first, ['--data-dir', sourceDir]);
    const dumped = rowLines(first);
    for (const spec of TABLES) {
      assert.ok(dumped.some((line) => line.startsWith(`{"table":"${spec.name}"`)), `the fixture leaves rows in ${spec.name}`);
    }

    const pg = await schema();
    const counts = await importFrom(first, ['--database-url', pg.url, ...keyArgs]);
    assert.equal(counts.users, 3);
    await exportTo(second, ['--database-url', pg.url, ...keyArgs]);
    assert.deepEqual(rowLines(second), dumped, 'PostgreSQL gives back exactly the rows SQLite gave it');

    const onPostgres = await startServer({ config: { databaseUrl: pg.url, databasePoolSize: 4, serverKey, ...SIGV4_ANY_TIME } });
    try {
      await assertIntact(onPostgres);
      await confirmBob(onPostgres);
    } finally {
      await onPostgres.close();
    }

    const backDir = tempDir();
    await importFrom(second, ['--data-dir', backDir, ...keyArgs]);
    const third = join(dir, 'back.jsonl');
    await exportTo(third, ['--data-dir', backDir, ...keyArgs]);
    assert.deepEqual(rowLines(third), dumped);
    const onSqlite = await startServer({ config: { dataDir: backDir, serverKey, ...SIGV4_ANY_TIME } });
    try {
      await assertIntact(onSqlite);
      await confirmBob(onSqlite);
    } finally {
      await onSqlite.close();
    }
  });

  it('refuses another key, a cut-off dump and a non-empty target, leaving the target as it was', async () => {
    const dir = tempDir();
    const dump = join(dir, 'dump.jsonl');
    await exportTo(dump, ['--data-dir', sourceDir, ...keyArgs]);
    const pg = await schema();
    const target = ['--database-url', pg.url, ...keyArgs];
    // Another deployment's schema in the same database, with a table of the same name but other columns, and one we do not know.
    const sibling = await schema();
    await adminQuery(`create table ${sibling.schema}.users (sub text primary key, stray text); create table ${sibling.schema}.stray_table (id int)`);

    const otherKey = ['--database-url', pg.url, '--server-key', randomBytes(32).toString('base64')];
    await assert.rejects(() => importFrom(dump, otherKey), (err: unknown) => err instanceof TransferError && /sealed with another server key/.test(err.message));

    // The key check catches a different key even without it; a dump made without a key falls back on its sealed samples.
    const noCheck = join(dir, 'no-check.jsonl');
    const lines = readFileSync(dump, 'utf8').trim().split('\n');
    const header = JSON.parse(lines[0] as string) as { keyCheck?: string; probes: unknown[] };
    assert.ok(header.keyCheck && header.probes.length > 0);
    delete header.keyCheck;
    writeFileSync(noCheck, [JSON.stringify(header), ...lines.slice(1)].join('\n') + '\n');
    await assert.rejects(() => importFrom(noCheck, otherKey), (err: unknown) => err instanceof TransferError && /sealed with another server key/.test(err.message));

    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, lines.slice(0, -3).join('\n') + '\n');
    await assert.rejects(() => importFrom(cut, target), (err: unknown) => err instanceof TransferError && /ends early.*nothing was imported/.test(err.message));

    await importFrom(dump, target);
    await assert.rejects(() => importFrom(dump, target), (err: unknown) => err instanceof TransferError && /already holds data \(user_pools, .*--force/.test(err.message));
    const again = await importFrom(dump, [...target, '--force']);
    assert.equal(again.users, 3);
    const back = join(dir, 'back.jsonl');
    await exportTo(back, target);
    assert.deepEqual(rowLines(back), rowLines(dump), 'the refused imports left nothing behind, --force replaced everything');
  });

  it('runs as `userpoold export` on the command line', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'export', '--data-dir', sourceDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('USERPOOLD_'))),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, stderr);
    assert.match(stderr, /exported 1 user_pools, 2 user_pool_clients, 1 signing_keys, 3 users/);
    const dir = tempDir();
    const inProcess = join(dir, 'dump.jsonl');
    await exportTo(inProcess, ['--data-dir', sourceDir]);
    assert.deepEqual(stdout.trim().split('\n').slice(1), rowLines(inProcess));
    // No key at hand (--database-url without one): import says what it needs before reading anything.
    await assert.rejects(
      () => importCommand(['--data-dir', tempDir()], {}, createReadStream(inProcess)),
      /import: give the exporting server's key/,
    );
  });
});
