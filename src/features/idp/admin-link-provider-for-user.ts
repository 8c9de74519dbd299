import type { Operation } from '../operation.js';
import { findUser } from '../../services/directory/find-user.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { IDP_MESSAGES } from '../../domain/idp/identity-provider.js';
import { COGNITO_SUBJECT, LINK_MESSAGES, LOCAL_PROVIDER, MAX_LINKS_PER_USER, checkSourceAttribute, federatedUsername, identifierOf } from '../../domain/idp/provider-link.js';
import { invalidParameter, limitExceeded, resourceNotFound } from '../../kernel/errors.js';
import { UniqueViolation } from '../../ports/unique-violation.js';

/**
 * Links a provider identity that has not signed in yet to an existing user, who then signs in
 * through the provider as themselves (cognito-facts-areas.md §4.8): the destination is a user
 * of the pool named by username (ProviderName `Cognito`); the source names a provider of the
 * pool, by `Cognito_Subject` (required for social providers) or, for OIDC and SAML, a provider
 * attribute; at most five links a user. Linking the same identity to the same user again
 * changes nothing.
 */
export const adminLinkProviderForUser: Operation<'AdminLinkProviderForUser', 'clock' | 'store'> = (deps) => async (input) => {
  const destination = identifierOf(input.DestinationUser, 'DestinationUser');
  const source = identifierOf(input.SourceUser, 'SourceUser');
  if (destination.provider !== LOCAL_PROVIDER) throw invalidParameter(LINK_MESSAGES.destination);
  if (source.provider === LOCAL_PROVIDER || source.provider === 'COGNITO') throw invalidParameter(LINK_MESSAGES.sourceLocal);
  await deps.store.transaction(async (tx) => {
    const { pool, settings } = await loadPool(tx, input.UserPoolId);
    const provider = await tx.getIdentityProvider(pool.id, source.provider);
    if (!provider) throw resourceNotFound(IDP_MESSAGES.notFound(source.provider));
    checkSourceAttribute(provider.type, provider.name, source.attribute);
    const user = await loadUser(tx, pool, destination.value);
    // The source must not have signed in yet: its user (`<provider>_<subject>`) must not exist.
    if (source.attribute === COGNITO_SUBJECT && (await findUser(tx, pool.id, settings, federatedUsername(provider.name, source.value)))) {
      throw invalidParameter(LINK_MESSAGES.merging);
    }
    const existing = await tx.getProviderLink(pool.id, provider.name, source.attribute, source.value);
    if (existing) {
      if (existing.userSub === user.sub) return;
      throw invalidParameter(LINK_MESSAGES.linkedElsewhere);
    }
    if ((await tx.providerLinksOfUser(pool.id, user.sub)).length >= MAX_LINKS_PER_USER) throw limitExceeded(LINK_MESSAGES.limit);
    const link = { poolId: pool.id, providerName: provider.name, attributeName: source.attribute, attributeValue: source.value, userSub: user.sub, createdAt: deps.clock.nowMs() };
    try {
      await tx.insertProviderLink(link);
    } catch (err) {
      if (err instanceof UniqueViolation) throw invalidParameter(LINK_MESSAGES.linkedElsewhere);
      throw err;
    }
  });
  return {};
};
