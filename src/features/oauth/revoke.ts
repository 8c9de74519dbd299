import type { Deps } from '../../services/deps.js';
import type { ClientRecord } from '../../domain/clients/client.js';
import { clientSettingsOf } from '../../domain/clients/app-client.js';
import { OAuthError } from '../../domain/oauth/grant.js';
import { looksLikeJwt, refreshTokenDigest } from '../../services/tokens/tokens.js';

/**
 * POST /oauth2/revoke (§4.4, RFC 7009): revokes a refresh token of this client and the access
 * tokens issued from it. An unknown, foreign or already revoked token succeeds all the same.
 */
export async function revokeGrant(deps: Pick<Deps, 'store' | 'secrets' | 'clock'>, client: ClientRecord, token: string | undefined): Promise<void> {
  if (token === undefined || token === '') throw new OAuthError('invalid_request');
  if (clientSettingsOf(client).EnableTokenRevocation === false) throw new OAuthError('invalid_request');
  if (looksLikeJwt(token)) throw new OAuthError('unsupported_token_type');
  const tokenHash = refreshTokenDigest(deps, token);
  const record = await deps.store.getRefreshToken(tokenHash);
  if (record && record.clientId === client.id) await deps.store.revokeRefreshToken(tokenHash, deps.clock.nowMs());
}
