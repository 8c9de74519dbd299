import type { IdentityProviderRecord, ProviderLinkRecord } from '../domain/idp/identity-provider.js';
import type { Page } from './page.js';

/**
 * A pool's identity providers, keyed (pool, name); each IdP identifier names at most one
 * provider of the pool. Providers list in code-point order of their name.
 */
export interface IdentityProvidersPort {
  /** Throws UniqueViolation when the pool has a provider of that name. */
  insertIdentityProvider(record: IdentityProviderRecord): Promise<void>;
  getIdentityProvider(poolId: string, name: string): Promise<IdentityProviderRecord | undefined>;
  /** The provider whose IdpIdentifiers include `identifier`. */
  identityProviderByIdentifier(poolId: string, identifier: string): Promise<IdentityProviderRecord | undefined>;
  updateIdentityProvider(record: IdentityProviderRecord): Promise<void>;
  deleteIdentityProvider(poolId: string, name: string): Promise<void>;
  listIdentityProviders(poolId: string, page: Page): Promise<IdentityProviderRecord[]>;
  countIdentityProviders(poolId: string): Promise<number>;

  /** Throws UniqueViolation when the identity is linked already. */
  insertProviderLink(link: ProviderLinkRecord): Promise<void>;
  getProviderLink(poolId: string, providerName: string, attributeName: string, attributeValue: string): Promise<ProviderLinkRecord | undefined>;
  /** The user's links, oldest first. */
  providerLinksOfUser(poolId: string, userSub: string): Promise<ProviderLinkRecord[]>;
  deleteProviderLink(poolId: string, providerName: string, attributeName: string, attributeValue: string): Promise<void>;
}
