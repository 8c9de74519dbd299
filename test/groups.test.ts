import {
  AdminAddUserToGroupCommand,
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  DeleteUserPoolCommand,
  GetGroupCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
  type CreateGroupCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { idTokenGroupClaims, orderForClaims, preferredRole, type GroupClaimSource } from '../src/domain/groups/group.js';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';
const ROLE = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
const GROUP_NOT_FOUND = 'Group not found.';
const USER_NOT_FOUND = 'User does not exist.';

describe('group rules', () => {
  const g = (name: string, precedence: number | null, roleArn: string | null): GroupClaimSource => ({ name, precedence, roleArn });

  it('orders cognito:groups by precedence (null last), then by name', () => {
    const ordered = orderForClaims([g('b', null, null), g('z', 1, null), g('a', null, null), g('y', 0, null), g('x', 1, null)]);
    assert.deepEqual(ordered.map((x) => x.name), ['y', 'x', 'z', 'a', 'b']);
  });

  it('takes the role of the lowest precedence; null loses to every number; ties agree or give none', () => {
    assert.equal(preferredRole([g('a', 3, ROLE('A')), g('b', 1, ROLE('B')), g('c', null, ROLE('C'))]), ROLE('B'));
    assert.equal(preferredRole([g('a', null, ROLE('A')), g('b', 7, ROLE('B'))]), ROLE('B'));
    assert.equal(preferredRole([g('a', 1, ROLE('A')), g('b', 1, ROLE('B')), g('c', 2, ROLE('C'))]), undefined);
    assert.equal(preferredRole([g('a', 1, ROLE('A')), g('b', 1, ROLE('A')), g('c', 0, null)]), ROLE('A'));
    assert.equal(preferredRole([g('a', null, ROLE('A')), g('b', null, ROLE('B'))]), undefined);
    assert.equal(preferredRole([g('a', 0, null)]), undefined);
  });

  it('gives no group claims to a user in no group, and cognito:roles only where roles exist', () => {
    assert.deepEqual(idTokenGroupClaims([]), {});
    assert.deepEqual(idTokenGroupClaims([g('a', 0, null)]), { 'cognito:groups': ['a'] });
    assert.deepEqual(idTokenGroupClaims([g('a', 0, ROLE('A')), g('b', 0, ROLE('A'))]), {
      'cognito:groups': ['a', 'b'],
      'cognito:roles': [ROLE('A')],
      'cognito:preferred_role': ROLE('A'),
    });
  });
});

for (const dialect of E2E_DIALECTS) describe(`groups (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ dialect });
  });
  after(() => server.close());

  const setup = () =>
    createPoolWithClient(server.client, { PoolName: 'groups' }, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  const user = (poolId: string, username: string) => createConfirmedUser(server.client, poolId, username, { temporaryPassword: 'Temp-Pass-1!', password: PASSWORD });
  const createGroup = (poolId: string, name: string, extra: Omit<CreateGroupCommandInput, 'UserPoolId' | 'GroupName'> = {}) =>
    server.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: name, ...extra }));
  const add = (poolId: string, username: string, group: string) =>
    server.client.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: group }));
  const remove = (poolId: string, username: string, group: string) =>
    server.client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: username, GroupName: group }));
  const groupsOf = async (poolId: string, username: string) =>
    (await server.client.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: username }))).Groups?.map((g) => g.GroupName);
  const membersOf = async (poolId: string, group: string) =>
    (await server.client.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: group }))).Users?.map((u) => u.Username);

  describe('CreateGroup, GetGroup, UpdateGroup, DeleteGroup', () => {
    it('creates a group with every member and reads it back', async () => {
      const { poolId } = await setup();
      const now = server.clock.nowMs() / 1000;
      const created = await createGroup(poolId, 'admins', { Description: 'The admins', RoleArn: ROLE('Admin'), Precedence: 1 });
      const expected = { GroupName: 'admins', UserPoolId: poolId, Description: 'The admins', RoleArn: ROLE('Admin'), Precedence: 1 };
      assert.deepEqual({ ...created.Group, CreationDate: undefined, LastModifiedDate: undefined }, { ...expected, CreationDate: undefined, LastModifiedDate: undefined });
      assert.equal(created.Group?.CreationDate?.getTime(), now * 1000);
      assert.equal(created.Group?.LastModifiedDate?.getTime(), now * 1000);
      const got = await server.client.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }));
      assert.deepEqual(got.Group, created.Group);
      // Optional members are absent, not null, when not given.
      const bare = await createGroup(poolId, 'plain');
      assert.deepEqual(Object.keys(bare.Group ?? {}).sort(), ['CreationDate', 'GroupName', 'LastModifiedDate', 'UserPoolId']);
    });

    it('refuses a duplicate name, an unknown pool and invalid members with AWS’s errors', async () => {
      const { poolId } = await setup();
      await createGroup(poolId, 'admins');
      await expectAwsError(() => createGroup(poolId, 'admins'), 'GroupExistsException', 'A group with the name admins already exists.');
      await expectAwsError(() => createGroup('us-east-1_nothere', 'admins'), 'ResourceNotFoundException', 'User pool us-east-1_nothere does not exist.');
      await expectAwsError(() => createGroup(poolId, 'has space'), 'InvalidParameterException', /Value 'has space' at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
      await expectAwsError(() => createGroup(poolId, 'x'.repeat(129)), 'InvalidParameterException', /at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 128/);
      await expectAwsError(() => createGroup(poolId, 'neg', { Precedence: -1 }), 'InvalidParameterException', /Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0/);
      await expectAwsError(
        () => createGroup(poolId, 'big', { Precedence: 2 ** 31 }),
        'InvalidParameterException',
        "1 validation error detected: Value '2147483648' at 'precedence' failed to satisfy constraint: Member must have value less than or equal to 2147483647",
      );
      await expectAwsError(() => createGroup(poolId, 'arn', { RoleArn: 'not-an-arn' }), 'InvalidParameterException', /at 'roleArn' failed to satisfy constraint/);
      await expectAwsError(() => createGroup(poolId, 'desc', { Description: 'd'.repeat(2049) }), 'InvalidParameterException', /at 'description' failed to satisfy constraint: Member must have length less than or equal to 2048/);
      await createGroup(poolId, 'max', { Precedence: 2 ** 31 - 1 });
      const listed = await server.client.send(new ListGroupsCommand({ UserPoolId: poolId }));
      assert.deepEqual(listed.Groups?.map((g) => g.GroupName), ['admins', 'max']);
    });

    it('updates the members given, keeps the others, and answers Group not found. for an unknown group', async () => {
      const { poolId } = await setup();
      const created = await createGroup(poolId, 'staff', { Description: 'Staff', RoleArn: ROLE('Staff'), Precedence: 4 });
      server.clock.advance(60_000);
      const updated = await server.client.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'staff', Precedence: 2 }));
      assert.equal(updated.Group?.Precedence, 2);
      assert.equal(updated.Group?.Description, 'Staff');
      assert.equal(updated.Group?.RoleArn, ROLE('Staff'));
      assert.deepEqual(updated.Group?.CreationDate, created.Group?.CreationDate);
      assert.equal(updated.Group?.LastModifiedDate?.getTime(), server.clock.nowMs());
      assert.deepEqual((await server.client.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'staff' }))).Group, updated.Group);
      await expectAwsError(() => server.client.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'nope', Precedence: 1 })), 'ResourceNotFoundException', GROUP_NOT_FOUND);
      await expectAwsError(() => server.client.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'nope' })), 'ResourceNotFoundException', GROUP_NOT_FOUND);
      await expectAwsError(() => server.client.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'nope' })), 'ResourceNotFoundException', GROUP_NOT_FOUND);
    });

    it('deletes a group with members, and its memberships with it', async () => {
      const { poolId } = await setup();
      await user(poolId, 'alice');
      await createGroup(poolId, 'a');
      await createGroup(poolId, 'b');
      await add(poolId, 'alice', 'a');
      await add(poolId, 'alice', 'b');
      await server.client.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'a' }));
      await expectAwsError(() => server.client.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'a' })), 'ResourceNotFoundException', GROUP_NOT_FOUND);
      assert.deepEqual(await groupsOf(poolId, 'alice'), ['b']);
      // A new group of the same name does not inherit the old members.
      await createGroup(poolId, 'a');
      assert.deepEqual(await membersOf(poolId, 'a'), []);
    });
  });

  describe('ListGroups', () => {
    it('pages the pool’s groups by name with Limit and NextToken; the last page has no token', async () => {
      const { poolId } = await setup();
      const names = ['delta', 'alpha', 'Echo', 'charlie', 'bravo'];
      for (const name of names) await createGroup(poolId, name);
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const res = await server.client.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2, NextToken: token }));
        seen.push(...(res.Groups ?? []).map((g) => g.GroupName as string));
        token = res.NextToken;
        pages++;
      } while (token !== undefined);
      assert.equal(pages, 3);
      assert.deepEqual(seen, ['Echo', 'alpha', 'bravo', 'charlie', 'delta']);
      const all = await server.client.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 0 }));
      assert.equal(all.Groups?.length, 5);
      assert.equal(all.NextToken, undefined);
      await expectAwsError(() => server.client.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 61 })), 'InvalidParameterException', /at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60/);
      await expectAwsError(() => server.client.send(new ListGroupsCommand({ UserPoolId: poolId, NextToken: 'bogus' })), 'InvalidParameterException');
      await expectAwsError(() => server.client.send(new ListGroupsCommand({ UserPoolId: 'us-east-1_nothere' })), 'ResourceNotFoundException', 'User pool us-east-1_nothere does not exist.');
    });
  });

  describe('memberships', () => {
    it('adds (twice is no error), lists both ways with paging, and removes (twice is no error)', async () => {
      const { poolId } = await setup();
      for (const name of ['dave', 'alice', 'Carol', 'bob']) await user(poolId, name);
      for (const name of ['g2', 'g1', 'g3']) await createGroup(poolId, name);
      for (const name of ['dave', 'alice', 'Carol', 'bob']) await add(poolId, name, 'g1');
      await add(poolId, 'alice', 'g1');
      await add(poolId, 'alice', 'g3');
      await add(poolId, 'alice', 'g2');

      const seen: string[] = [];
      let token: string | undefined;
      do {
        const res = await server.client.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'g1', Limit: 3, NextToken: token }));
        seen.push(...(res.Users ?? []).map((u) => u.Username as string));
        token = res.NextToken;
      } while (token !== undefined);
      assert.deepEqual(seen, ['Carol', 'alice', 'bob', 'dave']);
      const first = await server.client.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'g1', Limit: 1 }));
      const alice = first.Users?.[0];
      assert.equal(alice?.UserStatus, 'CONFIRMED');
      assert.equal(alice?.Enabled, true);
      assert.ok(alice?.Attributes?.some((a) => a.Name === 'sub'));

      const page1 = await server.client.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'alice', Limit: 2 }));
      assert.deepEqual(page1.Groups?.map((g) => g.GroupName), ['g1', 'g2']);
      assert.equal(page1.Groups?.[0]?.UserPoolId, poolId);
      const page2 = await server.client.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'alice', Limit: 2, NextToken: page1.NextToken }));
      assert.deepEqual(page2.Groups?.map((g) => g.GroupName), ['g3']);
      assert.equal(page2.NextToken, undefined);
      // One user's token does not page another user's groups.
      await expectAwsError(
        () => server.client.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'bob', NextToken: page1.NextToken })),
        'InvalidParameterException',
      );

      await remove(poolId, 'alice', 'g2');
      await remove(poolId, 'alice', 'g2');
      assert.deepEqual(await groupsOf(poolId, 'alice'), ['g1', 'g3']);
      assert.deepEqual(await membersOf(poolId, 'g2'), []);
      assert.deepEqual(await groupsOf(poolId, 'bob'), ['g1']);
    });

    it('answers Group not found. and User does not exist. by name and text', async () => {
      const { poolId } = await setup();
      await user(poolId, 'alice');
      await createGroup(poolId, 'g');
      await expectAwsError(() => add(poolId, 'alice', 'nope'), 'ResourceNotFoundException', GROUP_NOT_FOUND);
      await expectAwsError(() => add(poolId, 'nobody', 'g'), 'UserNotFoundException', USER_NOT_FOUND);
      await expectAwsError(() => add(poolId, 'nobody', 'nope'), 'ResourceNotFoundException', GROUP_NOT_FOUND);
      await expectAwsError(() => remove(poolId, 'alice', 'nope'), 'ResourceNotFoundException', GROUP_NOT_FOUND);
      await expectAwsError(() => remove(poolId, 'nobody', 'g'), 'UserNotFoundException', USER_NOT_FOUND);
      await expectAwsError(() => groupsOf(poolId, 'nobody'), 'UserNotFoundException', USER_NOT_FOUND);
      await expectAwsError(() => membersOf(poolId, 'nope'), 'ResourceNotFoundException', GROUP_NOT_FOUND);
      await expectAwsError(() => add('us-east-1_nothere', 'alice', 'g'), 'ResourceNotFoundException', 'User pool us-east-1_nothere does not exist.');
    });

    it('deleting a user removes their memberships; a user made again under the name starts in no group', async () => {
      const { poolId } = await setup();
      await user(poolId, 'alice');
      await user(poolId, 'bob');
      await createGroup(poolId, 'g');
      await add(poolId, 'alice', 'g');
      await add(poolId, 'bob', 'g');
      await server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'alice' }));
      assert.deepEqual(await membersOf(poolId, 'g'), ['bob']);
      await user(poolId, 'alice');
      assert.deepEqual(await groupsOf(poolId, 'alice'), []);
    });

    it('deleting a pool removes its groups and memberships', async () => {
      const { poolId } = await setup();
      await user(poolId, 'alice');
      await createGroup(poolId, 'g');
      await add(poolId, 'alice', 'g');
      const sub = (await server.app.deps.store.getUserByUsernameKey(poolId, 'alice'))?.sub as string;
      await server.client.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
      assert.deepEqual(await server.app.deps.store.listGroups(poolId, { limit: 10 }), []);
      assert.deepEqual(await server.app.deps.store.groupClaimsOf(poolId, sub), []);
      await expectAwsError(() => membersOf(poolId, 'g'), 'ResourceNotFoundException', `User pool ${poolId} does not exist.`);
    });
  });

  describe('groups in tokens', () => {
    const signIn = async (clientId: string, username: string) => {
      const res = await server.client.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }),
      );
      const result = res.AuthenticationResult;
      assert.ok(result?.AccessToken && result.IdToken && result.RefreshToken);
      return result as { AccessToken: string; IdToken: string; RefreshToken: string };
    };

    it('an app: a backend verifies the tokens, reads groups and the preferred role; a removal shows on the next refresh', async () => {
      const { poolId, clientId } = await setup();
      await user(poolId, 'alice');
      await createGroup(poolId, 'editors', { RoleArn: ROLE('Editor'), Precedence: 5 });
      await createGroup(poolId, 'admins', { RoleArn: ROLE('Admin'), Precedence: 1 });
      await createGroup(poolId, 'unused', { RoleArn: ROLE('Unused'), Precedence: 0 });
      await add(poolId, 'alice', 'editors');
      await add(poolId, 'alice', 'admins');
      const tokens = await signIn(clientId, 'alice');

      // The backend: verifies both tokens against the pool's published keys.
      const jwks = createRemoteJWKSet(new URL(`${server.url}/${poolId}/.well-known/jwks.json`));
      const options = { issuer: `${server.url}/${poolId}`, algorithms: ['RS256'], currentDate: new Date(server.clock.nowMs()) };
      const id = (await jwtVerify(tokens.IdToken, jwks, { ...options, audience: clientId })).payload;
      const access = (await jwtVerify(tokens.AccessToken, jwks, options)).payload;
      assert.deepEqual(id['cognito:groups'], ['admins', 'editors']);
      assert.deepEqual(id['cognito:roles'], [ROLE('Admin'), ROLE('Editor')]);
      assert.equal(id['cognito:preferred_role'], ROLE('Admin'));
      assert.deepEqual(access['cognito:groups'], ['admins', 'editors']);
      assert.equal(access['cognito:preferred_role'], undefined);
      assert.equal(access['cognito:roles'], undefined);

      await remove(poolId, 'alice', 'admins');
      const refreshed = await server.client.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken } }),
      );
      const next = refreshed.AuthenticationResult;
      assert.ok(next?.IdToken && next.AccessToken);
      const id2 = (await jwtVerify(next.IdToken, jwks, { ...options, audience: clientId })).payload;
      const access2 = (await jwtVerify(next.AccessToken, jwks, options)).payload;
      assert.deepEqual(id2['cognito:groups'], ['editors']);
      assert.deepEqual(id2['cognito:roles'], [ROLE('Editor')]);
      assert.equal(id2['cognito:preferred_role'], ROLE('Editor'));
      assert.deepEqual(access2['cognito:groups'], ['editors']);
    });

    it('shows group changes on the next sign-in; ties of different roles give no preferred role; no group, no claims', async () => {
      const { poolId, clientId } = await setup();
      await user(poolId, 'bob');
      const none = decodeJwt((await signIn(clientId, 'bob')).IdToken);
      for (const claim of ['cognito:groups', 'cognito:roles', 'cognito:preferred_role']) assert.equal(none[claim], undefined, claim);
      assert.equal(decodeJwt((await signIn(clientId, 'bob')).AccessToken)['cognito:groups'], undefined);

      await createGroup(poolId, 'x', { RoleArn: ROLE('X'), Precedence: 3 });
      await createGroup(poolId, 'y', { RoleArn: ROLE('Y'), Precedence: 3 });
      await createGroup(poolId, 'z');
      for (const g of ['z', 'y', 'x']) await add(poolId, 'bob', g);
      const tied = decodeJwt((await signIn(clientId, 'bob')).IdToken);
      assert.deepEqual(tied['cognito:groups'], ['x', 'y', 'z']);
      assert.deepEqual(tied['cognito:roles'], [ROLE('X'), ROLE('Y')]);
      assert.equal(tied['cognito:preferred_role'], undefined);

      await server.client.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'y', Precedence: 2 }));
      const promoted = decodeJwt((await signIn(clientId, 'bob')).IdToken);
      assert.deepEqual(promoted['cognito:groups'], ['y', 'x', 'z']);
      assert.equal(promoted['cognito:preferred_role'], ROLE('Y'));

      await server.client.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'y' }));
      const deleted = decodeJwt((await signIn(clientId, 'bob')).IdToken);
      assert.deepEqual(deleted['cognito:groups'], ['x', 'z']);
      assert.equal(deleted['cognito:preferred_role'], ROLE('X'));
    });
  });
});
