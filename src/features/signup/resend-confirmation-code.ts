import type { Operation } from '../operation.js';
import { loadPublicClient } from '../../services/directory/public-client.js';
import { sendRequestedCode } from './verification-delivery.js';
import { clientSettingsOf, preventsUserExistenceErrors } from '../../domain/clients/app-client.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import { findUser } from '../../services/directory/find-user.js';
import { signUpChannel, simulatedSignUpDelivery, type CodeChannel } from '../../domain/users/verification.js';
import { MESSAGES, invalidParameter, userNotFound } from '../../kernel/errors.js';
import type { UserRecord } from '../../domain/users/user.js';

const NO_AUTO_VERIFICATION = 'Cannot resend codes. Auto verification not turned on.';

/**
 * A new sign-up code for an unconfirmed user, by the same delivery rule as SignUp; it replaces
 * the earlier code. Requests are limited per user and hour. With PreventUserExistenceErrors an
 * unknown user gets a simulated delivery and nothing is sent.
 */
export const resendConfirmationCode: Operation<'ResendConfirmationCode'> = (deps) => async (input) => {
  const { client, pool, settings } = await loadPublicClient(deps, deps.store, input.ClientId, input.Username, input.SecretHash);
  const found = await findUser(deps.store, pool.id, settings, input.Username);
  if (!found) {
    if (!preventsUserExistenceErrors(clientSettingsOf(client))) throw userNotFound(MESSAGES.usernameClientNotFound);
    if (!settings.AutoVerifiedAttributes?.length) throw invalidParameter(NO_AUTO_VERIFICATION);
    return { CodeDeliveryDetails: simulatedSignUpDelivery(settings, input.Username) };
  }
  const details = await sendRequestedCode(deps, pool, found, {
    purpose: 'confirm_sign_up',
    trigger: 'ResendCode',
    clientId: client.id,
    clientMetadata: input.ClientMetadata,
    channelOf: (user) => resendChannel(settings, user),
    userGoneMessage: MESSAGES.usernameClientNotFound,
  });
  return { CodeDeliveryDetails: details };
};

function resendChannel(settings: PoolSettings, user: UserRecord): CodeChannel {
  if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.');
  const channel = signUpChannel(settings, user.attributes);
  // Also when the pool auto-verifies a contact this user lacks (the exact text there is unverified).
  if (!channel) throw invalidParameter(NO_AUTO_VERIFICATION);
  return channel;
}
