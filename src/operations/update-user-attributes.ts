import { authenticateAccessToken } from './access-token.js';
import type { Operation } from './deps.js';
import { claimAliases, uniquely } from './user-writes.js';
import { invalidateCode, sendVerificationCode } from './verification-delivery.js';
import { clientSettingsOf } from '../domain/app-client.js';
import { CONTACTS, checkAttributeWrites, updatedAttributes } from '../domain/attributes.js';
import { settingsOf } from '../domain/user-pool.js';
import { activeAliases } from '../domain/username.js';
import { assertClientMayWrite, channelFor, isAutoVerified } from '../domain/verification.js';
import { MESSAGES, notAuthorized } from '../errors.js';
import type { CodeDeliveryDetailsType } from '../protocol/generated/types.js';

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

  const details = await deps.store.transaction(async (tx) => {
    const user = await tx.getUserBySub(pool.id, caller.sub);
    if (!user) throw notAuthorized(MESSAGES.userDoesNotExist);
    const attributes = updatedAttributes(settings, user.attributes, writes);
    const now = deps.clock.nowMs();
    const updated = { ...user, attributes, aliases: activeAliases(settings, attributes), updatedAt: now };
    await claimAliases(tx, settings, updated, false, 'update', now);
    await uniquely(settings, 'update', () => tx.updateUser(updated));

    const sent: CodeDeliveryDetailsType[] = [];
    for (const { name } of CONTACTS) {
      const value = attributes[name];
      if (value === user.attributes[name]) continue;
      const purpose = `verify_${name}` as const;
      if (value !== undefined && isAutoVerified(settings, name)) {
        sent.push(
          await sendVerificationCode(deps, tx, {
            user: updated,
            purpose,
            channel: channelFor(name, value),
            trigger: 'UpdateUserAttribute',
            clientMetadata: input.ClientMetadata,
            clientId: claims.client_id,
          }),
        );
      } else {
        await invalidateCode(deps, tx, updated, purpose);
      }
    }
    return sent;
  });
  return details.length > 0 ? { CodeDeliveryDetailsList: details } : {};
};
