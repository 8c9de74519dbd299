import type { DomainRecord } from '../domain/oauth/domain.js';
import type { ResourceServerRecord } from '../domain/oauth/resource-server.js';
import type { Page } from './page.js';

/**
 * What the OAuth 2.0 configuration stores: user pool domains (unique across pools) and each
 * pool's resource servers. Resource servers list in code-point order of their identifier.
 */
export interface OAuthPort {
  /** Throws UniqueViolation when the domain name is taken (by any pool). */
  insertDomain(record: DomainRecord): Promise<void>;
  getDomain(domain: string): Promise<DomainRecord | undefined>;
  /** The pool's domains (at most one prefix and one custom domain). */
  domainsOfPool(poolId: string): Promise<DomainRecord[]>;
  updateDomain(record: DomainRecord): Promise<void>;
  deleteDomain(domain: string): Promise<void>;

  /** Throws UniqueViolation when the pool has a server of that identifier. */
  insertResourceServer(record: ResourceServerRecord): Promise<void>;
  getResourceServer(poolId: string, identifier: string): Promise<ResourceServerRecord | undefined>;
  updateResourceServer(record: ResourceServerRecord): Promise<void>;
  deleteResourceServer(poolId: string, identifier: string): Promise<void>;
  listResourceServers(poolId: string, page: Page): Promise<ResourceServerRecord[]>;

  /** Records the scopes an OAuth sign-in granted, kept until its refresh token expires; forgets expired ones. */
  putGrantScopes(grant: { originJti: string; poolId: string; scopes: readonly string[]; expiresAt: number }, nowMs: number): Promise<void>;
  /** The scopes of the sign-in, or undefined for a sign-in through the API. */
  grantScopes(originJti: string): Promise<string[] | undefined>;
}
