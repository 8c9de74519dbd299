import type { Deps } from '../../services/deps.js';
import type { ClientRecord } from '../../domain/clients/client.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import { clientSettingsOf } from '../../domain/clients/app-client.js';
import { checkAuthorizeRequest, type AuthorizeOutcome } from '../../domain/oauth/authorize-request.js';
import { poolCustomScopes } from '../../services/oauth/client-oauth.js';

/** The authorize request of a query (GET /oauth2/authorize, and every managed login page), with its client. */
export async function authorizeRequestOf(deps: Pick<Deps, 'store'>, pool: PoolRecord, query: URLSearchParams): Promise<{ outcome: AuthorizeOutcome; client?: ClientRecord }> {
  const clientId = query.get('client_id');
  const found = clientId && clientId.length <= 128 ? await deps.store.getClient(clientId) : undefined;
  const client = found && found.poolId === pool.id ? found : undefined;
  const outcome = checkAuthorizeRequest(query, client && { id: client.id, settings: clientSettingsOf(client) }, client ? await poolCustomScopes(deps.store, pool.id) : new Set());
  return { outcome, ...(client && { client }) };
}
