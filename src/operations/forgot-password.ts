import type { Operation } from './deps.js';
import { loadPublicClient } from './recovery-client.js';
import { clientSettingsOf, preventsUserExistenceErrors } from '../domain/app-client.js';
import { maskDestination } from '../domain/mask-destination.js';
import { isAdminOnlyRecovery, recoveryChannel, resetRefusal } from '../domain/recovery.js';
import { findUser } from '../domain/username.js';
import { MESSAGES, limitExceeded, notAuthorized, userNotFound } from '../errors.js';
import { queueMessage } from '../services/delivery/outbox.js';
import type { CodeDeliveryDetailsType } from '../protocol/generated/types.js';

const HOUR_MS = 3_600_000;

/**
 * A user asks for a reset code. The status does not change (the current password keeps
 * working until the reset is confirmed); any earlier code is replaced. With the client's
 * PreventUserExistenceErrors, an unknown, disabled or unreachable user gets an answer of the
 * same shape and nothing is sent.
 */
export const forgotPassword: Operation<'ForgotPassword'> = (deps) => async (input) => {
  const outcome = await deps.store.transaction(async (tx) => {
    const { client, pool, settings } = await loadPublicClient(deps, tx, input.ClientId, input.Username, input.SecretHash);
    const hideExistence = preventsUserExistenceErrors(clientSettingsOf(client));
    if (isAdminOnlyRecovery(settings)) throw notAuthorized('Contact administrator to reset password.');

    const simulated = (): CodeDeliveryDetailsType => simulatedDelivery(settings.AccountRecoverySetting?.RecoveryMechanisms?.[0]?.Name, input.Username);
    const user = await findUser(tx, pool.id, settings, input.Username);
    if (!user) {
      if (hideExistence) return { details: simulated() };
      throw userNotFound(MESSAGES.usernameClientNotFound);
    }
    const refusal = resetRefusal(settings, user);
    if (refusal) {
      if (hideExistence && refusal.name !== 'NotAuthorizedException') return { details: simulated() };
      if (hideExistence && refusal.message === MESSAGES.userDisabled) return { details: simulated() };
      throw refusal;
    }

    // Code requests count against the same hourly budget that limits code guesses.
    const now = deps.clock.nowMs();
    const window = Math.floor(now / HOUR_MS) * HOUR_MS;
    const sendKey = `code-sends:${user.sub}:reset_password`;
    if ((await tx.getCounter(sendKey, window)) >= deps.config.codeAttemptLimit) return { limited: true as const };
    await tx.incrementCounter(sendKey, window);

    const channel = recoveryChannel(settings, user);
    if (!channel) throw new Error('resetRefusal let through a user without a channel');
    const code = await deps.codes.issue(tx, { poolId: pool.id, userSub: user.sub, purpose: 'reset_password' }, deps.config.resetCodeTtlSeconds * 1000);
    await queueMessage(tx, deps, {
      user,
      trigger: 'ForgotPassword',
      channel: channel.medium,
      destination: channel.destination,
      payload: { code, clientMetadata: input.ClientMetadata, clientId: client.id },
    });
    return {
      details: { Destination: maskDestination(channel.medium, channel.destination), DeliveryMedium: channel.medium, AttributeName: channel.attribute },
    };
  });
  // Thrown after the transaction, so the counted request commits.
  if ('limited' in outcome) throw limitExceeded(MESSAGES.attemptLimit);
  return { CodeDeliveryDetails: outcome.details };
};

/** What a hidden user's answer looks like: a masked destination of the expected kind. */
function simulatedDelivery(firstMechanism: string | undefined, username: string): CodeDeliveryDetailsType {
  if (firstMechanism === 'verified_phone_number') {
    return { Destination: '+*******' + '0000', DeliveryMedium: 'SMS', AttributeName: 'phone_number' };
  }
  const looksLikeEmail = username.includes('@');
  return {
    Destination: looksLikeEmail ? maskDestination('EMAIL', username) : `${[...username][0] ?? 'x'}***@e***`,
    DeliveryMedium: 'EMAIL',
    AttributeName: 'email',
  };
}
