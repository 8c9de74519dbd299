import { decodeJwt } from 'jose';
import type { Deps } from '../../services/deps.js';
import type { ClientRecord } from '../../domain/clients/client.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import { allowsAuthFlow, clientSettingsOf, tokenValiditySeconds } from '../../domain/clients/app-client.js';
import { OAuthError, allowsOAuthFlow, clientCredentialsScopes, verifierMatches } from '../../domain/oauth/grant.js';
import { issueTokens, refreshTokenDigest, signPoolToken, issuerOf, type TokenIssuerDeps } from '../../services/tokens/tokens.js';
import { poolCustomScopes } from '../../services/oauth/client-oauth.js';
import { consumeCode } from './authorization-code.js';
import { hostedSignInTokens, userWhoMaySignIn, type SignInTokens } from './hosted-sign-in-tokens.js';

/** The token endpoint's success body (RFC 6749 §5.1; cognito-facts-areas.md §4.4). */
export type TokenResponse = SignInTokens;

export type GrantDeps = TokenIssuerDeps | 'secrets' | 'clock' | 'store';

/**
 * client_credentials: a confidential client whose only flow it is gets an access token with its
 * custom scopes, and nothing else: no ID token, no refresh token, no user claims (§1.4, §4.4).
 * `sub` is the client id: AWS documents no value (its tokens show the client id; unverified).
 */
export async function clientCredentialsGrant(deps: Pick<Deps, GrantDeps>, pool: PoolRecord, client: ClientRecord, scope: string | undefined, baseUrl: string): Promise<TokenResponse> {
  const settings = clientSettingsOf(client);
  if (client.clientSecrets.length === 0 || !allowsOAuthFlow(settings, 'client_credentials')) throw new OAuthError('unauthorized_client');
  const scopes = clientCredentialsScopes(scope, settings, await poolCustomScopes(deps.store, pool.id));
  const lifetime = tokenValiditySeconds(settings).access;
  const now = Math.floor(deps.clock.nowMs() / 1000);
  const accessToken = await signPoolToken(
    deps,
    pool.id,
    { sub: client.id, token_use: 'access', scope: scopes.join(' '), auth_time: now, iss: issuerOf(deps, baseUrl, pool.id), version: 2, client_id: client.id },
    lifetime,
  );
  return { access_token: accessToken, expires_in: lifetime, token_type: 'Bearer' };
}

/**
 * authorization_code: the code is used once, whatever follows; it must be this client's, with
 * the same redirect_uri, and the PKCE verifier when the authorize request sent a challenge
 * (RFC 7636 §4.6). The user must still be able to sign in. Then the tokens of a sign-in, with
 * the granted scopes (an ID token only with openid) and the nonce.
 */
export async function authorizationCodeGrant(
  deps: Pick<Deps, GrantDeps>,
  pool: PoolRecord,
  client: ClientRecord,
  form: { code: string | undefined; redirectUri: string | undefined; codeVerifier: string | undefined },
  baseUrl: string,
): Promise<TokenResponse> {
  if (!allowsOAuthFlow(clientSettingsOf(client), 'code')) throw new OAuthError('unauthorized_client');
  if (form.code === undefined || form.code === '') throw new OAuthError('invalid_request', 'code is required');
  if (form.redirectUri === undefined) throw new OAuthError('invalid_request', 'redirect_uri is required');
  const grant = await consumeCode(deps, form.code);
  if (!grant || grant.poolId !== pool.id || grant.clientId !== client.id || grant.redirectUri !== form.redirectUri) throw new OAuthError('invalid_grant');
  if (grant.challenge !== undefined && (form.codeVerifier === undefined || !verifierMatches(form.codeVerifier, grant.challenge))) throw new OAuthError('invalid_grant');
  const tokens = await hostedSignInTokens(deps, pool, client, grant.userSub, { scopes: grant.scopes, nonce: grant.nonce }, baseUrl);
  if (!tokens) throw new OAuthError('invalid_grant');
  const originJti = decodeJwt(tokens.access_token).origin_jti as string;
  await deps.store.putGrantScopes({
    originJti,
    poolId: pool.id,
    scopes: grant.scopes,
    expiresAt: deps.clock.nowMs() + tokenValiditySeconds(clientSettingsOf(client)).refresh * 1000,
  }, deps.clock.nowMs());
  return tokens;
}

/**
 * refresh_token: a live refresh token of this client gives new ID and access tokens with the
 * sign-in's scopes (an API sign-in's: aws.cognito.signin.user.admin) and no new refresh token
 * (rotation belongs to GetTokensFromRefreshToken, §3.7). Anything wrong with it is invalid_grant.
 */
export async function refreshTokenGrant(deps: Pick<Deps, GrantDeps>, pool: PoolRecord, client: ClientRecord, refreshToken: string | undefined, baseUrl: string): Promise<TokenResponse> {
  if (refreshToken === undefined || refreshToken === '') throw new OAuthError('invalid_request', 'refresh_token is required');
  if (!allowsAuthFlow(clientSettingsOf(client), 'REFRESH_TOKEN_AUTH')) throw new OAuthError('unauthorized_client');
  const record = await deps.store.getRefreshToken(refreshTokenDigest(deps, refreshToken));
  if (!record || record.clientId !== client.id || record.poolId !== pool.id || record.revokedAt !== null || deps.clock.nowMs() >= record.expiresAt) {
    throw new OAuthError('invalid_grant');
  }
  // A sign-in on a remembered-devices device refreshes only through the API with its device key:
  // the token endpoint cannot refresh it (cognito-facts-areas.md 3.5, DOC DG:token-endpoint).
  if (record.deviceKey) throw new OAuthError('invalid_grant');
  const user = await userWhoMaySignIn(deps, pool.id, record.userSub);
  if (!user) throw new OAuthError('invalid_grant');
  const scopes = await deps.store.grantScopes(record.originJti);
  const tokens = await issueTokens(deps, {
    pool,
    client,
    user,
    baseUrl,
    refreshOf: { authTime: record.authTime, originJti: record.originJti },
    ...(scopes && { oauth: { scopes } }),
    trigger: { source: 'TokenGeneration_RefreshTokens' },
  });
  return {
    access_token: tokens.AccessToken as string,
    ...((!scopes || scopes.includes('openid')) && { id_token: tokens.IdToken as string }),
    token_type: 'Bearer',
    expires_in: tokens.ExpiresIn as number,
  };
}
