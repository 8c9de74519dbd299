import { CreateUserPoolCommand, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

describe('AWS JSON 1.1 protocol', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('creates and describes a pool through the SDK', async () => {
    const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'p1' }));
    const id = created.UserPool?.Id ?? '';
    assert.match(id, /^us-east-1_[0-9A-Za-z]{9}$/);
    assert.equal(created.UserPool?.Arn, `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${id}`);
    const described = await server.client.send(new DescribeUserPoolCommand({ UserPoolId: id }));
    assert.equal(described.UserPool?.Name, 'p1');
    assert.ok(described.UserPool?.CreationDate instanceof Date);
    assert.equal(described.UserPool?.CreationDate?.getTime(), server.clock.nowMs());
    assert.equal(described.UserPool?.Policies?.PasswordPolicy?.MinimumLength, 8);
    assert.ok(described.$metadata.requestId);
  });

  it('answers an unknown pool with ResourceNotFoundException', async () => {
    await expectAwsError(
      () => server.client.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_nope' })),
      'ResourceNotFoundException',
      'User pool us-east-1_nope does not exist.',
    );
  });

  it('reports a null required member in AWS words', async () => {
    const res = await server.raw('DescribeUserPool', {});
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      __type: 'InvalidParameterException',
      message: "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null",
    });
    assert.equal(res.headers.get('x-amzn-errortype'), 'InvalidParameterException');
    assert.ok(res.headers.get('x-amzn-requestid'));
  });

  it('reports a bad pool id with the pattern, without anchors', async () => {
    const res = await server.raw('DescribeUserPool', { UserPoolId: 'YOUR_USER_POOL_ID!' });
    assert.equal(
      res.body.message,
      "1 validation error detected: Value 'YOUR_USER_POOL_ID!' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
    );
  });

  it('omits sensitive values and counts several violations', async () => {
    const res = await server.raw('AdminGetUser', { UserPoolId: 'us-east-1_x', Username: 'a'.repeat(129) });
    assert.equal(res.status, 400);
    assert.equal(
      res.body.message,
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128",
    );
    const two = await server.raw('AdminGetUser', {});
    assert.match(String(two.body.message), /^2 validation errors detected: Value null at 'userPoolId'.*; Value null at 'username'/);
  });

  it('answers malformed JSON and wrong types with SerializationException', async () => {
    for (const body of ['{', '[]', '"x"', '{"UserPoolId": 5}']) {
      const res = await server.raw('DescribeUserPool', body);
      assert.equal(res.status, 400, body);
      assert.equal(res.body.__type, 'SerializationException', body);
    }
  });

  it('answers an unknown target with UnknownOperationException', async () => {
    const res = await server.raw('NoSuchThing', {});
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'UnknownOperationException');
    // Saying what arrived: a typo in a hand-written call is found at once.
    assert.equal(res.body.message, 'Unknown operation: received X-Amz-Target "AWSCognitoIdentityProviderService.NoSuchThing"; expected AWSCognitoIdentityProviderService.<Operation>.');
    const missing = await fetch(server.url + '/', { method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.1' }, body: '{}' });
    assert.equal(missing.status, 400);
    assert.deepEqual(await missing.json(), {
      __type: 'UnknownOperationException',
      message: 'No X-Amz-Target header was received; expected AWSCognitoIdentityProviderService.<Operation>.',
    });
  });

  it('takes an empty body as {}', async () => {
    const res = await server.raw('ListUserPools', '');
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'InvalidParameterException');
    assert.match(String(res.body.message), /Value null at 'maxResults'/);
  });

  it('refuses a body over 1 MiB', async () => {
    const res = await server.raw('DescribeUserPool', JSON.stringify({ UserPoolId: 'x'.repeat(1024 * 1024 + 10) }));
    assert.equal(res.status, 413);
    assert.equal(res.body.__type, 'SerializationException');
  });

  it('answers CORS preflight', async () => {
    const res = await fetch(server.url + '/', {
      method: 'OPTIONS',
      headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-amz-target,content-type' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /x-amz-target/);
  });
});
