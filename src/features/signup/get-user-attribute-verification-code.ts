import { authenticateAccessToken } from '../../services/tokens/access-token.js';
import type { Operation } from '../operation.js';
import { sendRequestedCode } from './verification-delivery.js';
import { channelFor, verifiableAttribute, type CodeChannel, type ContactAttribute } from '../../domain/users/verification.js';
import { MESSAGES, invalidParameter } from '../../kernel/errors.js';
import type { UserRecord } from '../../domain/users/user.js';

/**
 * A signed-in user asks for a code to verify their email or phone number. It goes to that
 * attribute's current value whether or not the pool auto-verifies it, replaces any earlier
 * code, and counts against the hourly request limit.
 */
export const getUserAttributeVerificationCode: Operation<'GetUserAttributeVerificationCode'> = (deps) => async (input) => {
  const { pool, user: caller, claims } = await authenticateAccessToken(deps, input.AccessToken);
  const attribute = verifiableAttribute(input.AttributeName);
  const details = await sendRequestedCode(deps, pool, caller, {
    purpose: `verify_${attribute}`,
    trigger: 'VerifyUserAttribute',
    clientId: claims.client_id,
    clientMetadata: input.ClientMetadata,
    channelOf: (user) => channelOf(user, attribute),
    userGoneMessage: MESSAGES.userDoesNotExist,
  });
  return { CodeDeliveryDetails: details };
};

function channelOf(user: UserRecord, attribute: ContactAttribute): CodeChannel {
  const value = user.attributes[attribute];
  // AWS's exact text for a user without the attribute was not captured (unverified).
  if (value === undefined) throw invalidParameter(`User does not have a value for the attribute ${attribute}.`);
  return channelFor(attribute, value);
}
