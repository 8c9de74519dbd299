import type { Operation } from '../operation.js';
import { findUser } from '../../services/directory/find-user.js';
import { loadPool } from '../../services/directory/lookups.js';
import { IDP_MESSAGES } from '../../domain/idp/identity-provider.js';
import { COGNITO_SUBJECT, LINK_MESSAGES, LOCAL_PROVIDER, federatedUsername, identifierOf } from '../../domain/idp/provider-link.js';
import { MESSAGES, invalidParameter, resourceNotFound, userNotFound } from '../../kernel/errors.js';

/**
 * Stops a provider identity from signing in as the user it was linked to (§4.8;
 * [MODEL API:AdminDisableProviderForUser]): the link made by AdminLinkProviderForUser, named as
 * it was linked (provider, attribute, value), or by `Cognito_Subject` and the subject once the
 * identity has signed in, is removed; the identity's next sign-in makes a new user of its own.
 * For a local user (`Cognito`, `Cognito_Subject`, username) the password stops working: AWS says
 * such a user "can't use their password to sign in"; here the password is removed, so the user
 * signs in only through linked providers (or after an administrator sets a new password).
 * Nothing to disable: UserNotFoundException.
 */
export const adminDisableProviderForUser: Operation<'AdminDisableProviderForUser', 'clock' | 'store'> = (deps) => async (input) => {
  const target = identifierOf(input.User, 'User');
  if (!target.attribute) throw invalidParameter(LINK_MESSAGES.missing('User.ProviderAttributeName'));
  await deps.store.transaction(async (tx) => {
    const { pool, settings } = await loadPool(tx, input.UserPoolId);
    if (target.provider === LOCAL_PROVIDER) {
      if (target.attribute !== COGNITO_SUBJECT) throw invalidParameter(LINK_MESSAGES.disableLocal);
      const user = await findUser(tx, pool.id, settings, target.value);
      if (!user || user.status === 'EXTERNAL_PROVIDER') throw userNotFound(MESSAGES.userDoesNotExist);
      await tx.updateUser({ ...user, passwordHash: null, passwordUpdatedAt: null, srp: null, updatedAt: deps.clock.nowMs() });
      return;
    }
    const provider = await tx.getIdentityProvider(pool.id, target.provider);
    if (!provider) throw resourceNotFound(IDP_MESSAGES.notFound(target.provider));
    const link = await tx.getProviderLink(pool.id, provider.name, target.attribute, target.value);
    if (link) {
      await tx.deleteProviderLink(pool.id, provider.name, target.attribute, target.value);
      return;
    }
    // A federated user of its own that signed in: nothing links it; it stays as it is (AWS keeps it).
    if (target.attribute === COGNITO_SUBJECT && (await findUser(tx, pool.id, settings, federatedUsername(provider.name, target.value)))) return;
    throw userNotFound(MESSAGES.userDoesNotExist);
  });
  return {};
};
