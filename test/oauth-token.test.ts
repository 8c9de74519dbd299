import {
  AdminDisableUserCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolDomainCommand,
  InitiateAuthCommand,
  UpdateResourceServerCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

describe('OAuth 2.0 token, revocation and userInfo endpoints', () => {
  let server: TestServer;
  let poolId: string;
  let m2m: { id: string; secret: string };
  let web: { id: string };
  const endpoint = (path: string) => `${server.url}/${poolId}${path}`;
  const post = async (path: string, form: Record<string, string> | string, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(endpoint(path), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  };
  const basic = (id: string, secret: string) => ({ Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });
  const expectError = (answer: Answer, status: number, error: string) => {
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.equal(answer.body.error, error);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
  };

  before(async () => {
    // Open mode answers only loopback Host names unless told otherwise (docs/oauth.md): the
    // Host-routed domain test needs a foreign one.
    server = await startServer({ config: { insecureOpen: true } });
    const made = await createPoolWithClient(server.client, { PoolName: 'oauth' }, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    poolId = made.poolId;
    web = { id: made.clientId };
    await server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'token-tests' }));
    await server.client.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: 'https://api.example.com',
        Name: 'API',
        Scopes: [
          { ScopeName: 'read', ScopeDescription: 'r' },
          { ScopeName: 'write', ScopeDescription: 'w' },
        ],
      }),
    );
    const client = await server.client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'm2m',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: ['https://api.example.com/read', 'https://api.example.com/write'],
      }),
    );
    m2m = { id: client.UserPoolClient?.ClientId as string, secret: client.UserPoolClient?.ClientSecret as string };
    await createConfirmedUser(server.client, poolId, 'alice', { password: PASSWORD });
  });
  after(() => server.close());

  describe('client_credentials', () => {
    it('gives an access token with the resource-server scopes only: no ID or refresh token, no user claims', async () => {
      const answer = await post('/oauth2/token', { grant_type: 'client_credentials', scope: 'https://api.example.com/read' }, basic(m2m.id, m2m.secret));
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.token_type, 'Bearer');
      assert.equal(answer.body.expires_in, 3600);
      assert.equal(answer.body.id_token, undefined);
      assert.equal(answer.body.refresh_token, undefined);
      assert.equal(answer.headers.get('cache-control'), 'no-store');
      const jwks = createRemoteJWKSet(new URL(`${server.url}/${poolId}/.well-known/jwks.json`));
      const { payload } = await jwtVerify(answer.body.access_token as string, jwks, { issuer: `${server.url}/${poolId}`, currentDate: new Date(server.clock.nowMs()) });
      assert.equal(payload.token_use, 'access');
      assert.equal(payload.scope, 'https://api.example.com/read');
      assert.equal(payload.client_id, m2m.id);
      assert.equal(payload.username, undefined);
      assert.equal(payload['cognito:groups'], undefined);
    });

    it('grants all of the client\'s custom scopes when none is asked for, and form credentials work too', async () => {
      const answer = await post('/oauth2/token', { grant_type: 'client_credentials', client_id: m2m.id, client_secret: m2m.secret });
      assert.equal(answer.status, 200);
      assert.equal(decodeJwt(answer.body.access_token as string).scope, 'https://api.example.com/read https://api.example.com/write');
    });

    it('drops a scope deleted from its server', async () => {
      await server.client.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API', Scopes: [{ ScopeName: 'read', ScopeDescription: 'r' }] }));
      try {
        const answer = await post('/oauth2/token', { grant_type: 'client_credentials' }, basic(m2m.id, m2m.secret));
        assert.equal(decodeJwt(answer.body.access_token as string).scope, 'https://api.example.com/read');
        expectError(await post('/oauth2/token', { grant_type: 'client_credentials', scope: 'https://api.example.com/write' }, basic(m2m.id, m2m.secret)), 400, 'invalid_scope');
      } finally {
        await server.client.send(
          new UpdateResourceServerCommand({
            UserPoolId: poolId,
            Identifier: 'https://api.example.com',
            Name: 'API',
            Scopes: [
              { ScopeName: 'read', ScopeDescription: 'r' },
              { ScopeName: 'write', ScopeDescription: 'w' },
            ],
          }),
        );
      }
    });

    it('refuses a wrong secret (401 with Basic, 400 in the form), an unknown client, an unknown scope, and clients without the flow', async () => {
      const wrong = await post('/oauth2/token', { grant_type: 'client_credentials' }, basic(m2m.id, 'not-the-secret'));
      expectError(wrong, 401, 'invalid_client');
      assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic /);
      expectError(await post('/oauth2/token', { grant_type: 'client_credentials', client_id: m2m.id, client_secret: 'nope' }), 400, 'invalid_client');
      expectError(await post('/oauth2/token', { grant_type: 'client_credentials', client_id: m2m.id }), 400, 'invalid_client');
      expectError(await post('/oauth2/token', { grant_type: 'client_credentials' }, basic('unknownclient', 'x')), 401, 'invalid_client');
      expectError(await post('/oauth2/token', { grant_type: 'client_credentials', scope: 'https://api.example.com/delete' }, basic(m2m.id, m2m.secret)), 400, 'invalid_scope');
      expectError(await post('/oauth2/token', { grant_type: 'client_credentials', scope: 'openid' }, basic(m2m.id, m2m.secret)), 400, 'invalid_scope');
      expectError(await post('/oauth2/token', { grant_type: 'client_credentials', client_id: web.id }), 400, 'unauthorized_client');
      expectError(await post('/oauth2/token', { grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://a.example/' }, basic(m2m.id, m2m.secret)), 400, 'unauthorized_client');
    });
  });

  describe('refresh_token and revoke', () => {
    const signIn = async () =>
      (await server.client.send(new InitiateAuthCommand({ ClientId: web.id, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } }))).AuthenticationResult;

    it("refreshes an API sign-in's token with its own scope and no new refresh token; revoke ends it; revoking again still answers 200", async () => {
      const tokens = await signIn();
      const refreshed = await post('/oauth2/token', { grant_type: 'refresh_token', client_id: web.id, refresh_token: tokens?.RefreshToken as string });
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      assert.equal(refreshed.body.refresh_token, undefined);
      assert.equal(decodeJwt(refreshed.body.access_token as string).scope, 'aws.cognito.signin.user.admin');
      assert.equal(decodeJwt(refreshed.body.id_token as string)['cognito:username'], 'alice');
      const revoked = await post('/oauth2/revoke', { token: tokens?.RefreshToken as string, client_id: web.id });
      assert.equal(revoked.status, 200);
      assert.deepEqual(revoked.body, {});
      expectError(await post('/oauth2/token', { grant_type: 'refresh_token', client_id: web.id, refresh_token: tokens?.RefreshToken as string }), 400, 'invalid_grant');
      assert.equal((await post('/oauth2/revoke', { token: tokens?.RefreshToken as string, client_id: web.id })).status, 200);
      assert.equal((await post('/oauth2/revoke', { token: 'never-issued', client_id: web.id })).status, 200);
    });

    it("refuses another client's refresh token, an unknown one, a disabled user's, and a JWT to revoke", async () => {
      const tokens = await signIn();
      expectError(await post('/oauth2/token', { grant_type: 'refresh_token', refresh_token: tokens?.RefreshToken as string }, basic(m2m.id, m2m.secret)), 400, 'invalid_grant');
      expectError(await post('/oauth2/token', { grant_type: 'refresh_token', client_id: web.id, refresh_token: 'garbage' }), 400, 'invalid_grant');
      expectError(await post('/oauth2/token', { grant_type: 'refresh_token', client_id: web.id }), 400, 'invalid_request');
      expectError(await post('/oauth2/revoke', { token: tokens?.AccessToken as string, client_id: web.id }), 400, 'unsupported_token_type');
      expectError(await post('/oauth2/revoke', { client_id: web.id }), 400, 'invalid_request');
      expectError(await post('/oauth2/revoke', { token: 'x' }, basic(m2m.id, 'wrong')), 401, 'invalid_client');
      await createConfirmedUser(server.client, poolId, 'bob', { password: PASSWORD });
      const bobs = (await server.client.send(new InitiateAuthCommand({ ClientId: web.id, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bob', PASSWORD } }))).AuthenticationResult;
      await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'bob' }));
      expectError(await post('/oauth2/token', { grant_type: 'refresh_token', client_id: web.id, refresh_token: bobs?.RefreshToken as string }), 400, 'invalid_grant');
    });
  });

  describe('userInfo', () => {
    it('refuses a missing bearer token (400) and tokens without openid, forged or of API sign-ins (401), with AWS\'s WWW-Authenticate', async () => {
      const none = await fetch(endpoint('/oauth2/userInfo'));
      assert.equal(none.status, 400);
      assert.match(none.headers.get('www-authenticate') ?? '', /error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"/);
      const api = (await server.client.send(new InitiateAuthCommand({ ClientId: web.id, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } }))).AuthenticationResult;
      const m2mToken = (await post('/oauth2/token', { grant_type: 'client_credentials' }, basic(m2m.id, m2m.secret))).body.access_token as string;
      for (const token of [api?.AccessToken as string, m2mToken, 'a.b.c', 'x'.repeat(5000)]) {
        const res = await fetch(endpoint('/oauth2/userInfo'), { headers: { Authorization: `Bearer ${token}` } });
        assert.equal(res.status, 401);
        assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token", error_description="Access token is expired, disabled, or deleted, or the user has globally signed out\."/);
        assert.equal(((await res.json()) as { error: string }).error, 'invalid_token');
      }
    });
  });

  describe('bad input never answers 500', () => {
    it('answers OAuth errors to malformed forms, repeated and huge parameters, wrong types and methods', async () => {
      expectError(await post('/oauth2/token', {}), 400, 'invalid_request');
      expectError(await post('/oauth2/token', { client_id: web.id }), 400, 'invalid_request');
      expectError(await post('/oauth2/token', { grant_type: 'password', client_id: web.id }), 400, 'unsupported_grant_type');
      expectError(await post('/oauth2/token', 'grant_type=client_credentials&grant_type=refresh_token&client_id=x'), 400, 'invalid_request');
      expectError(await post('/oauth2/token', '%%%&&&==='), 400, 'invalid_request');
      expectError(await post('/oauth2/token', { grant_type: 'client_credentials' }, { Authorization: 'Basic !!!notbase64' }), 401, 'invalid_client');
      expectError(await post('/oauth2/token', { grant_type: 'client_credentials' }, { Authorization: 'Basic ' + Buffer.from('%zz:%zz').toString('base64') }), 401, 'invalid_client');
      expectError(await post('/oauth2/token', { grant_type: 'authorization_code', client_id: web.id, code: 'x'.repeat(20_000), redirect_uri: 'https://a/' }), 413, 'invalid_request');
      const json = await fetch(endpoint('/oauth2/token'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      assert.equal(json.status, 415);
      assert.equal(((await json.json()) as { error: string }).error, 'invalid_request');
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await fetch(endpoint('/oauth2/token'), { method });
        assert.equal(res.status, 405);
        assert.equal(res.headers.get('allow'), 'POST');
        assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
      }
      assert.equal((await fetch(endpoint('/oauth2/revoke'))).status, 405);
    });

    it('has no endpoints for an unknown pool or a pool without a domain', async () => {
      const bare = await createPoolWithClient(server.client, { PoolName: 'bare' });
      for (const id of [bare.poolId, 'us-east-1_nothere']) {
        const res = await fetch(`${server.url}/${id}/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
        assert.equal(res.status, 404);
      }
    });

    it('serves a domain by its Host: the prefix under amazoncognito.com', async () => {
      const viaHost = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request(
            { host: '127.0.0.1', port: server.port, path: '/oauth2/token', method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Host: host, ...basic(m2m.id, m2m.secret) } },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('error', reject);
          req.end('grant_type=client_credentials');
        });
      assert.equal(await viaHost('token-tests.auth.us-east-1.amazoncognito.com'), 200);
      assert.equal(await viaHost('TOKEN-TESTS.auth.us-east-1.amazoncognito.com:443'), 200);
      // A custom domain answers by its own name; its name under amazoncognito.com does not.
      await server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'auth.tokens.example', CustomDomainConfig: { CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/c' } }));
      assert.equal(await viaHost('auth.tokens.example'), 200);
      assert.equal(await viaHost('auth.tokens.example.auth.us-east-1.amazoncognito.com'), 404);
      assert.equal(await viaHost(`127.0.0.1:${server.port}`), 404);
      assert.equal(await viaHost('other.auth.us-east-1.amazoncognito.com'), 404);
    });
  });
});
