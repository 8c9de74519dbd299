import type { Deps } from '../../services/deps.js';
import { emailSender, messageText } from '../../domain/messages/message-templates.js';
import { recoveryChannel, type RecoveryChannel } from '../../domain/recovery/recovery.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import { queueMessage } from '../../services/delivery/outbox.js';
import { renderMessage, type RenderedText } from '../../services/delivery/render.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { StoreTx } from '../../ports/store.js';
import type { UserRecord } from '../../domain/users/user.js';

/** A recovery message rendered before the write transaction (it may run the CustomMessage trigger). */
export interface PreparedRecoveryMessage {
  channel: RecoveryChannel;
  text: RenderedText;
  clientId?: string | undefined;
  clientMetadata?: Record<string, string> | undefined;
}

export async function prepareRecoveryMessage(
  deps: Deps,
  pool: PoolRecord,
  settings: PoolSettings,
  user: UserRecord,
  clientId: string | undefined,
  clientMetadata: Record<string, string> | undefined,
): Promise<PreparedRecoveryMessage | undefined> {
  const channel = recoveryChannel(settings, user);
  if (!channel) return undefined;
  const text = await renderMessage(deps, { pool, settings, user, trigger: 'ForgotPassword', channel: channel.medium, clientId, clientMetadata });
  return { channel, text, clientId, clientMetadata };
}

/**
 * Inside the write transaction: issues the reset code (replacing any earlier one) and queues
 * the prepared message. The channel is taken from the user as now stored; should it have
 * changed since the message was rendered, the pool's template for the new channel is used.
 */
export async function queueRecoveryCode(
  tx: StoreTx,
  deps: Deps,
  settings: PoolSettings,
  user: UserRecord,
  prepared: PreparedRecoveryMessage,
): Promise<RecoveryChannel | undefined> {
  const channel = recoveryChannel(settings, user);
  if (!channel) return undefined;
  const sameChannel = channel.medium === prepared.channel.medium && channel.destination === prepared.channel.destination;
  const text = sameChannel ? prepared.text : { ...messageText(settings, 'ForgotPassword', channel.medium), ...(channel.medium === 'EMAIL' ? emailSender(settings) : {}) };
  const target = { poolId: user.poolId, userSub: user.sub, purpose: 'reset_password' as const, destination: channel.destination };
  const ttlMs = deps.config.resetCodeTtlSeconds * 1000;
  const code = await deps.codes.issue(tx, target, ttlMs);
  await queueMessage(tx, deps, {
    user,
    settings,
    trigger: 'ForgotPassword',
    channel: channel.medium,
    destination: channel.destination,
    payload: { code, clientMetadata: prepared.clientMetadata, clientId: prepared.clientId, ...text, expiresAt: deps.clock.nowMs() + ttlMs },
  });
  return channel;
}
