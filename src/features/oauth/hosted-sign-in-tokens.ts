import type { Deps } from '../../services/deps.js';
import type { ClientRecord } from '../../domain/clients/client.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { UserRecord } from '../../domain/users/user.js';
import { issueTokens, type TokenIssuerDeps } from '../../services/tokens/tokens.js';

/** The tokens of a sign-in as the OAuth 2.0 endpoints answer them (RFC 6749 §5.1). */
export interface SignInTokens {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** The user of a grant if they may still get tokens: they exist, are enabled and need no password reset. */
export async function userWhoMaySignIn(deps: Pick<Deps, 'store'>, poolId: string, userSub: string): Promise<UserRecord | undefined> {
  const user = await deps.store.getUserBySub(poolId, userSub);
  return user && user.enabled && user.status !== 'RESET_REQUIRED' ? user : undefined;
}

/**
 * The tokens of a managed-login sign-in, as the authorization code grant and the implicit grant
 * give them (TokenGeneration_HostedAuth): the authorize request's scopes and nonce, an ID token
 * only with openid, the refresh token when the sign-in has one. Undefined when the user may no
 * longer sign in (each grant answers that with its own error).
 */
export async function hostedSignInTokens(
  deps: Pick<Deps, TokenIssuerDeps | 'store'>,
  pool: PoolRecord,
  client: ClientRecord,
  userSub: string,
  oauth: { scopes: readonly string[]; nonce?: string | undefined },
  baseUrl: string,
): Promise<SignInTokens | undefined> {
  const user = await userWhoMaySignIn(deps, pool.id, userSub);
  if (!user) return undefined;
  const tokens = await issueTokens(deps, { pool, client, user, baseUrl, oauth, trigger: { source: 'TokenGeneration_HostedAuth' } });
  return {
    access_token: tokens.AccessToken as string,
    ...(oauth.scopes.includes('openid') && { id_token: tokens.IdToken as string }),
    ...(tokens.RefreshToken !== undefined && { refresh_token: tokens.RefreshToken }),
    token_type: 'Bearer',
    expires_in: tokens.ExpiresIn as number,
  };
}
