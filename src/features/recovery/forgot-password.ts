import type { Deps } from '../../services/deps.js';
import type { Operation } from '../operation.js';
import { loadPublicClient } from '../../services/directory/public-client.js';
import { prepareRecoveryMessage, queueRecoveryCode } from './recovery-message.js';
import { clientSettingsOf, preventsUserExistenceErrors } from '../../domain/clients/app-client.js';
import { maskDestination } from '../../domain/messages/mask-destination.js';
import { isAdminOnlyRecovery, resetRefusal } from '../../domain/recovery/recovery.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import { findUser } from '../../services/directory/find-user.js';
import { MESSAGES, limitExceeded, notAuthorized, userNotFound } from '../../kernel/errors.js';
import type { CodeDeliveryDetailsType } from '../../model/generated/types.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { StoreTx } from '../../ports/store.js';

const HOUR_MS = 3_600_000;

/**
 * A user asks for a reset code. The status does not change (the current password keeps
 * working until the reset is confirmed); any earlier code is replaced. With the client's
 * PreventUserExistenceErrors, an unknown, disabled or unreachable user gets an answer of the
 * same shape and nothing is sent.
 */
export const forgotPassword: Operation<'ForgotPassword'> = (deps) => async (input) => {
  const { client, pool, settings } = await loadPublicClient(deps, deps.store, input.ClientId, input.Username, input.SecretHash);
  if (isAdminOnlyRecovery(settings)) throw notAuthorized('Contact administrator to reset password.');
  const hideExistence = preventsUserExistenceErrors(clientSettingsOf(client));
  const simulated = () => ({ CodeDeliveryDetails: simulatedDelivery(settings, input.Username) });

  const user = await resettableUser(deps.store, pool, settings, input.Username, hideExistence);
  if (!user) return simulated();
  // Past the hourly budget, refuse before the CustomMessage function runs for nothing.
  if (!(await countCodeRequest(deps, deps.store, user.sub, false))) throw limitExceeded(MESSAGES.attemptLimit);
  const prepared = await prepareRecoveryMessage(deps, pool, settings, user, client.id, input.ClientMetadata);
  if (!prepared) throw new Error('resetRefusal let through a user without a recovery channel');

  const outcome = await deps.store.transaction(async (tx) => {
    // Checked again: the user may have changed while the message was rendered.
    const current = await resettableUser(tx, pool, settings, input.Username, hideExistence);
    if (!current) return { simulated: true as const };
    if (!(await countCodeRequest(deps, tx, current.sub))) return { limited: true as const };
    const channel = await queueRecoveryCode(tx, deps, settings, current, prepared);
    if (!channel) throw new Error('resetRefusal let through a user without a recovery channel');
    return { details: { Destination: maskDestination(channel.medium, channel.destination), DeliveryMedium: channel.medium, AttributeName: channel.attribute } };
  });
  // Thrown after the transaction, so the counted request commits.
  if ('limited' in outcome) throw limitExceeded(MESSAGES.attemptLimit);
  if ('simulated' in outcome) return simulated();
  deps.onMessageQueued();
  return { CodeDeliveryDetails: outcome.details };
};

/** The user whose password may be reset, or undefined when existence errors are hidden. */
async function resettableUser(tx: StoreTx, pool: PoolRecord, settings: PoolSettings, username: string, hideExistence: boolean) {
  const user = await findUser(tx, pool.id, settings, username);
  if (!user) {
    if (hideExistence) return undefined;
    throw userNotFound(MESSAGES.usernameClientNotFound);
  }
  const refusal = resetRefusal(settings, user);
  if (refusal) {
    // Hidden: a disabled user or one without a verified destination. A user whose state
    // forbids a reset (FORCE_CHANGE_PASSWORD) is told so, as AWS does.
    if (hideExistence && refusal.message !== 'User password cannot be reset in the current state.') return undefined;
    throw refusal;
  }
  return user;
}

/**
 * Code requests have an hourly budget of their own per user, as large as the budget of code
 * attempts (`--code-attempt-limit`); false past it. With `count` false it only looks.
 */
async function countCodeRequest(deps: Deps, tx: StoreTx, userSub: string, count = true): Promise<boolean> {
  const now = deps.clock.nowMs();
  const window = Math.floor(now / HOUR_MS) * HOUR_MS;
  const key = `code-sends:${userSub}:reset_password`;
  if ((await tx.getCounter(key, window)) >= deps.config.codeAttemptLimit) return false;
  if (count) await tx.incrementCounter(key, window);
  return true;
}

/** What a hidden user's answer looks like: a masked destination of the kind the pool would use. */
function simulatedDelivery(settings: PoolSettings, username: string): CodeDeliveryDetailsType {
  const mechanisms = settings.AccountRecoverySetting?.RecoveryMechanisms;
  const first = mechanisms ? [...mechanisms].sort((a, b) => a.Priority - b.Priority)[0]?.Name : undefined;
  if (first === 'verified_phone_number') return { Destination: '+*******0000', DeliveryMedium: 'SMS', AttributeName: 'phone_number' };
  const destination = username.includes('@') ? maskDestination('EMAIL', username) : `${[...username][0] ?? 'x'}***@e***`;
  return { Destination: destination, DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}
