import type { Deps } from '../../services/deps.js';
import type { ClientRecord } from '../../domain/clients/client.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import { clientSettingsOf } from '../../domain/clients/app-client.js';
import { OAuthError, allowsOAuthFlow } from '../../domain/oauth/grant.js';
import type { GrantDeps } from './token-grants.js';
import { hostedSignInTokens } from './hosted-sign-in-tokens.js';

/**
 * The implicit grant (response_type=token, RFC 6749 §4.2; cognito-facts-areas.md §4.2): the
 * tokens of a sign-in go straight into the redirect's fragment: access_token, id_token (only
 * with openid), token_type, expires_in; never a refresh token. The sign-in still gets its
 * record (the refresh token's row, whose token is thrown away unread), so userInfo, RevokeToken
 * of the sign-in and GlobalSignOut treat these access tokens as they treat the code grant's.
 */
export async function implicitGrant(
  deps: Pick<Deps, GrantDeps>,
  pool: PoolRecord,
  client: ClientRecord,
  userSub: string,
  request: { scopes: readonly string[]; nonce?: string | undefined },
  baseUrl: string,
): Promise<Record<string, string>> {
  if (!allowsOAuthFlow(clientSettingsOf(client), 'implicit')) throw new OAuthError('unauthorized_client');
  const tokens = await hostedSignInTokens(deps, pool, client, userSub, { scopes: request.scopes, nonce: request.nonce }, baseUrl);
  if (!tokens) throw new OAuthError('access_denied');
  return {
    access_token: tokens.access_token,
    ...(tokens.id_token !== undefined && { id_token: tokens.id_token }),
    token_type: tokens.token_type,
    expires_in: String(tokens.expires_in),
  };
}
