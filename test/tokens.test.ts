import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  ChangePasswordCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../src/app/create-app.js';
import { createConfirmedUser, createPoolWithClient, verifiedEmail } from './support/fixtures.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';
const NEW_PASSWORD = 'Battery-Staple-2';
const MINUTE = 60_000;

describe('tokens, JWKS and token-authenticated operations', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const setup = (client: Partial<CreateUserPoolClientCommandInput> = {}) =>
    createPoolWithClient(
      server.client,
      { PoolName: 'tokens', Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }] },
      { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], ...client },
    );

  const user = (poolId: string, username: string) =>
    createConfirmedUser(server.client, poolId, username, {
      temporaryPassword: 'Temp-Pass-1!',
      password: PASSWORD,
      attributes: [...verifiedEmail(username), { Name: 'name', Value: username.toUpperCase() }, { Name: 'custom:tier', Value: 'gold' }],
    });

  const signIn = async (clientId: string, username: string, password = PASSWORD) => {
    const res = await server.client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
    );
    const result = res.AuthenticationResult;
    assert.ok(result?.AccessToken && result.IdToken && result.RefreshToken);
    return { access: result.AccessToken, id: result.IdToken, refresh: result.RefreshToken, expiresIn: result.ExpiresIn };
  };

  const refresh = (clientId: string, token: string, flow: 'REFRESH_TOKEN_AUTH' | 'REFRESH_TOKEN' = 'REFRESH_TOKEN_AUTH') =>
    server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: flow, AuthParameters: { REFRESH_TOKEN: token } }));

  const getUser = (token: string) => server.client.send(new GetUserCommand({ AccessToken: token }));

  const verify = (poolId: string, token: string) =>
    jwtVerify(token, createRemoteJWKSet(new URL(`${server.url}/${poolId}/.well-known/jwks.json`)), {
      issuer: `${server.url}/${poolId}`,
      currentDate: new Date(server.clock.nowMs()),
      algorithms: ['RS256'],
    });

  it('issues Cognito-shaped ID and access tokens that verify against the pool’s JWKS', async () => {
    const { poolId, clientId } = await setup();
    await user(poolId, 'alice');
    const tokens = await signIn(clientId, 'alice');
    const now = Math.floor(server.clock.nowMs() / 1000);

    const id = (await verify(poolId, tokens.id)).payload;
    const sub = id.sub as string;
    assert.match(sub, /^[0-9a-f-]{36}$/);
    assert.equal(id.token_use, 'id');
    assert.equal(id.aud, clientId);
    assert.equal(id['cognito:username'], 'alice');
    assert.equal(id.email, 'alice@example.com');
    assert.equal(id.email_verified, true);
    assert.equal(id.name, 'ALICE');
    assert.equal(id['custom:tier'], 'gold');
    assert.equal(id.auth_time, now);
    assert.equal(id.iat, now);
    assert.equal(id.exp, now + 3600);
    assert.ok(typeof id.jti === 'string' && typeof id.origin_jti === 'string' && typeof id.event_id === 'string');

    const access = (await verify(poolId, tokens.access)).payload;
    assert.equal(access.sub, sub);
    assert.equal(access.token_use, 'access');
    assert.equal(access.client_id, clientId);
    assert.equal(access.username, 'alice');
    assert.equal(access.scope, 'aws.cognito.signin.user.admin');
    assert.equal(access.origin_jti, id.origin_jti);
    assert.equal(access.event_id, id.event_id);
    assert.equal(access.exp, now + 3600);
    assert.equal(access.aud, undefined);
    assert.equal(access.email, undefined);
    assert.notEqual(access.jti, id.jti);

    const header = decodeProtectedHeader(tokens.access);
    assert.equal(header.alg, 'RS256');
    const jwks = (await (await fetch(`${server.url}/${poolId}/.well-known/jwks.json`)).json()) as { keys: { kid: string; d?: string }[] };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]?.kid, header.kid);
    assert.equal(jwks.keys[0]?.d, undefined, 'the private exponent never leaves the server');
  });

  it('keeps the claims a client may not read out of its ID tokens, and honours its validities', async () => {
    const { poolId, clientId } = await setup({
      ReadAttributes: ['email', 'email_verified'],
      AccessTokenValidity: 10,
      IdTokenValidity: 2,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'hours' },
    });
    await user(poolId, 'bob');
    const tokens = await signIn(clientId, 'bob');
    assert.equal(tokens.expiresIn, 600);
    const id = (await verify(poolId, tokens.id)).payload;
    assert.equal(id.email, 'bob@example.com');
    assert.equal(id.name, undefined);
    assert.equal(id['custom:tier'], undefined);
    assert.equal((id.exp as number) - (id.iat as number), 7200);
    const access = (await verify(poolId, tokens.access)).payload;
    assert.equal((access.exp as number) - (access.iat as number), 600);
  });

  it('serves OpenID discovery, and 404 for an unknown pool', async () => {
    const { poolId } = await setup();
    const res = await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as Record<string, unknown>;
    assert.equal(doc.issuer, `${server.url}/${poolId}`);
    assert.equal(doc.jwks_uri, `${server.url}/${poolId}/.well-known/jwks.json`);
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
    assert.deepEqual(doc.subject_types_supported, ['public']);
    assert.ok(Array.isArray(doc.response_types_supported));
    const missing = await fetch(`${server.url}/us-east-1_nopenope1/.well-known/jwks.json`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { message: 'User pool us-east-1_nopenope1 does not exist.' });
  });

  it('uses the configured public URL as issuer, and another instance on the same store agrees on the key', async () => {
    const { poolId, clientId } = await setup();
    await user(poolId, 'carl');
    const tokens = await signIn(clientId, 'carl');
    const second = await createApp(
      { ...server.app.deps.config, port: 0, publicUrl: 'https://auth.example.com/' },
      { store: server.app.deps.store, clock: server.clock, logger: server.app.deps.logger, hasher: server.app.deps.hasher },
    );
    const port = await second.listen();
    try {
      const jwks = createRemoteJWKSet(new URL(`http://127.0.0.1:${port}/${poolId}/.well-known/jwks.json`));
      await jwtVerify(tokens.access, jwks, { currentDate: new Date(server.clock.nowMs()) });
      const res = await fetch(`http://127.0.0.1:${port}/${poolId}/.well-known/openid-configuration`);
      assert.equal(((await res.json()) as { issuer: string }).issuer, `https://auth.example.com/${poolId}`);
    } finally {
      // Not second.close(): the store belongs to the first server.
      await new Promise<void>((resolve) => second.server.close(() => resolve()));
      await second.delivery.stop();
    }
  });

  it('refreshes with the sign-in’s origin and auth_time, without a new refresh token', async () => {
    const { poolId, clientId } = await setup();
    const other = await setup();
    await user(poolId, 'dora');
    const tokens = await signIn(clientId, 'dora');
    const first = (await verify(poolId, tokens.access)).payload;
    server.clock.advance(5 * MINUTE);
    for (const flow of ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'] as const) {
      const res = await refresh(clientId, tokens.refresh, flow);
      assert.equal(res.AuthenticationResult?.RefreshToken, undefined);
      const again = (await verify(poolId, res.AuthenticationResult?.AccessToken as string)).payload;
      assert.equal(again.origin_jti, first.origin_jti);
      assert.equal(again.auth_time, first.auth_time);
      assert.equal(again.iat, (first.iat as number) + 300);
      await getUser(res.AuthenticationResult?.AccessToken as string);
    }
    const admin = await server.client.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.refresh } }),
    );
    assert.ok(admin.AuthenticationResult?.IdToken);
    await expectAwsError(() => refresh(other.clientId, tokens.refresh), 'NotAuthorizedException', 'Invalid Refresh Token.');
    await expectAwsError(() => refresh(clientId, 'not-a-token'), 'NotAuthorizedException', 'Invalid Refresh Token.');
    await expectAwsError(
      () => server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: {} })),
      'InvalidParameterException',
      'Missing required parameter REFRESH_TOKEN',
    );
  });

  it('refuses refresh for a disabled, reset or expired sign-in', async () => {
    const { poolId, clientId } = await setup({ RefreshTokenValidity: 60, TokenValidityUnits: { RefreshToken: 'minutes' } });
    await user(poolId, 'eve');
    const tokens = await signIn(clientId, 'eve');
    // A user disabled behind the API's back (AdminDisableUser also revokes the tokens).
    const store = server.app.deps.store;
    const eve = await store.getUserByUsernameKey(poolId, 'eve');
    assert.ok(eve);
    await store.updateUser({ ...eve, enabled: false });
    await expectAwsError(() => refresh(clientId, tokens.refresh), 'NotAuthorizedException', 'User is disabled.');
    await expectAwsError(() => getUser(tokens.access), 'NotAuthorizedException', 'User is disabled.');
    await store.updateUser({ ...eve, enabled: true });
    assert.ok((await refresh(clientId, tokens.refresh)).AuthenticationResult);
    server.clock.advance(60 * MINUTE);
    await expectAwsError(() => refresh(clientId, tokens.refresh), 'NotAuthorizedException', 'Refresh Token has expired');

    const fresh = await signIn(clientId, 'eve');
    await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'eve' }));
    await expectAwsError(() => refresh(clientId, fresh.refresh), 'NotAuthorizedException', 'Refresh Token has been revoked');
    await server.client.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'eve' }));
    const after = await signIn(clientId, 'eve');
    // Put in RESET_REQUIRED without revoking (AdminResetUserPassword revokes as well).
    const current = await store.getUserByUsernameKey(poolId, 'eve');
    assert.ok(current);
    await store.updateUser({ ...current, status: 'RESET_REQUIRED', passwordHash: null });
    await expectAwsError(() => refresh(clientId, after.refresh), 'PasswordResetRequiredException', 'Password reset required for the user');
    await expectAwsError(() => getUser(after.access), 'PasswordResetRequiredException', 'Password reset required for the user');
    await store.updateUser(current);
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'eve' }));
    await expectAwsError(() => refresh(clientId, after.refresh), 'NotAuthorizedException', 'Refresh Token has been revoked');
  });

  it('GetUser answers with the user’s attributes; bad and expired access tokens are refused', async () => {
    const { poolId, clientId } = await setup();
    await user(poolId, 'finn');
    const tokens = await signIn(clientId, 'finn');
    const me = await getUser(tokens.access);
    assert.equal(me.Username, 'finn');
    assert.equal(me.UserAttributes?.[0]?.Name, 'sub');
    assert.equal(me.UserAttributes?.find((a) => a.Name === 'custom:tier')?.Value, 'gold');

    await expectAwsError(() => getUser(tokens.id), 'NotAuthorizedException', 'Invalid Access Token');
    await expectAwsError(() => getUser('abc.def.ghi'), 'NotAuthorizedException', 'Invalid Access Token');
    const [h, p, s] = tokens.access.split('.') as [string, string, string];
    const forged = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    forged.username = 'mallory';
    await expectAwsError(
      () => getUser(`${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${s}`),
      'NotAuthorizedException',
      'Invalid Access Token',
    );
    server.clock.advance(60 * MINUTE - 1000);
    await getUser(tokens.access);
    server.clock.advance(1000);
    await expectAwsError(() => getUser(tokens.access), 'NotAuthorizedException', 'Access Token has expired');
  });

  it('GlobalSignOut revokes refresh tokens and earlier access tokens, not later sign-ins', async () => {
    const { poolId, clientId } = await setup();
    await user(poolId, 'gus');
    const a = await signIn(clientId, 'gus');
    const b = await signIn(clientId, 'gus');
    const refreshed = (await refresh(clientId, b.refresh)).AuthenticationResult?.AccessToken as string;
    await server.client.send(new GlobalSignOutCommand({ AccessToken: a.access }));
    for (const token of [a.access, b.access, refreshed]) {
      await expectAwsError(() => getUser(token), 'NotAuthorizedException', 'Access Token has been revoked');
    }
    await expectAwsError(() => refresh(clientId, a.refresh), 'NotAuthorizedException', 'Refresh Token has been revoked');
    await expectAwsError(() => refresh(clientId, b.refresh), 'NotAuthorizedException', 'Refresh Token has been revoked');
    const c = await signIn(clientId, 'gus');
    assert.equal((await getUser(c.access)).Username, 'gus');
  });

  it('AdminUserGlobalSignOut does the same for an administrator', async () => {
    const { poolId, clientId } = await setup();
    await user(poolId, 'hal');
    const tokens = await signIn(clientId, 'hal');
    await server.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'hal' }));
    await expectAwsError(() => getUser(tokens.access), 'NotAuthorizedException', 'Access Token has been revoked');
    await expectAwsError(() => refresh(clientId, tokens.refresh), 'NotAuthorizedException', 'Refresh Token has been revoked');
    await expectAwsError(
      () => server.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'nobody' })),
      'UserNotFoundException',
      'User does not exist.',
    );
  });

  it('a deleted user’s access tokens stop working', async () => {
    const { poolId, clientId } = await setup();
    await user(poolId, 'ida');
    const tokens = await signIn(clientId, 'ida');
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'ida' }));
    await expectAwsError(() => getUser(tokens.access), 'NotAuthorizedException', 'Access Token has been revoked');
  });

  it('RevokeToken revokes one sign-in only, checks the client secret and refuses access tokens', async () => {
    const { poolId, clientId, clientSecret } = await setup({ GenerateSecret: true });
    await user(poolId, 'jo');
    const hash = (await import('node:crypto')).createHmac('sha256', clientSecret as string).update('jo' + clientId).digest('base64');
    const adminSignIn = async () => {
      const res = await server.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'jo', PASSWORD, SECRET_HASH: hash },
        }),
      );
      return res.AuthenticationResult as { AccessToken: string; RefreshToken: string };
    };
    const one = await adminSignIn();
    const two = await adminSignIn();
    await expectAwsError(
      () => server.client.send(new RevokeTokenCommand({ ClientId: clientId, Token: one.RefreshToken, ClientSecret: 'x'.repeat(51) })),
      'UnauthorizedException',
    );
    await expectAwsError(
      () => server.client.send(new RevokeTokenCommand({ ClientId: clientId, Token: one.AccessToken, ClientSecret: clientSecret })),
      'UnsupportedTokenTypeException',
    );
    await server.client.send(new RevokeTokenCommand({ ClientId: clientId, Token: one.RefreshToken, ClientSecret: clientSecret }));
    await expectAwsError(() => getUser(one.AccessToken), 'NotAuthorizedException', 'Access Token has been revoked');
    assert.equal((await getUser(two.AccessToken)).Username, 'jo');
    await expectAwsError(
      () =>
        server.client.send(
          new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: one.RefreshToken, SECRET_HASH: hash } }),
        ),
      'NotAuthorizedException',
      'Refresh Token has been revoked',
    );
    const ok = await server.client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: two.RefreshToken, SECRET_HASH: hash } }),
    );
    assert.ok(ok.AuthenticationResult?.AccessToken);
  });

  it('ChangePassword checks the previous password and the policy', async () => {
    const { poolId, clientId } = await setup();
    await user(poolId, 'kim');
    const tokens = await signIn(clientId, 'kim');
    const change = (previous: string, proposed: string) =>
      server.client.send(new ChangePasswordCommand({ AccessToken: tokens.access, PreviousPassword: previous, ProposedPassword: proposed }));
    await expectAwsError(() => change('Wrong-Pass-1', NEW_PASSWORD), 'NotAuthorizedException', 'Incorrect username or password.');
    await expectAwsError(() => change(PASSWORD, 'alllowercase1!'), 'InvalidPasswordException', 'Password did not conform with policy: Password must have uppercase characters');
    await change(PASSWORD, NEW_PASSWORD);
    await expectAwsError(() => signIn(clientId, 'kim', PASSWORD), 'NotAuthorizedException', 'Incorrect username or password.');
    await signIn(clientId, 'kim', NEW_PASSWORD);
    // The session that changed the password stays signed in, as in Cognito.
    assert.equal((await getUser(tokens.access)).Username, 'kim');
  });

  it('ChangePassword allows five wrong previous passwords an hour', async () => {
    const { poolId, clientId } = await setup();
    await user(poolId, 'lou');
    const tokens = await signIn(clientId, 'lou');
    const change = (previous: string) =>
      server.client.send(new ChangePasswordCommand({ AccessToken: tokens.access, PreviousPassword: previous, ProposedPassword: NEW_PASSWORD }));
    for (let i = 0; i < 5; i++) await expectAwsError(() => change('Wrong-Pass-1'), 'NotAuthorizedException', 'Incorrect username or password.');
    await expectAwsError(() => change(PASSWORD), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
  });

  it('ChangePassword checks at most five previous passwords when forty guesses arrive at once', async () => {
    const { poolId, clientId } = await setup();
    await user(poolId, 'max');
    const tokens = await signIn(clientId, 'max');
    const guesses = Array.from({ length: 40 }, (_, i) =>
      server.client.send(new ChangePasswordCommand({ AccessToken: tokens.access, PreviousPassword: `Wrong-Pass-${i}`, ProposedPassword: NEW_PASSWORD })),
    );
    const names = (await Promise.allSettled(guesses)).map((r) => (r.status === 'rejected' ? (r.reason as Error).name : 'changed'));
    assert.equal(names.filter((n) => n === 'NotAuthorizedException').length, 5, names.join(' '));
    assert.equal(names.filter((n) => n === 'LimitExceededException').length, 35);
  });
});
