import type { Deps } from '../deps.js';
import { loadClient, loadPool } from './lookups.js';
import { openClientSecrets } from './client-secret.js';
import { checkSecretHash } from '../../domain/clients/secret-hash.js';
import type { StoreTx } from '../../ports/store.js';

/**
 * The public recovery operations identify the pool through the app client, and a client
 * with a secret must prove it with the SecretHash of the username.
 */
export async function loadPublicClient(deps: Deps, tx: StoreTx, clientId: string, username: string, secretHash: string | undefined) {
  const client = await loadClient(tx, clientId);
  checkSecretHash(client.id, openClientSecrets(client, deps.secrets), username, secretHash);
  const { pool, settings } = await loadPool(tx, client.poolId);
  return { client, pool, settings };
}
