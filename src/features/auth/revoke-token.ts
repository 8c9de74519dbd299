import type { Operation } from '../operation.js';
import { acceptsClientSecret, openClientSecrets } from '../../services/directory/client-secret.js';
import { clientSettingsOf } from '../../domain/clients/app-client.js';
import { unauthorized, unsupportedOperation, unsupportedTokenType } from '../../kernel/errors.js';
import { looksLikeJwt, refreshTokenDigest } from '../../services/tokens/tokens.js';

/**
 * Revokes a refresh token of this client and the access tokens issued from it. A token that is
 * unknown or belongs to another client changes nothing and still succeeds (RFC 7009), so the
 * answer reveals nothing about tokens the caller does not hold.
 */
export const revokeToken: Operation<'RevokeToken', 'store' | 'secrets' | 'clock'> = (deps) => async (input) => {
  const client = await deps.store.getClient(input.ClientId);
  if (!client) throw unauthorized('Invalid client id provided.');
  // Either active secret is accepted while a secret is rotated.
  if (!acceptsClientSecret(openClientSecrets(client, deps.secrets), input.ClientSecret)) throw unauthorized('Invalid client secret provided.');
  if (clientSettingsOf(client).EnableTokenRevocation === false) throw unsupportedOperation('Token revocation is not enabled for this client.');
  if (looksLikeJwt(input.Token)) throw unsupportedTokenType('Only refresh tokens can be revoked.');

  const tokenHash = refreshTokenDigest(deps, input.Token);
  const record = await deps.store.getRefreshToken(tokenHash);
  if (record && record.clientId === client.id) await deps.store.revokeRefreshToken(tokenHash, deps.clock.nowMs());
  return {};
};
