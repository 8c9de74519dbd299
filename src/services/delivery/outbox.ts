import type { Clock } from '../../kernel/clock.js';
import type { Random } from '../../kernel/random.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import type { OutboxRecord } from '../../ports/outbox.js';
import type { StoreTx } from '../../ports/store.js';
import type { UserRecord } from '../../domain/users/user.js';
import type { MessagePayload } from './message-view.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import { customSenderFor } from '../triggers/custom-sender.js';
import { triggerUserAttributes } from '../triggers/user-attributes.js';
import type { QueuedChannels } from './queued-channels.js';

export interface QueuedMessage {
  user: UserRecord;
  /**
   * The user's pool settings as the operation already holds them (they say whether a custom
   * sender takes the message). Not read again here: a ForgotPassword for an unknown name must
   * do the same store work as for a real user short of the outbox row (user-existence.test.ts).
   */
  settings: PoolSettings;
  /** The CustomMessage trigger source suffix: ForgotPassword, AdminCreateUser, SignUp, ... */
  trigger: string;
  channel: 'EMAIL' | 'SMS';
  destination: string;
  payload: MessagePayload;
}

/**
 * Writes a message to the outbox inside the caller's transaction, so the state change and
 * the message it causes commit together. The payload (code, temporary password, client
 * metadata) is sealed: the database alone does not reveal it. When the pool names a custom
 * sender for the medium, the row is routed to that function instead of the server's transport
 * (with the user's attributes as they are now, for its event).
 */
export async function queueMessage(
  tx: StoreTx,
  deps: { clock: Clock; random: Random; secrets: SecretBox; queuedChannels: QueuedChannels },
  message: QueuedMessage,
): Promise<OutboxRecord> {
  const now = deps.clock.nowMs();
  const route = customSenderFor(message.settings, message.channel);
  const payload: MessagePayload = route === undefined ? message.payload : { ...message.payload, sender: route, userAttributes: triggerUserAttributes(message.user) };
  const record: OutboxRecord = {
    id: outboxId(now, deps.random),
    poolId: message.user.poolId,
    userSub: message.user.sub,
    username: message.user.username,
    trigger: message.trigger,
    channel: route?.trigger ?? message.channel,
    destination: message.destination,
    payloadSealed: deps.secrets.seal(JSON.stringify(payload)),
    state: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    claimedBy: null,
    claimedUntil: null,
    lastError: null,
    createdAt: now,
    deliveredAt: null,
  };
  await tx.enqueueMessage(record);
  deps.queuedChannels.note(record.channel);
  return record;
}

let sequence = 0;

/**
 * Message ids sort in creation order (time, then a per-process sequence for messages of the
 * same millisecond) and stay unique across instances (a random suffix). The id is also the
 * idempotency key of the delivery.
 */
export function outboxId(now: number, random: Random): string {
  sequence = (sequence + 1) % 36 ** 4;
  return `${now.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}-${random.uuid()}`;
}
