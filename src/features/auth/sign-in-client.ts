import type { Deps } from '../../services/deps.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';
import { openClientSecrets } from '../../services/directory/client-secret.js';
import { allowsAuthFlow, clientSettingsOf, type AuthFlowName, type ClientSettings } from '../../domain/clients/app-client.js';
import { checkSecretHash, matchesSecretHash } from '../../domain/clients/secret-hash.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import { invalidParameter, notAuthorized } from '../../kernel/errors.js';
import type { ClientRecord } from '../../domain/clients/client.js';
import type { PoolRecord } from '../../domain/pools/pool.js';

/** The pool and app client a sign-in step runs against. */
export interface SignInClient {
  pool: PoolRecord;
  settings: PoolSettings;
  client: ClientRecord;
  clientSettings: ClientSettings;
  /** The client's active secrets in clear (none for a public client; two during a rotation). */
  clientSecrets: string[];
}

/** What loading a sign-in client reads: the pool and client (store), the client secret (secrets). */
export type SignInClientDeps = 'store' | 'secrets';

/**
 * The public operations name only a client (unknown: ResourceNotFoundException); the admin
 * ones name the pool first, and a client of another pool is not found either.
 */
export async function loadSignInClient(deps: Pick<Deps, SignInClientDeps>, clientId: string, poolId?: string): Promise<SignInClient> {
  if (poolId !== undefined) {
    const { pool, settings } = await loadPool(deps.store, poolId);
    const client = await loadClient(deps.store, clientId, poolId);
    return { pool, settings, client, clientSettings: clientSettingsOf(client), clientSecrets: openClientSecrets(client, deps.secrets) };
  }
  const client = await loadClient(deps.store, clientId);
  const { pool, settings } = await loadPool(deps.store, client.poolId);
  return { pool, settings, client, clientSettings: clientSettingsOf(client), clientSecrets: openClientSecrets(client, deps.secrets) };
}

/** Refuses a flow the client does not allow, in the words of the calling operation. */
export function requireFlow(sc: SignInClient, flow: AuthFlowName, message: string): void {
  if (!allowsAuthFlow(sc.clientSettings, flow)) throw invalidParameter(message);
}

/** An auth parameter or challenge response that must be present. */
export function requiredParameter(params: Record<string, string> | undefined, name: string): string {
  const value = params?.[name];
  if (value === undefined || value === '') throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}

export function checkClientSecretHash(sc: SignInClient, username: string, provided: string | undefined): void {
  checkSecretHash(sc.client.id, sc.clientSecrets, username, provided);
}

/** Accepts a SECRET_HASH computed over any of the names (none given: it cannot match). */
export function checkClientSecretHashAny(sc: SignInClient, names: readonly (string | undefined)[], provided: string | undefined): void {
  if (sc.clientSecrets.length === 0) return;
  const candidates = names.filter((n): n is string => n !== undefined);
  if (candidates.some((name) => matchesSecretHash(sc.client.id, sc.clientSecrets, name, provided))) return;
  throw notAuthorized(`Unable to verify secret hash for client ${sc.client.id}`);
}
