import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { IDP_MESSAGES, checkMappingAndIdentifiers, providerDetailsOf, type IdentityProviderRecord } from '../../domain/idp/identity-provider.js';
import { ServiceError, resourceNotFound } from '../../kernel/errors.js';
import { openSecrets, providerView, sealSecrets } from './provider-secrets.js';
import { encryptionCertificateFor, withEncryptionCertificate } from './saml-encryption.js';

/**
 * Each given member replaces the stored one; an absent member stays. ProviderDetails given are
 * checked as at creation, except that an absent secret (client_secret, private_key) keeps the
 * stored one, so a caller that read the provider back without its secret does not erase it.
 * The type never changes (UpdateIdentityProvider has no ProviderType).
 */
export const updateIdentityProvider: Operation<'UpdateIdentityProvider', 'clock' | 'store' | 'secrets' | 'random'> = (deps) => async (input) => {
  // Made before the transaction: a pool's first signing key is written outside it.
  const certificate = input.ProviderDetails === undefined ? undefined : await encryptionCertificateFor(deps, input.UserPoolId, input.ProviderDetails);
  return deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const current = await tx.getIdentityProvider(pool.id, input.ProviderName);
    if (!current) throw resourceNotFound(IDP_MESSAGES.notFound(input.ProviderName));
    const next: IdentityProviderRecord = { ...current, updatedAt: deps.clock.nowMs() };
    if (input.ProviderDetails !== undefined) {
      const { details, secrets } = providerDetailsOf(current.type, { ...openSecrets(deps.secrets, current), ...input.ProviderDetails });
      next.details = current.type === 'SAML' ? withEncryptionCertificate(details, certificate) : details;
      next.secretsSealed = sealSecrets(deps.secrets, secrets);
    }
    if (input.AttributeMapping !== undefined) next.attributeMapping = input.AttributeMapping;
    if (input.IdpIdentifiers !== undefined) next.idpIdentifiers = input.IdpIdentifiers;
    checkMappingAndIdentifiers(next.attributeMapping, next.idpIdentifiers);
    for (const identifier of next.idpIdentifiers) {
      const holder = await tx.identityProviderByIdentifier(pool.id, identifier);
      // UpdateIdentityProvider does not declare DuplicateProviderException: a taken identifier is a bad parameter here.
      if (holder && holder.name !== current.name) throw new ServiceError('InvalidParameterException', IDP_MESSAGES.duplicateIdentifier(identifier));
    }
    await tx.updateIdentityProvider(next);
    return { IdentityProvider: providerView(deps.secrets, next) };
  });
};
