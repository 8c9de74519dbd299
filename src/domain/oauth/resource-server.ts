import type { ResourceServerScopeType, ResourceServerType } from '../../model/generated/types.js';

/**
 * A resource server: an API identifier with the custom scopes clients may be granted, named
 * `<identifier>/<scope>` in AllowedOAuthScopes and in access tokens (cognito-facts-areas.md §4.5).
 */
export interface ResourceServerRecord {
  poolId: string;
  identifier: string;
  name: string;
  scopes: ResourceServerScopeType[];
  createdAt: number;
  updatedAt: number;
}

/** 25 per pool by default (§4.5, DOC23 DG:limits). */
export const MAX_RESOURCE_SERVERS = 25;

export const RESOURCE_SERVER_MESSAGES = {
  // Unverified texts: AWS's wording for these refusals was not found.
  exists: (identifier: string, poolId: string) => `A resource server with identifier ${identifier} already exists in user pool ${poolId}.`,
  notFound: (identifier: string) => `Resource server ${identifier} does not exist.`,
  duplicateScope: (name: string) => `Scope ${name} is listed more than once.`,
  limit: `A user pool can have at most ${MAX_RESOURCE_SERVERS} resource servers.`,
} as const;

/** The refusal of a scope list (names are unique within a server), or undefined. */
export function scopesProblem(scopes: readonly ResourceServerScopeType[]): string | undefined {
  const seen = new Set<string>();
  for (const scope of scopes) {
    if (seen.has(scope.ScopeName)) return RESOURCE_SERVER_MESSAGES.duplicateScope(scope.ScopeName);
    seen.add(scope.ScopeName);
  }
  return undefined;
}

/** Every custom scope of the servers, as clients name them: `<identifier>/<scope>`. */
export function customScopesOf(servers: readonly ResourceServerRecord[]): Set<string> {
  const all = new Set<string>();
  for (const server of servers) for (const scope of server.scopes) all.add(`${server.identifier}/${scope.ScopeName}`);
  return all;
}

export function resourceServerType(record: ResourceServerRecord): ResourceServerType {
  return { UserPoolId: record.poolId, Identifier: record.identifier, Name: record.name, Scopes: record.scopes };
}
