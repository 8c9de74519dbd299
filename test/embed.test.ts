import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startUserpoold, type UserpooldServer } from '../src/embed/index.js';
import { SeedError } from '../src/app/seed/index.js';
import { expectAwsError } from './support/server.js';

const EXAMPLE = join(import.meta.dirname, '..', 'examples', 'seed.yaml');
const POOL = 'us-east-1_example1';
const WEB = '1example0web0client0000000';
const KEY = { accessKeyId: 'AKIAEXAMPLEADMIN0001', secretAccessKey: 'example-admin-secret-do-not-use-in-production' };
const CHEAP = { argon2MemoryKib: 64, argon2Iterations: 1 };

describe('startUserpoold (in-process, in memory)', () => {
  let server: UserpooldServer;
  let client: CognitoIdentityProviderClient;

  before(async () => {
    server = await startUserpoold({ seed: EXAMPLE, ...CHEAP });
    client = new CognitoIdentityProviderClient({ endpoint: server.endpoint, region: server.region, credentials: KEY, maxAttempts: 1 });
  });
  after(async () => {
    client.destroy();
    await server.stop();
  });

  /** One app-shaped run: sign in, reset a password with the code from messages(); returns what it saw. */
  async function appRun(): Promise<{ sub: unknown; pools: string[]; clientIds: string[]; code: string }> {
    const signedIn = await client.send(
      new InitiateAuthCommand({ ClientId: WEB, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'admin', PASSWORD: 'Admin-password-1' } }),
    );
    const idToken = signedIn.AuthenticationResult?.IdToken;
    assert.ok(idToken);
    const sub = (JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString('utf8')) as { sub: unknown }).sub;

    const signIn = () =>
      client.send(new InitiateAuthCommand({ ClientId: WEB, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'reset-me', PASSWORD: 'Chosen-password-2' } }));
    await expectAwsError(signIn, 'PasswordResetRequiredException', 'Password reset required for the user');
    await client.send(new ForgotPasswordCommand({ ClientId: WEB, Username: 'reset-me' }));
    const messages = await server.messages({ poolId: POOL, username: 'reset-me' });
    assert.equal(messages.length, 1);
    const [message] = messages;
    assert.equal(message?.trigger, 'ForgotPassword');
    assert.equal(message?.channel, 'EMAIL');
    assert.equal(message?.destination, 'reset-me@example.com');
    assert.match(message?.code ?? '', /^\d{6}$/);
    await client.send(new ConfirmForgotPasswordCommand({ ClientId: WEB, Username: 'reset-me', ConfirmationCode: message!.code!, Password: 'Chosen-password-2' }));
    assert.ok((await signIn()).AuthenticationResult?.AccessToken);

    const pools = (await client.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools?.map((p) => p.Id as string) ?? [];
    const web = await client.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: WEB }));
    return { sub, pools, clientIds: [web.UserPoolClient?.ClientId as string], code: message!.code! };
  }

  it('serves the seeded pool at its endpoint, with the codes of queued messages', async () => {
    assert.match(server.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.region, 'us-east-1');
    const first = await appRun();
    assert.deepEqual(first.pools, [POOL]);
  });

  it('reset() empties everything and seeds again: a second run sees the same ids and the same start', async () => {
    const endpoint = server.endpoint;
    await client.send(new CreateUserPoolCommand({ PoolName: 'made-by-a-test' }));
    const firstSub = (await client.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: 'admin' }))).UserAttributes?.find((a) => a.Name === 'sub')?.Value;

    await server.reset();
    assert.equal(server.endpoint, endpoint);
    assert.deepEqual(await server.messages(), [], 'no message survives a reset');
    const resetMe = await client.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: 'reset-me' }));
    assert.equal(resetMe.UserStatus, 'RESET_REQUIRED', 'the seeded state is back');

    const second = await appRun();
    assert.deepEqual(second.pools, [POOL], 'the pool a test made is gone');
    assert.equal(second.sub, firstSub);
    assert.deepEqual(second.clientIds, [WEB]);
  });

  it('filters messages, newest last', async () => {
    await client.send(new ForgotPasswordCommand({ ClientId: WEB, Username: 'admin' }));
    await client.send(new ForgotPasswordCommand({ ClientId: WEB, Username: 'admin' }));
    const all = await server.messages({ username: 'admin', trigger: 'ForgotPassword' });
    assert.equal(all.length, 2);
    assert.ok(all[0]!.id !== all[1]!.id && all[0]!.time <= all[1]!.time);
    assert.deepEqual(await server.messages({ username: 'admin', trigger: 'SignUp' }), []);
    assert.deepEqual(await server.messages({ channel: 'SMS' }), []);
  });
});

describe('startUserpoold options', () => {
  it('takes the seed as a value, and writes nothing to disk in memory', async () => {
    const cwdBefore = readdirSync(process.cwd());
    const server = await startUserpoold({
      ...CHEAP,
      seed: { pools: [{ id: 'us-east-1_inline1', name: 'inline', clients: [{ id: 'inlineclient', name: 'c', settings: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } }], users: [{ username: 'u', password: 'Passw0rd!' }] }] },
    });
    const client = new CognitoIdentityProviderClient({ endpoint: server.endpoint, region: server.region, credentials: KEY, maxAttempts: 1 });
    try {
      const out = await client.send(new InitiateAuthCommand({ ClientId: 'inlineclient', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'u', PASSWORD: 'Passw0rd!' } }));
      assert.ok(out.AuthenticationResult?.IdToken);
      assert.ok(!existsSync(':memory:'), 'no folder named :memory: was made');
      assert.deepEqual(readdirSync(process.cwd()), cwdBefore);
    } finally {
      client.destroy();
      await server.stop();
    }
  });

  it('refuses a bad seed value, naming the entry', async () => {
    await assert.rejects(
      startUserpoold({ ...CHEAP, seed: { pools: [{ id: 'us-east-1_x1', name: 'x', users: [{ username: 'u', password: 'weak' }] }] } }),
      (err: unknown) => {
        assert.ok(err instanceof SeedError);
        assert.equal(
          err.message,
          'seed seed: 1 problem, nothing applied:\n  seed: pools[0].users[0].password: InvalidPasswordException: Password did not conform with policy: Password not long enough',
        );
        return true;
      },
    );
  });

  it("keeps a SQLite file in dataDir with storage 'sqlite', and reset() starts it afresh", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-embed-'));
    try {
      const server = await startUserpoold({ ...CHEAP, storage: 'sqlite', dataDir, seed: EXAMPLE });
      const client = new CognitoIdentityProviderClient({ endpoint: server.endpoint, region: server.region, credentials: KEY, maxAttempts: 1 });
      try {
        assert.ok(existsSync(join(dataDir, 'userpoold.sqlite')));
        await client.send(new CreateUserPoolCommand({ PoolName: 'extra' }));
        await server.reset();
        const pools = (await client.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools?.map((p) => p.Id);
        assert.deepEqual(pools, [POOL]);
      } finally {
        client.destroy();
        await server.stop();
      }
      await assert.rejects(server.messages(), /messages\(\) after stop\(\)/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
