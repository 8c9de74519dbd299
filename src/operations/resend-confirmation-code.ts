import type { Operation } from './deps.js';
import { loadPublicClient } from './recovery-client.js';
import { countCodeRequest, sendVerificationCode } from './verification-delivery.js';
import { clientSettingsOf, preventsUserExistenceErrors } from '../domain/app-client.js';
import { findUser } from '../domain/username.js';
import { signUpChannel, simulatedSignUpDelivery } from '../domain/verification.js';
import { MESSAGES, invalidParameter, userNotFound } from '../errors.js';

const NO_AUTO_VERIFICATION = 'Cannot resend codes. Auto verification not turned on.';

/**
 * A new sign-up code for an unconfirmed user, by the same delivery rule as SignUp; it replaces
 * the earlier code. Requests are limited per user and hour. With PreventUserExistenceErrors an
 * unknown user gets a simulated delivery and nothing is sent.
 */
export const resendConfirmationCode: Operation<'ResendConfirmationCode'> = (deps) => async (input) => {
  const details = await deps.store.transaction(async (tx) => {
    const { client, pool, settings } = await loadPublicClient(deps, tx, input.ClientId, input.Username, input.SecretHash);
    const user = await findUser(tx, pool.id, settings, input.Username);
    if (!user) {
      if (!preventsUserExistenceErrors(clientSettingsOf(client))) throw userNotFound(MESSAGES.usernameClientNotFound);
      if (!settings.AutoVerifiedAttributes?.length) throw invalidParameter(NO_AUTO_VERIFICATION);
      return simulatedSignUpDelivery(settings, input.Username);
    }
    if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.');
    const channel = signUpChannel(settings, user.attributes);
    // Also when the pool auto-verifies a contact this user lacks (the exact text there is unverified).
    if (!channel) throw invalidParameter(NO_AUTO_VERIFICATION);
    await countCodeRequest(deps, tx, user, 'confirm_sign_up');
    return sendVerificationCode(deps, tx, {
      user,
      purpose: 'confirm_sign_up',
      channel,
      trigger: 'ResendCode',
      clientMetadata: input.ClientMetadata,
      clientId: client.id,
    });
  });
  return { CodeDeliveryDetails: details };
};
