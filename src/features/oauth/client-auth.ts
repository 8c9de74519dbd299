import type { Deps } from '../../services/deps.js';
import type { ClientRecord } from '../../domain/clients/client.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import { OAuthError } from '../../domain/oauth/grant.js';
import { acceptsClientSecret, openClientSecrets } from '../../services/directory/client-secret.js';

/** A client's credentials as the token and revocation endpoints received them. */
export interface ClientCredentials {
  clientId: string;
  secret: string | undefined;
  /** client_secret_basic: a refusal is 401 with WWW-Authenticate (RFC 6749 §5.2). */
  viaBasic: boolean;
}

/**
 * The client of the pool these credentials prove (§4.4: client_secret_basic or
 * client_secret_post; a public client sends only client_id). A client with a secret must send
 * one of its active secrets; a public client must send none. Anything else is invalid_client.
 */
export async function authenticateClient(deps: Pick<Deps, 'store' | 'secrets'>, pool: PoolRecord, creds: ClientCredentials): Promise<ClientRecord> {
  const client = await deps.store.getClient(creds.clientId);
  if (!client || client.poolId !== pool.id) throw new OAuthError('invalid_client');
  if (client.clientSecrets.length === 0) {
    if (creds.secret !== undefined && creds.secret !== '') throw new OAuthError('invalid_client');
    return client;
  }
  if (creds.secret === undefined || !acceptsClientSecret(openClientSecrets(client, deps.secrets), creds.secret)) throw new OAuthError('invalid_client');
  return client;
}
