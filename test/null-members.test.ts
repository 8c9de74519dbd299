import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from './support/server.js';

/**
 * Null list members and null map values (security review, finding 5): every list and map of
 * the model is dense (none is @sparse), so a null inside one is a validation error, answered
 * with InvalidParameterException before any operation runs; it used to reach the operations
 * and crash them into HTTP 500s, without any credentials needed.
 *
 * Wording: Cognito reports a null list member once, on the list, e.g.
 * `Value '[null]' at 'assets' failed to satisfy constraint: Member must satisfy constraint: [Member must not be null]`
 * (CreateManagedLoginBranding, measured against the live API by hectorvent/floci); a null map
 * value breaks the map's value constraint: `Map value must satisfy constraint: [Member must not be null]`.
 */

const NULL_MEMBER = 'failed to satisfy constraint: Member must satisfy constraint: [Member must not be null]';

describe('null list members and map values are validation errors, never 500s', () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startServer();
    const pool = await server.raw('CreateUserPool', { PoolName: 'nulls' });
    poolId = (pool.body.UserPool as { Id: string }).Id;
    const client = await server.raw('CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'nulls' });
    clientId = (client.body.UserPoolClient as { ClientId: string }).ClientId;
    const user = await server.raw('AdminCreateUser', { UserPoolId: poolId, Username: 'someone', MessageAction: 'SUPPRESS' });
    assert.equal(user.status, 200, JSON.stringify(user.body));
  });

  after(async () => {
    await server.close();
  });

  async function expectInvalid(op: string, body: unknown, message: string): Promise<void> {
    const res = await server.raw(op, body);
    assert.equal(res.status, 400, `${op}: ${res.status} ${JSON.stringify(res.body)}`);
    assert.equal(res.body.__type, 'InvalidParameterException', `${op}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.message, message, op);
  }

  it('a null in UserAttributes, CustomAttributes or UserAttributeNames', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['SignUp', { ClientId: clientId, Username: 'newcomer', Password: 'Passw0rd!x', UserAttributes: [null] }, 'userAttributes'],
      ['SignUp', { ClientId: clientId, Username: 'newcomer', Password: 'Passw0rd!x', ValidationData: [null] }, 'validationData'],
      ['AdminCreateUser', { UserPoolId: poolId, Username: 'newcomer', UserAttributes: [null] }, 'userAttributes'],
      ['AdminUpdateUserAttributes', { UserPoolId: poolId, Username: 'someone', UserAttributes: [null] }, 'userAttributes'],
      ['UpdateUserAttributes', { AccessToken: 'e30.e30.c2ln', UserAttributes: [null] }, 'userAttributes'],
      ['AddCustomAttributes', { UserPoolId: poolId, CustomAttributes: [null] }, 'customAttributes'],
      ['AdminDeleteUserAttributes', { UserPoolId: poolId, Username: 'someone', UserAttributeNames: [null] }, 'userAttributeNames'],
      ['DeleteUserAttributes', { AccessToken: 'e30.e30.c2ln', UserAttributeNames: [null] }, 'userAttributeNames'],
    ];
    for (const [op, body, path] of cases) {
      await expectInvalid(op, body, `1 validation error detected: Value '[null]' at '${path}' ${NULL_MEMBER}`);
    }
  });

  it('a null beside valid members is reported once, on the list, with sensitive values redacted', async () => {
    await expectInvalid(
      'AdminDeleteUserAttributes',
      { UserPoolId: poolId, Username: 'someone', UserAttributeNames: ['email', null, null] },
      `1 validation error detected: Value '[email, null, null]' at 'userAttributeNames' ${NULL_MEMBER}`,
    );
    const res = await server.raw('AdminUpdateUserAttributes', {
      UserPoolId: poolId,
      Username: 'someone',
      UserAttributes: [{ Name: 'email', Value: 'secret@example.com' }, null],
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'InvalidParameterException');
    const message = String(res.body.message);
    assert.match(message, /^1 validation error detected: Value '\[.*, null\]' at 'userAttributes' failed to satisfy constraint: Member must satisfy constraint: \[Member must not be null\]$/);
    assert.ok(!message.includes('secret@example.com'), `a sensitive attribute value was echoed: ${message}`);
    assert.ok(message.includes('***Sensitive Data Redacted***'), message);
  });

  it('other violations inside the list are still reported beside the null', async () => {
    await expectInvalid(
      'AdminUpdateUserAttributes',
      { UserPoolId: poolId, Username: 'someone', UserAttributes: [null, { Value: 'x' }] },
      `2 validation errors detected: Value '[null, {"Value":"***Sensitive Data Redacted***"}]' at 'userAttributes' ${NULL_MEMBER}; ` +
        `Value null at 'userAttributes.2.member.name' failed to satisfy constraint: Member must not be null`,
    );
  });

  it('a null map value', async () => {
    await expectInvalid(
      'AdminCreateUser',
      { UserPoolId: poolId, Username: 'newcomer', ClientMetadata: { source: null } },
      `1 validation error detected: Value '{source=null}' at 'clientMetadata' failed to satisfy constraint: Map value must satisfy constraint: [Member must not be null]`,
    );
    await expectInvalid(
      'SignUp',
      { ClientId: clientId, Username: 'newcomer', Password: 'Passw0rd!x', ClientMetadata: { a: 'fine', b: null } },
      `1 validation error detected: Value '{a=fine, b=null}' at 'clientMetadata' failed to satisfy constraint: Map value must satisfy constraint: [Member must not be null]`,
    );
  });

  it('the same requests without the nulls reach the operations', async () => {
    const res = await server.raw('AdminDeleteUserAttributes', { UserPoolId: poolId, Username: 'someone', UserAttributeNames: ['locale'] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const meta = await server.raw('AdminCreateUser', { UserPoolId: poolId, Username: 'latecomer', MessageAction: 'SUPPRESS', ClientMetadata: { source: 'x' } });
    assert.equal(meta.status, 200, JSON.stringify(meta.body));
  });

  it('a null in AuthParameters or ChallengeResponses counts as absent, as amazon-cognito-identity-js relies on', async () => {
    const client = await server.raw('CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'pw', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    const id = (client.body.UserPoolClient as { ClientId: string }).ClientId;
    const set = await server.raw('AdminSetUserPassword', { UserPoolId: poolId, Username: 'someone', Password: 'Correct-Horse-1', Permanent: true });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    // The library's retry after a forgotten device sends DEVICE_KEY as null (CognitoUser.js).
    const res = await server.raw('AdminInitiateAuth', {
      UserPoolId: poolId,
      ClientId: id,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'someone', PASSWORD: 'Correct-Horse-1', DEVICE_KEY: null },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok((res.body.AuthenticationResult as { AccessToken?: string }).AccessToken);
  });
});
