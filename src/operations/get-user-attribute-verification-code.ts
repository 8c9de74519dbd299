import { authenticateAccessToken } from './access-token.js';
import type { Operation } from './deps.js';
import { countCodeRequest, sendVerificationCode } from './verification-delivery.js';
import { channelFor, verifiableAttribute } from '../domain/verification.js';
import { MESSAGES, invalidParameter, notAuthorized } from '../errors.js';

/**
 * A signed-in user asks for a code to verify their email or phone number. It goes to that
 * attribute's current value whether or not the pool auto-verifies it, replaces any earlier
 * code, and counts against the hourly request limit.
 */
export const getUserAttributeVerificationCode: Operation<'GetUserAttributeVerificationCode'> = (deps) => async (input) => {
  const { pool, user: caller, claims } = await authenticateAccessToken(deps, input.AccessToken);
  const attribute = verifiableAttribute(input.AttributeName);
  const details = await deps.store.transaction(async (tx) => {
    const user = await tx.getUserBySub(pool.id, caller.sub);
    if (!user) throw notAuthorized(MESSAGES.userDoesNotExist);
    const value = user.attributes[attribute];
    // AWS's exact text for a user without the attribute was not captured (unverified).
    if (value === undefined) throw invalidParameter(`User does not have a value for the attribute ${attribute}.`);
    const purpose = `verify_${attribute}` as const;
    await countCodeRequest(deps, tx, user, purpose);
    return sendVerificationCode(deps, tx, {
      user,
      purpose,
      channel: channelFor(attribute, value),
      trigger: 'VerifyUserAttribute',
      clientMetadata: input.ClientMetadata,
      clientId: claims.client_id,
    });
  });
  return { CodeDeliveryDetails: details };
};
