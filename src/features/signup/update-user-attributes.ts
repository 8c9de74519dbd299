import { authenticateAccessToken } from '../../services/tokens/access-token.js';
import type { Operation } from '../operation.js';
import { claimAliases, uniquely } from '../../services/directory/user-writes.js';
import { invalidateCode, prepareCodeMessage, sendVerificationCode, type PreparedCodeMessage } from './verification-delivery.js';
import { clientSettingsOf } from '../../domain/clients/app-client.js';
import { CONTACTS, checkAttributeWrites, updatedAttributes } from '../../domain/users/attributes.js';
import { settingsOf, type PoolSettings } from '../../domain/pools/user-pool.js';
import { activeAliases } from '../../domain/users/username.js';
import { assertClientMayWrite, channelFor, isAutoVerified, type CodeChannel, type ContactAttribute } from '../../domain/users/verification.js';
import { MESSAGES, userNotFound } from '../../kernel/errors.js';
import type { CodeDeliveryDetailsType, UpdateUserAttributesRequest } from '../../model/generated/types.js';
import type { UserRecord } from '../../domain/users/user.js';

/**
 * A signed-in user changes their own attributes. A new email or phone number replaces the old
 * one at once and is unverified (so it stops being a verified alias); when the pool
 * auto-verifies it, a `verify_<attribute>` code goes to the new value. Any earlier code for that
 * attribute stops working, so a code sent to an old address cannot verify the new one.
 * AttributesRequireVerificationBeforeUpdate (keep the old value until the new one is verified)
 * is not implemented: the new value always replaces the old.
 */
export const updateUserAttributes: Operation<'UpdateUserAttributes'> = (deps) => async (input) => {
  const { pool, user: caller, claims } = await authenticateAccessToken(deps, input.AccessToken);
  const settings = settingsOf(pool);
  const writes = input.UserAttributes;
  checkAttributeWrites(settings, writes, 'update');
  const client = await deps.store.getClient(claims.client_id);
  if (client) assertClientMayWrite(clientSettingsOf(client), settings, writes.map((w) => w.Name));

  // Rendered before the write transaction: the CustomMessage trigger may run.
  const prepared = new Map<ContactAttribute, PreparedCodeMessage>();
  const planned = { ...caller, attributes: updatedAttributes(settings, caller.attributes, writes) };
  for (const [attribute, channel] of codeChannels(settings, caller, planned)) {
    prepared.set(attribute, await prepareCodeMessage(deps, pool, planned, messageFor(channel, claims.client_id, input)));
  }

  const details = await deps.store.transaction(async (tx) => {
    const user = await tx.getUserBySub(pool.id, caller.sub);
    if (!user) throw userNotFound(MESSAGES.userDoesNotExist);
    const attributes = updatedAttributes(settings, user.attributes, writes);
    const now = deps.clock.nowMs();
    const updated = { ...user, attributes, aliases: activeAliases(settings, attributes), updatedAt: now };
    await claimAliases(tx, settings, updated, false, 'update', now);
    await uniquely(settings, 'update', () => tx.updateUser(updated));

    const sent: CodeDeliveryDetailsType[] = [];
    const channels = codeChannels(settings, user, updated);
    for (const { name } of CONTACTS) {
      if (attributes[name] === user.attributes[name]) continue;
      const purpose = `verify_${name}` as const;
      const channel = channels.get(name);
      if (channel) {
        // A contact changed only by a concurrent write has no rendered message: the template serves.
        const message = prepared.get(name) ?? { trigger: 'UpdateUserAttribute', clientId: claims.client_id, clientMetadata: input.ClientMetadata };
        sent.push(await sendVerificationCode(deps, tx, settings, updated, purpose, channel, message));
      } else {
        await invalidateCode(deps, tx, updated, purpose);
      }
    }
    return sent;
  });
  if (details.length > 0) deps.onMessageQueued();
  return details.length > 0 ? { CodeDeliveryDetailsList: details } : {};
};

/** The contacts that change to a new value the pool auto-verifies: each gets a code there. */
function codeChannels(settings: PoolSettings, before: UserRecord, after: Pick<UserRecord, 'attributes'>): Map<ContactAttribute, CodeChannel> {
  const result = new Map<ContactAttribute, CodeChannel>();
  for (const { name } of CONTACTS) {
    const value = after.attributes[name];
    if (value !== undefined && value !== before.attributes[name] && isAutoVerified(settings, name)) result.set(name, channelFor(name, value));
  }
  return result;
}

function messageFor(channel: CodeChannel, clientId: string, input: UpdateUserAttributesRequest): Omit<PreparedCodeMessage, 'text'> {
  return { channel, trigger: 'UpdateUserAttribute', clientId, clientMetadata: input.ClientMetadata };
}
