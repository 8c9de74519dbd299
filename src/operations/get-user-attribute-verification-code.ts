import { authenticateAccessToken } from './access-token.js';
import type { Operation } from './deps.js';
import { countCodeRequest, prepareCodeMessage, sendVerificationCode } from './verification-delivery.js';
import { settingsOf } from '../domain/user-pool.js';
import { channelFor, verifiableAttribute, type CodeChannel, type ContactAttribute } from '../domain/verification.js';
import { MESSAGES, invalidParameter, userNotFound } from '../errors.js';
import type { UserRecord } from '../storage/store.js';

/**
 * A signed-in user asks for a code to verify their email or phone number. It goes to that
 * attribute's current value whether or not the pool auto-verifies it, replaces any earlier
 * code, and counts against the hourly request limit. The message is rendered before the write
 * transaction (it may run the CustomMessage trigger).
 */
export const getUserAttributeVerificationCode: Operation<'GetUserAttributeVerificationCode'> = (deps) => async (input) => {
  const { pool, user: caller, claims } = await authenticateAccessToken(deps, input.AccessToken);
  const attribute = verifiableAttribute(input.AttributeName);
  const purpose = `verify_${attribute}` as const;
  const first = channelOf(caller, attribute);
  await countCodeRequest(deps, deps.store, caller, purpose, false);
  const prepared = await prepareCodeMessage(deps, pool, caller, {
    channel: first,
    trigger: 'VerifyUserAttribute',
    clientId: claims.client_id,
    clientMetadata: input.ClientMetadata,
  });
  const details = await deps.store.transaction(async (tx) => {
    const user = await tx.getUserBySub(pool.id, caller.sub);
    if (!user) throw userNotFound(MESSAGES.userDoesNotExist);
    const channel = channelOf(user, attribute);
    await countCodeRequest(deps, tx, user, purpose);
    return sendVerificationCode(deps, tx, settingsOf(pool), user, purpose, channel, prepared);
  });
  return { CodeDeliveryDetails: details };
};

function channelOf(user: UserRecord, attribute: ContactAttribute): CodeChannel {
  const value = user.attributes[attribute];
  // AWS's exact text for a user without the attribute was not captured (unverified).
  if (value === undefined) throw invalidParameter(`User does not have a value for the attribute ${attribute}.`);
  return channelFor(attribute, value);
}
