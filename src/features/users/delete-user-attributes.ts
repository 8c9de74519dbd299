import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { clientSettingsOf } from '../../domain/clients/app-client.js';
import { attributesAfterDeletion } from '../../domain/users/attributes.js';
import { settingsOf } from '../../domain/pools/user-pool.js';
import { activeAliases } from '../../domain/users/username.js';
import { assertClientMayWrite } from '../../domain/users/verification.js';
import { MESSAGES, userNotFound } from '../../kernel/errors.js';

/**
 * A signed-in user removes some of their own attributes: the rules of AdminDeleteUserAttributes
 * (schema, `sub`, immutable and required attributes, a removed contact takes its verification
 * flag and alias with it), and what an app may write. Developer-only attributes are writable
 * only with IAM credentials (API_SchemaAttributeType: "Users won't be able to modify this
 * attribute using their access token"), so an app can never delete one; neither can it delete
 * an attribute outside its client's WriteAttributes.
 */
export const deleteUserAttributes: Operation<'DeleteUserAttributes', AccessTokenDeps> = (deps) => async (input) => {
  const { pool, user: caller, claims } = await authenticateAccessToken(deps, input.AccessToken);
  const settings = settingsOf(pool);
  attributesAfterDeletion(settings, caller.attributes, input.UserAttributeNames);
  const client = await deps.store.getClient(claims.client_id);
  if (client) assertClientMayWrite(clientSettingsOf(client), settings, input.UserAttributeNames);
  await deps.store.transaction(async (tx) => {
    const user = await tx.getUserBySub(pool.id, caller.sub);
    if (!user) throw userNotFound(MESSAGES.userDoesNotExist);
    const attributes = attributesAfterDeletion(settings, user.attributes, input.UserAttributeNames);
    await tx.updateUser({ ...user, attributes, aliases: activeAliases(settings, attributes), updatedAt: deps.clock.nowMs() });
  });
  return {};
};
