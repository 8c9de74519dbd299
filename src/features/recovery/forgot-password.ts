import { recordAuthEvent, threatContext } from '../../services/threat/threat-context.js';
import { userAddressOf } from '../../domain/clients/context-data.js';
import type { Deps } from '../../services/deps.js';
import type { Operation } from '../operation.js';
import { loadPublicClient } from '../../services/directory/public-client.js';
import { prepareRecoveryMessage, queueRecoveryCode } from './recovery-message.js';
import { hiddenFromRecovery } from './hidden-names.js';
import { clientSettingsOf, preventsUserExistenceErrors } from '../../domain/clients/app-client.js';
import { inventedDestination, maskDestination } from '../../domain/messages/mask-destination.js';
import { emailSender, messageText } from '../../domain/messages/message-templates.js';
import { isAdminOnlyRecovery, resetRefusal } from '../../domain/recovery/recovery.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import { findUser } from '../../services/directory/find-user.js';
import { hiddenUser, type HiddenUser } from '../../services/directory/hidden-user.js';
import { MESSAGES, limitExceeded, notAuthorized, userNotFound } from '../../kernel/errors.js';
import type { CodeDeliveryDetailsType } from '../../model/generated/types.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { StoreTx } from '../../ports/store.js';
import { migrateUser } from '../../services/triggers/user-migration.js';

const HOUR_MS = 3_600_000;

/**
 * A user asks for a reset code. The status does not change (the current password keeps
 * working until the reset is confirmed); any earlier code is replaced. With the client's
 * PreventUserExistenceErrors, an unknown, disabled or unreachable user gets an answer of the
 * same shape, nothing is sent, and the request costs the same work and counts against the same
 * hourly limit as a real one (simulateRequest).
 */
export const forgotPassword: Operation<'ForgotPassword'> = (deps) => async (input, ctx) => {
  const { client, pool, settings } = await loadPublicClient(deps, deps.store, input.ClientId, input.Username, input.SecretHash);
  if (isAdminOnlyRecovery(settings)) throw notAuthorized('Contact administrator to reset password.');
  const hideExistence = preventsUserExistenceErrors(clientSettingsOf(client));

  // A name the pool does not know goes to the pool's UserMigration function, which may create
  // the user (with a verified contact, so the code has somewhere to go): the reset then goes on
  // as for any user (UserMigration_ForgotPassword, cognito-facts-areas.md §2.3).
  if (!(await findUser(deps.store, pool.id, settings, input.Username))) {
    await migrateUser(deps, {
      source: 'UserMigration_ForgotPassword',
      pool,
      settings,
      clientId: client.id,
      username: input.Username,
      validationData: null,
      clientMetadata: input.ClientMetadata,
    });
  }
  const user = await resettableUser(deps.store, pool, settings, input.Username, hideExistence);
  if (!user) return simulateRequest(deps, pool, settings, input.Username);
  // Past the hourly budget, refuse before the CustomMessage function runs for nothing.
  if (!(await countCodeRequest(deps, deps.store, user.sub, false))) throw limitExceeded(MESSAGES.attemptLimit);
  const prepared = await prepareRecoveryMessage(deps, pool, settings, user, client.id, input.ClientMetadata);
  if (!prepared) throw new Error('resetRefusal let through a user without a recovery channel');
  const threat = await threatContext(deps, pool.id, settings, client.id, { ipAddress: userAddressOf(ctx.sourceIp, clientSettingsOf(client), input.UserContextData) });

  const outcome = await deps.store.transaction(async (tx) => {
    // Checked again: the user may have changed while the message was rendered.
    const current = await resettableUser(tx, pool, settings, input.Username, hideExistence);
    if (!current) return { simulated: true as const };
    if (!(await countCodeRequest(deps, tx, current.sub))) return { limited: true as const };
    const channel = await queueRecoveryCode(tx, deps, settings, current, prepared);
    if (!channel) throw new Error('resetRefusal let through a user without a recovery channel');
    if (threat) await recordAuthEvent(tx, deps, threat, { userSub: current.sub, eventType: 'ForgotPassword', response: 'Pass', challenges: [], blocked: false, compromised: false });
    return { details: { Destination: maskDestination(channel.medium, channel.destination), DeliveryMedium: channel.medium, AttributeName: channel.attribute } };
  });
  // Thrown after the transaction, so the counted request commits.
  if ('limited' in outcome) throw limitExceeded(MESSAGES.attemptLimit);
  if ('simulated' in outcome) return simulateRequest(deps, pool, settings, input.Username);
  deps.onMessageQueued();
  return { CodeDeliveryDetails: outcome.details };
};

/**
 * The answer for a hidden name, reached by the same steps as a real request so that neither
 * the answer, the limit nor the time taken tells the two apart: the hourly budget looked at,
 * the pool's template rendered, then one transaction that looks the name up again, counts the
 * request and stores a reset code, all for the name's stand-in (hidden-user.ts). The code is
 * never sent; it lets ConfirmForgotPassword answer the stand-in exactly as it answers a real
 * user with a requested code. Only the outbox row is not written: nothing must be delivered.
 */
async function simulateRequest(deps: Deps, pool: PoolRecord, settings: PoolSettings, username: string) {
  const stand = hiddenUser(deps.secrets, pool.id, settings, username);
  const details = simulatedDelivery(settings, username, stand);
  if (!(await countCodeRequest(deps, deps.store, stand.sub, false))) throw limitExceeded(MESSAGES.attemptLimit);
  const medium = details.DeliveryMedium === 'SMS' ? 'SMS' : 'EMAIL';
  const text = { ...messageText(settings, 'ForgotPassword', medium), ...(medium === 'EMAIL' ? emailSender(settings) : {}) };
  const limited = await deps.store.transaction(async (tx) => {
    await findUser(tx, pool.id, settings, username);
    if (!(await countCodeRequest(deps, tx, stand.sub))) return true;
    const target = { poolId: pool.id, userSub: stand.sub, purpose: 'reset_password' as const, destination: '' };
    const code = await deps.codes.issue(tx, target, deps.config.resetCodeTtlSeconds * 1000);
    deps.secrets.seal(JSON.stringify({ code, ...text }));
    return false;
  });
  if (limited) throw limitExceeded(MESSAGES.attemptLimit);
  return { CodeDeliveryDetails: details };
}

/** The user whose password may be reset, or undefined when existence errors are hidden. */
async function resettableUser(tx: StoreTx, pool: PoolRecord, settings: PoolSettings, username: string, hideExistence: boolean) {
  const user = await findUser(tx, pool.id, settings, username);
  if (!user) {
    if (hideExistence) return undefined;
    throw userNotFound(MESSAGES.usernameClientNotFound);
  }
  if (hideExistence && hiddenFromRecovery(settings, user)) return undefined;
  const refusal = resetRefusal(settings, user);
  if (refusal) throw refusal;
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

/**
 * What a hidden name's answer looks like: the channel the pool would use (its first recovery
 * mechanism, or a phone number typed as the name), with a destination invented from the name's
 * keyed hash in the format of a real mask (inventedDestination).
 */
function simulatedDelivery(settings: PoolSettings, username: string, stand: HiddenUser): CodeDeliveryDetailsType {
  const mechanisms = settings.AccountRecoverySetting?.RecoveryMechanisms;
  const first = mechanisms ? [...mechanisms].sort((a, b) => a.Priority - b.Priority)[0]?.Name : undefined;
  const sms = first === 'verified_phone_number' || (first === undefined && /^\+\d{5,}$/u.test(username));
  if (sms) return { Destination: inventedDestination('SMS', username, stand.seed), DeliveryMedium: 'SMS', AttributeName: 'phone_number' };
  return { Destination: inventedDestination('EMAIL', username, stand.seed), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}
