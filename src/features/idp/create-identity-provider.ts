import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import {
  IDP_MESSAGES,
  MAX_IDENTITY_PROVIDERS,
  checkMappingAndIdentifiers,
  checkProviderName,
  providerDetailsOf,
  type IdentityProviderRecord,
} from '../../domain/idp/identity-provider.js';
import { ServiceError, limitExceeded } from '../../kernel/errors.js';
import { UniqueViolation } from '../../ports/unique-violation.js';
import { providerView, sealSecrets } from './provider-secrets.js';
import { encryptionCertificateFor, withEncryptionCertificate } from './saml-encryption.js';

/**
 * The name (pattern and length checked by the model's ProviderNameTypeV2), the type's
 * ProviderDetails and the mapping are checked before the write; the name and each IdP
 * identifier must be free in the pool (DuplicateProviderException), at most 300 a pool (§4.7).
 */
export const createIdentityProvider: Operation<'CreateIdentityProvider', 'clock' | 'store' | 'secrets' | 'random'> = (deps) => async (input) => {
  checkProviderName(input.ProviderName, input.ProviderType);
  const checked = providerDetailsOf(input.ProviderType, input.ProviderDetails);
  const secrets = checked.secrets;
  const details = input.ProviderType === 'SAML' ? withEncryptionCertificate(checked.details, await encryptionCertificateFor(deps, input.UserPoolId, checked.details)) : checked.details;
  const attributeMapping = input.AttributeMapping ?? {};
  const idpIdentifiers = input.IdpIdentifiers ?? [];
  checkMappingAndIdentifiers(attributeMapping, idpIdentifiers);
  const secretsSealed = sealSecrets(deps.secrets, secrets);
  return deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    if (await tx.getIdentityProvider(pool.id, input.ProviderName)) throw duplicate(IDP_MESSAGES.duplicate(input.ProviderName));
    for (const identifier of idpIdentifiers) {
      if (await tx.identityProviderByIdentifier(pool.id, identifier)) throw duplicate(IDP_MESSAGES.duplicateIdentifier(identifier));
    }
    if ((await tx.countIdentityProviders(pool.id)) >= MAX_IDENTITY_PROVIDERS) throw limitExceeded(IDP_MESSAGES.limit);
    const now = deps.clock.nowMs();
    const record: IdentityProviderRecord = { poolId: pool.id, name: input.ProviderName, type: input.ProviderType, details, secretsSealed, attributeMapping, idpIdentifiers, createdAt: now, updatedAt: now };
    try {
      await tx.insertIdentityProvider(record);
    } catch (err) {
      if (err instanceof UniqueViolation) throw duplicate(IDP_MESSAGES.duplicate(input.ProviderName));
      throw err;
    }
    return { IdentityProvider: providerView(deps.secrets, record) };
  });
};

const duplicate = (message: string) => new ServiceError('DuplicateProviderException', message);
