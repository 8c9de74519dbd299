import { recordAuthEvent, threatContext } from '../../services/threat/threat-context.js';
import { userAddressOf } from '../../domain/clients/context-data.js';
import type { Operation } from '../operation.js';
import { loadPublicClient } from '../../services/directory/public-client.js';
import type { Deps } from '../../services/deps.js';
import { countCodeRequest, sendRequestedCode } from './verification-delivery.js';
import { hiddenUser } from '../../services/directory/hidden-user.js';
import { emailSender, messageText } from '../../domain/messages/message-templates.js';
import type { CodeDeliveryDetailsType } from '../../model/generated/types.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import { clientSettingsOf, preventsUserExistenceErrors } from '../../domain/clients/app-client.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import { findUser } from '../../services/directory/find-user.js';
import { VERIFICATION_CODE_TTL_MS, signUpChannel, simulatedSignUpDelivery, type CodeChannel } from '../../domain/users/verification.js';
import { MESSAGES, invalidParameter, userNotFound } from '../../kernel/errors.js';
import type { UserRecord } from '../../domain/users/user.js';

const NO_AUTO_VERIFICATION = 'Cannot resend codes. Auto verification not turned on.';

/**
 * A new sign-up code for an unconfirmed user, by the same delivery rule as SignUp; it replaces
 * the earlier code. Requests are limited per user and hour. With PreventUserExistenceErrors an
 * unknown or disabled user ("Amazon Cognito returns CodeDeliveryDetails for a disabled user or
 * a user that doesn't exist", cognito-user-pool-managing-errors) gets a simulated delivery:
 * nothing is sent, but the request is counted and costs the same work (simulateResend).
 */
export const resendConfirmationCode: Operation<'ResendConfirmationCode'> = (deps) => async (input, ctx) => {
  const { client, pool, settings } = await loadPublicClient(deps, deps.store, input.ClientId, input.Username, input.SecretHash);
  const found = await findUser(deps.store, pool.id, settings, input.Username);
  const hideExistence = preventsUserExistenceErrors(clientSettingsOf(client));
  if (!found || (hideExistence && !found.enabled)) {
    if (!hideExistence) throw userNotFound(MESSAGES.usernameClientNotFound);
    if (!settings.AutoVerifiedAttributes?.length) throw invalidParameter(NO_AUTO_VERIFICATION);
    return { CodeDeliveryDetails: await simulateResend(deps, pool, settings, input.Username) };
  }
  const details = await sendRequestedCode(deps, pool, found, {
    purpose: 'confirm_sign_up',
    trigger: 'ResendCode',
    clientId: client.id,
    clientMetadata: input.ClientMetadata,
    channelOf: (user) => resendChannel(settings, user),
    userGoneMessage: MESSAGES.usernameClientNotFound,
  });
  const threat = await threatContext(deps, pool.id, settings, client.id, { ipAddress: userAddressOf(ctx.sourceIp, clientSettingsOf(client), input.UserContextData) });
  if (threat) await recordAuthEvent(deps.store, deps, threat, { userSub: found.sub, eventType: 'ResendCode', response: 'Pass', challenges: [], blocked: false, compromised: false });
  return { CodeDeliveryDetails: details };
};

/**
 * A hidden name's resend, by the steps of a real one (sendRequestedCode) for the name's stand-in
 * (hidden-user.ts): the hourly budget looked at, the template rendered, then one transaction
 * that looks the name up again, counts the request (LimitExceededException at the same count
 * as a real user) and stores a code that is never sent. No outbox row: nothing is delivered.
 */
async function simulateResend(deps: Deps, pool: PoolRecord, settings: PoolSettings, username: string): Promise<CodeDeliveryDetailsType> {
  const stand = hiddenUser(deps.secrets, pool.id, settings, username);
  const details = simulatedSignUpDelivery(settings, username, stand.seed);
  await countCodeRequest(deps, deps.store, stand, 'confirm_sign_up', false);
  const medium = details.DeliveryMedium === 'SMS' ? 'SMS' : 'EMAIL';
  const text = { ...messageText(settings, 'ResendCode', medium), ...(medium === 'EMAIL' ? emailSender(settings) : {}) };
  await deps.store.transaction(async (tx) => {
    await findUser(tx, pool.id, settings, username);
    await countCodeRequest(deps, tx, stand, 'confirm_sign_up');
    const target = { poolId: pool.id, userSub: stand.sub, purpose: 'confirm_sign_up' as const, destination: '' };
    const code = await deps.codes.issue(tx, target, VERIFICATION_CODE_TTL_MS);
    deps.secrets.seal(JSON.stringify({ code, ...text }));
  });
  return details;
}

function resendChannel(settings: PoolSettings, user: UserRecord): CodeChannel {
  if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.');
  const channel = signUpChannel(settings, user.attributes);
  // Also when the pool auto-verifies a contact this user lacks (the exact text there is unverified).
  if (!channel) throw invalidParameter(NO_AUTO_VERIFICATION);
  return channel;
}
