import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

/**
 * Security review finding 10: a `Username` parameter resolves by username, alias or sub, so a
 * user whose username is another user's sub (or active alias) must never be what it resolves to.
 */
describe('a later user never shadows an earlier one', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  async function pool(settings: Partial<CreateUserPoolCommandInput> = {}) {
    const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'shadow', ...settings }));
    const poolId = created.UserPool?.Id as string;
    const client = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }));
    return { poolId, clientId: client.UserPoolClient?.ClientId as string };
  }

  const createUser = async (poolId: string, username: string) => {
    const created = await server.client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }));
    return created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value as string;
  };
  const getUser = (poolId: string, username: string) => server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  const signUp = (clientId: string, username: string) => server.client.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: 'Correct-Horse-1' }));

  it("refuses a username equal to another user's sub, at SignUp and AdminCreateUser", async () => {
    const { poolId, clientId } = await pool();
    const victimSub = await createUser(poolId, 'victim');
    await expectAwsError(() => signUp(clientId, victimSub), 'UsernameExistsException', 'User already exists');
    await expectAwsError(() => signUp(clientId, victimSub.toUpperCase()), 'UsernameExistsException', 'User already exists');
    await expectAwsError(() => createUser(poolId, victimSub), 'UsernameExistsException', 'User account already exists');
    assert.equal((await getUser(poolId, victimSub)).Username, 'victim');
    // A name of the same form that is nobody's sub is an ordinary username.
    const free = '0f8fad5b-d9cb-469f-a165-70867728950e';
    await createUser(poolId, free);
    assert.equal((await getUser(poolId, free)).Username, free);
  });

  it('resolves a sub to its user even when an older record took it as username', async () => {
    const { poolId } = await pool();
    const victimSub = await createUser(poolId, 'victim');
    // A record stored before the refusal existed: its username is the victim's sub.
    const store = server.app.deps.store;
    const victim = await store.getUserBySub(poolId, victimSub);
    assert.ok(victim);
    const attackerSub = '11111111-2222-4333-8444-555555555555';
    await store.insertUser({ ...victim, sub: attackerSub, username: victimSub, usernameKey: victimSub, attributes: { ...victim.attributes, sub: attackerSub } });
    const found = await getUser(poolId, victimSub);
    assert.equal(found.Username, 'victim');
    assert.equal(found.UserAttributes?.find((a) => a.Name === 'sub')?.Value, victimSub);
  });

  it('refuses usernames of the form of an email or phone alias, with AWS’s texts', async () => {
    const { clientId } = await pool({ AliasAttributes: ['email', 'phone_number'] });
    await expectAwsError(
      () => signUp(clientId, 'mallory@example.com'),
      'InvalidParameterException',
      'Username cannot be of email format, since user pool is configured for email alias.',
    );
    await expectAwsError(
      () => signUp(clientId, '+15555550123'),
      'InvalidParameterException',
      'Username cannot be of phone number format, since user pool is configured for phone_number alias.',
    );
  });

  it("refuses a username equal to another user's preferred_username, and the reverse", async () => {
    const { poolId, clientId } = await pool({ AliasAttributes: ['preferred_username'] });
    await createUser(poolId, 'alice');
    await server.client.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'alice', UserAttributes: [{ Name: 'preferred_username', Value: 'queen' }] }));
    assert.equal((await getUser(poolId, 'queen')).Username, 'alice');
    await expectAwsError(() => signUp(clientId, 'queen'), 'UsernameExistsException', 'User already exists');
    await expectAwsError(() => createUser(poolId, 'queen'), 'UsernameExistsException', 'User account already exists');
    assert.equal((await getUser(poolId, 'queen')).Username, 'alice');

    // An alias may not take another user's username either.
    await createUser(poolId, 'bob');
    await expectAwsError(
      () => server.client.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'alice', UserAttributes: [{ Name: 'preferred_username', Value: 'bob' }] })),
      'AliasExistsException',
      'An account with the preferred_username already exists.',
    );
    assert.equal((await getUser(poolId, 'bob')).Username, 'bob');
  });
});
