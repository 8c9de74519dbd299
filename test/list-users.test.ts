import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
  paginateListUsers,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

interface Seed {
  username: string;
  attributes?: Record<string, string>;
  status?: 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';
  enabled?: boolean;
}

/** Creates users through the API, then moves them to the wanted status; returns their subs. */
async function seed(server: TestServer, poolId: string, users: Seed[]): Promise<Map<string, string>> {
  const subs = new Map<string, string>();
  for (const u of users) {
    const created = await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: u.username,
        MessageAction: 'SUPPRESS',
        UserAttributes: Object.entries(u.attributes ?? {}).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
    subs.set(u.username, created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value as string);
    const Username = u.username;
    const status = u.status ?? 'CONFIRMED';
    if (status !== 'FORCE_CHANGE_PASSWORD') {
      await server.client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username, Password: 'Perm4nent!pass', Permanent: true }));
    }
    if (status === 'RESET_REQUIRED') await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username }));
    if (u.enabled === false) await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username }));
  }
  return subs;
}

const names = (users: UserType[] | undefined) => (users ?? []).map((u) => u.Username).sort();

describe('ListUsers', () => {
  let server: TestServer;
  let poolId: string;
  let subs: Map<string, string>;

  before(async () => {
    server = await startServer();
    const pool = await server.client.send(
      new CreateUserPoolCommand({
        PoolName: 'listing',
        Schema: [{ Name: 'team', AttributeDataType: 'String', Mutable: true }],
      }),
    );
    poolId = pool.UserPool?.Id as string;
    subs = await seed(server, poolId, [
      { username: 'alice', attributes: { email: 'alice@example.com', given_name: 'Alice', family_name: 'Liddell', 'custom:team': 'red' } },
      { username: 'Alan', attributes: { email: 'alan@example.org', given_name: 'Alan', phone_number: '+15550001' } },
      { username: 'bob', attributes: { email: 'bob@example.com', name: 'Bob "the" Builder', 'custom:team': 'blue' }, status: 'FORCE_CHANGE_PASSWORD' },
      { username: 'carol', attributes: { email: 'carol@example.com', preferred_username: 'caz' }, enabled: false },
      { username: 'dave', attributes: { given_name: 'Dave', phone_number: '+4930123', phone_number_verified: 'true' }, status: 'RESET_REQUIRED' },
    ]);
  });
  after(() => server.close());

  const list = (input: Omit<ConstructorParameters<typeof ListUsersCommand>[0], 'UserPoolId'>) =>
    server.client.send(new ListUsersCommand({ UserPoolId: poolId, ...input }));

  it('lists every user with all attributes, sub first, and its creation date', async () => {
    const res = await list({});
    assert.deepEqual(names(res.Users), ['Alan', 'alice', 'bob', 'carol', 'dave']);
    assert.equal(res.PaginationToken, undefined);
    const alice = res.Users?.find((u) => u.Username === 'alice');
    assert.equal(alice?.Attributes?.[0]?.Name, 'sub');
    assert.equal(alice?.Attributes?.[0]?.Value, subs.get('alice'));
    assert.deepEqual(
      alice?.Attributes?.map((a) => a.Name),
      ['sub', 'email', 'given_name', 'family_name', 'custom:team'],
    );
    assert.equal(alice?.Enabled, true);
    assert.equal(alice?.UserStatus, 'CONFIRMED');
    assert.equal(alice?.UserCreateDate?.getTime(), server.clock.nowMs());
  });

  it('takes a blank filter as no filter', async () => {
    assert.equal((await list({ Filter: '  ' })).Users?.length, 5);
  });

  it('filters by exact value and by prefix, with or without spaces and quoted names', async () => {
    assert.deepEqual(names((await list({ Filter: 'email = "bob@example.com"' })).Users), ['bob']);
    assert.deepEqual(names((await list({ Filter: 'email="bob@example.com"' })).Users), ['bob']);
    assert.deepEqual(names((await list({ Filter: '"email"^="al"' })).Users), ['Alan', 'alice']);
    assert.deepEqual(names((await list({ Filter: '  email  ^=  "alice@"  ' })).Users), ['alice']);
    assert.deepEqual(names((await list({ Filter: 'email = "bob@example"' })).Users), []);
    assert.deepEqual(names((await list({ Filter: 'email ^= ""' })).Users), ['Alan', 'alice', 'bob', 'carol']);
    assert.deepEqual(names((await list({ Filter: 'given_name ^= "A"' })).Users), ['Alan', 'alice']);
    assert.deepEqual(names((await list({ Filter: 'family_name = "Liddell"' })).Users), ['alice']);
    assert.deepEqual(names((await list({ Filter: 'phone_number ^= "+1555"' })).Users), ['Alan']);
    assert.deepEqual(names((await list({ Filter: 'preferred_username = "caz"' })).Users), ['carol']);
    assert.deepEqual(names((await list({ Filter: 'name = "Bob \\"the\\" Builder"' })).Users), ['bob']);
  });

  it('filters usernames case-sensitively in a case-sensitive pool', async () => {
    assert.deepEqual(names((await list({ Filter: 'username = "alice"' })).Users), ['alice']);
    assert.deepEqual(names((await list({ Filter: 'username = "Alice"' })).Users), []);
    assert.deepEqual(names((await list({ Filter: 'username ^= "a"' })).Users), ['alice']);
    assert.deepEqual(names((await list({ Filter: 'username ^= "A"' })).Users), ['Alan']);
  });

  it('filters by sub, user status (any case) and enabled state', async () => {
    assert.deepEqual(names((await list({ Filter: `sub = "${subs.get('carol')}"` })).Users), ['carol']);
    assert.deepEqual(names((await list({ Filter: `sub ^= "${subs.get('dave')?.slice(0, 13)}"` })).Users), ['dave']);
    assert.deepEqual(names((await list({ Filter: 'cognito:user_status = "force_change_password"' })).Users), ['bob']);
    assert.deepEqual(names((await list({ Filter: 'cognito:user_status ^= "RESET"' })).Users), ['dave']);
    assert.deepEqual(names((await list({ Filter: 'status = "Disabled"' })).Users), ['carol']);
    assert.deepEqual(names((await list({ Filter: 'status = "Enabled"' })).Users), ['Alan', 'alice', 'bob', 'dave']);
    assert.deepEqual(names((await list({ Filter: 'status = "enabled"' })).Users), []);
    assert.deepEqual(names((await list({ Filter: 'status ^= "Dis"' })).Users), ['carol']);
  });

  it('refuses attributes that cannot be searched', async () => {
    await expectAwsError(() => list({ Filter: 'custom:team = "red"' }), 'InvalidParameterException', 'Invalid search attribute: custom:team');
    await expectAwsError(() => list({ Filter: 'locale = "en"' }), 'InvalidParameterException', 'Invalid search attribute: locale');
  });

  it('refuses filters it cannot parse', async () => {
    for (const Filter of ['foo', 'email = bob', 'email == "x"', 'email = "x" extra', 'email = "unterminated', 'email != "x"', '= "x"']) {
      await expectAwsError(() => list({ Filter }), 'InvalidParameterException', 'Error while parsing filter.');
    }
  });

  it('returns only the attributes asked for', async () => {
    const res = await list({ Filter: 'email ^= "a"', AttributesToGet: ['email', 'sub'] });
    for (const user of res.Users ?? []) assert.deepEqual(user.Attributes?.map((a) => a.Name), ['sub', 'email']);
    const res2 = await list({ AttributesToGet: ['given_name'] });
    const dave = res2.Users?.find((u) => u.Username === 'dave');
    assert.deepEqual(dave?.Attributes, [{ Name: 'given_name', Value: 'Dave' }]);
    assert.deepEqual(res2.Users?.find((u) => u.Username === 'bob')?.Attributes, []);
  });

  it('refuses attribute names the pool does not have', async () => {
    await expectAwsError(
      () => list({ AttributesToGet: ['email', 'custom:nope'] }),
      'InvalidParameterException',
      'One or more requested attributes do not exist.',
    );
  });

  it('refuses a custom attribute that some listed user lacks, as AWS documents', async () => {
    await expectAwsError(() => list({ AttributesToGet: ['custom:team'] }), 'InvalidParameterException', 'One or more requested attributes do not exist.');
    const res = await list({ Filter: 'email ^= "b"', AttributesToGet: ['custom:team'] });
    assert.deepEqual(res.Users?.[0]?.Attributes, [{ Name: 'custom:team', Value: 'blue' }]);
  });

  it('answers an unknown pool with ResourceNotFoundException', async () => {
    await expectAwsError(
      () => server.client.send(new ListUsersCommand({ UserPoolId: 'us-east-1_missing' })),
      'ResourceNotFoundException',
      'User pool us-east-1_missing does not exist.',
    );
  });

  it('checks Limit against the model', async () => {
    const res = await server.raw('ListUsers', { UserPoolId: poolId, Limit: 61 });
    assert.equal(res.body.__type, 'InvalidParameterException');
    assert.equal(
      res.body.message,
      "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
  });

  it('refuses a made-up pagination token', async () => {
    const res = await server.raw('ListUsers', { UserPoolId: poolId, PaginationToken: 'bogus' });
    assert.equal(res.body.__type, 'InvalidParameterException');
    assert.equal(res.body.message, `Paging marker bogus is invalid for request ${res.headers.get('x-amzn-requestid')}`);
  });

  it('refuses a token issued for another filter', async () => {
    const first = await list({ Limit: 1 });
    assert.ok(first.PaginationToken);
    await expectAwsError(() => list({ Limit: 1, PaginationToken: first.PaginationToken, Filter: 'email ^= "a"' }), 'InvalidParameterException', /^Paging marker /);
  });
});

describe('ListUsers paging', () => {
  let server: TestServer;
  let poolId: string;
  const total = 137;

  before(async () => {
    server = await startServer();
    const pool = await server.client.send(new CreateUserPoolCommand({ PoolName: 'paging', UsernameConfiguration: { CaseSensitive: false } }));
    poolId = pool.UserPool?.Id as string;
    const users: Seed[] = [];
    for (let i = 0; i < total; i++) {
      // Several users share an email so the (value, username) order has ties to page through.
      users.push({ username: `User${String(i).padStart(3, '0')}`, attributes: { email: `m${i % 7}@example.com` } });
    }
    await seed(server, poolId, users);
  });
  after(() => server.close());

  it('pages through everyone with the SDK paginator, 60 at a time by default, without repeats', async () => {
    const pages: number[] = [];
    const seen: string[] = [];
    for await (const page of paginateListUsers({ client: server.client }, { UserPoolId: poolId })) {
      pages.push(page.Users?.length ?? 0);
      seen.push(...(page.Users ?? []).map((u) => u.Username as string));
    }
    assert.deepEqual(pages, [60, 60, 17]);
    assert.equal(new Set(seen).size, total);
  });

  it('pages a prefix filter with ties, at small limits', async () => {
    for (const limit of [1, 4, 60]) {
      const seen: string[] = [];
      for await (const page of paginateListUsers({ client: server.client, pageSize: limit }, { UserPoolId: poolId, Filter: 'email ^= "m"' })) {
        assert.ok((page.Users?.length ?? 0) <= limit);
        seen.push(...(page.Users ?? []).map((u) => u.Username as string));
      }
      assert.equal(seen.length, total, `limit ${limit}`);
      assert.equal(new Set(seen).size, total, `limit ${limit}`);
    }
  });

  it('pages an exact filter', async () => {
    const seen: string[] = [];
    for await (const page of paginateListUsers({ client: server.client, pageSize: 5 }, { UserPoolId: poolId, Filter: 'email = "m3@example.com"' })) {
      seen.push(...(page.Users ?? []).map((u) => u.Username as string));
    }
    assert.equal(seen.length, Math.ceil((total - 3) / 7));
    assert.ok(seen.every((name) => Number(name.slice(4)) % 7 === 3));
  });

  it('folds the username filter in a case-insensitive pool', async () => {
    const res = await server.client.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'username = "user042"' }));
    assert.deepEqual(names(res.Users), ['User042']);
    const prefix = await server.client.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'username ^= "USER13"' }));
    assert.deepEqual(names(prefix.Users), ['User130', 'User131', 'User132', 'User133', 'User134', 'User135', 'User136']);
  });

  it('ends without a token when the last page is exactly full', async () => {
    const res = await server.client.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'username ^= "user13"', Limit: 7 }));
    assert.equal(res.Users?.length, 7);
    assert.equal(res.PaginationToken, undefined);
  });
});
