import type { Deps } from '../../services/deps.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import { clientSettingsOf } from '../../domain/clients/app-client.js';
import { readableAttributes } from '../../domain/auth/sign-in.js';
import { OAuthError, parseScopes, userInfoAttributes } from '../../domain/oauth/grant.js';
import { verifyPoolToken } from '../../services/tokens/tokens.js';

/**
 * GET /oauth2/userInfo (§4.4): a live access token of this pool with the openid scope, whose
 * sign-in is not revoked and whose user can still sign in, gives `sub` and the attributes its
 * client may read. A token without openid (InitiateAuth's, client_credentials') is refused.
 */
export async function userInfo(deps: Pick<Deps, 'store' | 'clock'>, pool: PoolRecord, token: string): Promise<Record<string, string>> {
  const verified = await verifyPoolToken(deps, token);
  if (verified === 'invalid' || verified === 'expired' || verified.poolId !== pool.id) throw new OAuthError('invalid_token');
  const claims = verified.claims;
  if (claims.token_use !== 'access' || typeof claims.sub !== 'string' || typeof claims.origin_jti !== 'string' || typeof claims.scope !== 'string') {
    throw new OAuthError('invalid_token');
  }
  const scopes = parseScopes(claims.scope);
  if (!scopes.includes('openid')) throw new OAuthError('invalid_token');
  const origin = await deps.store.getRefreshTokenByOrigin(claims.origin_jti);
  if (!origin || origin.revokedAt !== null || origin.userSub !== claims.sub) throw new OAuthError('invalid_token');
  const [client, user] = await Promise.all([deps.store.getClient(origin.clientId), deps.store.getUserBySub(pool.id, claims.sub)]);
  if (!client || client.poolId !== pool.id || !user || !user.enabled) throw new OAuthError('invalid_token');
  return { ...userInfoAttributes(scopes, readableAttributes(clientSettingsOf(client), user.attributes)), sub: user.sub, username: user.username };
}
