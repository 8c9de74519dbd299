import {
  AdminResetUserPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { decodeJwt } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';
const MINUTE = 60_000;

/** GetTokensFromRefreshToken, the refresh Amplify v6 makes, through the SDK and through Amplify itself. */
describe('sessions that last: GetTokensFromRefreshToken', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  async function signedIn(clientOptions: Parameters<typeof createPoolWithClient>[2] = {}) {
    const setup = await createPoolWithClient(server.client, { PoolName: 'sessions' }, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], ...clientOptions });
    await createConfirmedUser(server.client, setup.poolId, 'eve', { password: PASSWORD });
    const secretHash: Record<string, string> = setup.clientSecret === undefined ? {} : { SECRET_HASH: await secretHashOf(setup.clientId, setup.clientSecret, 'eve') };
    const out = await server.client.send(
      new InitiateAuthCommand({ ClientId: setup.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'eve', PASSWORD, ...secretHash } }),
    );
    return { ...setup, tokens: out.AuthenticationResult ?? assert.fail('no tokens') };
  }

  it('gives new ID and access tokens of the same sign-in, and no new refresh token (no rotation)', async () => {
    const { clientId, tokens } = await signedIn();
    server.clock.advance(30 * MINUTE);
    const out = await server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken }));
    const result = out.AuthenticationResult ?? assert.fail('no result');
    assert.equal(result.RefreshToken, undefined);
    assert.equal(result.TokenType, 'Bearer');
    assert.equal(result.ExpiresIn, 3600);
    const [before, after] = [decodeJwt(tokens.AccessToken as string), decodeJwt(result.AccessToken as string)];
    assert.equal(after.iat, (before.iat as number) + 30 * 60);
    assert.equal(after.auth_time, before.auth_time);
    assert.equal(after.origin_jti, before.origin_jti);
    assert.equal(decodeJwt(result.IdToken as string)['cognito:username'], 'eve');
  });

  it('needs the secret of a confidential client, and refuses another client, revoked, expired and made-up tokens', async () => {
    const { clientId, clientSecret, tokens } = await signedIn({ GenerateSecret: true });
    const refresh = tokens.RefreshToken as string;
    const denied = `Unable to verify secret hash for client ${clientId}`;
    await expectAwsError(() => server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refresh })), 'NotAuthorizedException', denied);
    await expectAwsError(
      () => server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refresh, ClientSecret: 'w'.repeat(51) })),
      'NotAuthorizedException',
      denied,
    );
    const ok = await server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refresh, ClientSecret: clientSecret }));
    assert.ok(ok.AuthenticationResult?.AccessToken);

    const other = await signedIn();
    await expectAwsError(
      () => server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: other.clientId, RefreshToken: refresh })),
      'NotAuthorizedException',
      'Invalid Refresh Token.',
    );
    await expectAwsError(
      () => server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: other.clientId, RefreshToken: 'not-a-token' })),
      'NotAuthorizedException',
      'Invalid Refresh Token.',
    );
    await expectAwsError(
      () => server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: '1example23456789012345678', RefreshToken: refresh })),
      'ResourceNotFoundException',
    );

    await server.client.send(new RevokeTokenCommand({ ClientId: other.clientId, Token: other.tokens.RefreshToken as string }));
    await expectAwsError(
      () => server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: other.clientId, RefreshToken: other.tokens.RefreshToken as string })),
      'NotAuthorizedException',
      'Refresh Token has been revoked',
    );

    server.clock.advance(30 * 24 * 60 * MINUTE);
    await expectAwsError(
      () => server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refresh, ClientSecret: clientSecret })),
      'NotAuthorizedException',
      'Refresh Token has expired',
    );
  });

  it('refuses a client that does not allow refresh, and a user whose password an administrator reset', async () => {
    const noRefresh = await signedIn({ ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] });
    await expectAwsError(
      () => server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: noRefresh.clientId, RefreshToken: noRefresh.tokens.RefreshToken })),
      'InvalidParameterException',
      'REFRESH_TOKEN_AUTH flow not enabled for this client',
    );
    const { poolId, clientId, tokens } = await signedIn();
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'eve' }));
    await expectAwsError(
      () => server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken })),
      'NotAuthorizedException',
      'Refresh Token has been revoked',
    );
  });

  it('Amplify v6 refreshes a session on fetchAuthSession({ forceRefresh: true })', async () => {
    // Amplify stamps SRP timestamps and judges expiry by the real clock (corrected by the drift it
    // measures at sign-in, so a pinned server clock cannot make its tokens look expired to it):
    // its refresh on expiry is the same GetTokensFromRefreshToken call as a forced one.
    server.clock.set(Date.now());
    const { poolId, clientId } = await createPoolWithClient(server.client, { PoolName: 'amplify-sessions' }, { ClientName: 'web' });
    Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: server.url } } });
    await createConfirmedUser(server.client, poolId, 'finn', { password: PASSWORD });

    assert.equal((await signIn({ username: 'finn', password: PASSWORD })).isSignedIn, true);
    const first = await fetchAuthSession();
    server.clock.advance(10 * MINUTE);
    const forced = await fetchAuthSession({ forceRefresh: true });
    assert.equal(forced.tokens?.idToken?.payload['cognito:username'], 'finn');
    assert.equal((forced.tokens?.accessToken.payload.iat ?? 0) - (first.tokens?.accessToken.payload.iat ?? 0), 600);
    // Past the access token's hour, the refresh token still renews the session.
    server.clock.advance(2 * 60 * MINUTE);
    const later = await fetchAuthSession({ forceRefresh: true });
    assert.ok((later.tokens?.accessToken.payload.exp ?? 0) * 1000 > server.clock.nowMs());
    await signOut();
  });
});

async function secretHashOf(clientId: string, secret: string, username: string): Promise<string> {
  const { createHmac } = await import('node:crypto');
  return createHmac('sha256', secret).update(username + clientId).digest('base64');
}

describe('refresh token rotation (RefreshTokenRotationType)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  async function rotatingClient(graceSeconds: number | undefined) {
    const { poolId, clientId } = await createPoolWithClient(
      server.client,
      { PoolName: 'rotation' },
      {
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        RefreshTokenRotation: { Feature: 'ENABLED', ...(graceSeconds !== undefined && { RetryGracePeriodSeconds: graceSeconds }) },
      },
    );
    await createConfirmedUser(server.client, poolId, 'rita', { password: PASSWORD });
    const out = await server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rita', PASSWORD } }));
    return { clientId, tokens: out.AuthenticationResult ?? assert.fail('no tokens') };
  }
  const refresh = (clientId: string, token: string) => server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: token }));

  it('answers each refresh with a new refresh token of the same sign-in and lifetime, and refuses the replaced one', async () => {
    const { clientId, tokens } = await rotatingClient(0);
    const first = tokens.RefreshToken as string;
    server.clock.advance(10 * MINUTE);
    const rotated = (await refresh(clientId, first)).AuthenticationResult ?? assert.fail('no result');
    const second = rotated.RefreshToken ?? assert.fail('no new refresh token');
    assert.notEqual(second, first);
    assert.equal(decodeJwt(rotated.AccessToken as string).auth_time, decodeJwt(tokens.AccessToken as string).auth_time);
    // No grace: the replaced token is refused at once; the new one works, and rotates in turn.
    await expectAwsError(() => refresh(clientId, first), 'RefreshTokenReuseException');
    const third = (await refresh(clientId, second)).AuthenticationResult?.RefreshToken ?? assert.fail('no third token');
    assert.notEqual(third, second);
    // The lifetime counts from the sign-in (30 days), not from each rotation.
    server.clock.advance(30 * 24 * 60 * MINUTE - 10 * MINUTE);
    await expectAwsError(() => refresh(clientId, third), 'NotAuthorizedException', 'Refresh Token has expired');
  });

  it('lets a replaced token retry within the grace period, not after it', async () => {
    const { clientId, tokens } = await rotatingClient(30);
    const first = tokens.RefreshToken as string;
    await refresh(clientId, first);
    server.clock.advance(29_000);
    const retried = await refresh(clientId, first);
    assert.ok(retried.AuthenticationResult?.RefreshToken);
    server.clock.advance(2_000);
    await expectAwsError(() => refresh(clientId, first), 'RefreshTokenReuseException');
  });

  it('refuses REFRESH_TOKEN_AUTH for a client that rotates, as AWS does', async () => {
    const { clientId, tokens } = await rotatingClient(undefined);
    await expectAwsError(
      () => server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken as string } })),
      'InvalidParameterException',
      'REFRESH_TOKEN_AUTH is not available to an app client with refresh token rotation enabled: use GetTokensFromRefreshToken.',
    );
  });
});
