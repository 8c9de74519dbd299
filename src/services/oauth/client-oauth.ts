import { clientOAuthProblem, type ClientOAuthSettings } from '../../domain/oauth/client-oauth.js';
import { customScopesOf } from '../../domain/oauth/resource-server.js';
import { ServiceError } from '../../kernel/errors.js';
import type { StoreTx } from '../../ports/store.js';

/** At most 25 servers a pool (resource-server.ts), each up to 100 scopes: one read. */
const ALL_SERVERS = { limit: 1000 };

/**
 * Checks a client's OAuth settings as CreateUserPoolClient and UpdateUserPoolClient do
 * (cognito-facts-areas.md §4.6): redirect URLs, flows, and that every custom scope exists on
 * one of the pool's resource servers.
 */
export async function checkClientOAuthSettings(tx: StoreTx, poolId: string, settings: ClientOAuthSettings, hasSecret: boolean): Promise<void> {
  const needsServers = (settings.AllowedOAuthScopes ?? []).some((s) => s.includes('/'));
  const customScopes = needsServers ? customScopesOf(await tx.listResourceServers(poolId, ALL_SERVERS)) : new Set<string>();
  const problem = clientOAuthProblem(settings, { hasSecret, customScopes });
  if (problem) throw new ServiceError(problem.error, problem.message);
}

/** The custom scopes the pool defines now: a scope deleted from its server is no longer granted (§1.5). */
export async function poolCustomScopes(tx: StoreTx, poolId: string): Promise<Set<string>> {
  return customScopesOf(await tx.listResourceServers(poolId, ALL_SERVERS));
}
