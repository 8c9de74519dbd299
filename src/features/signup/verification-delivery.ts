import type { Deps } from '../../services/deps.js';
import { emailSender, messageText } from '../../domain/messages/message-templates.js';
import { settingsOf, type PoolSettings } from '../../domain/pools/user-pool.js';
import { CODE_SENDS_PER_HOUR, VERIFICATION_CODE_TTL_MS, deliveryDetails, type CodeChannel } from '../../domain/users/verification.js';
import { MESSAGES, limitExceeded, userNotFound } from '../../kernel/errors.js';
import type { CodeDeliveryDetailsType } from '../../model/generated/types.js';
import type { CodePurpose } from '../../services/codes/codes.js';
import { queueMessage } from '../../services/delivery/outbox.js';
import { renderMessage, type RenderedText } from '../../services/delivery/render.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { StoreTx } from '../../ports/store.js';
import type { UserRecord } from '../../domain/users/user.js';

const HOUR_MS = 3_600_000;

/** A verification message rendered before the write transaction (it may run the CustomMessage trigger). */
export interface PreparedCodeMessage {
  channel: CodeChannel;
  /** The CustomMessage trigger source suffix: SignUp, ResendCode, UpdateUserAttribute, VerifyUserAttribute. */
  trigger: string;
  text: RenderedText;
  clientId: string | undefined;
  clientMetadata: Record<string, string> | undefined;
}

/** What a message needs when none was rendered for its channel: the pool's template serves. */
export type UnrenderedCodeMessage = Omit<PreparedCodeMessage, 'channel' | 'text'>;

export async function prepareCodeMessage(
  deps: Deps,
  pool: PoolRecord,
  user: UserRecord,
  message: Omit<PreparedCodeMessage, 'text'>,
): Promise<PreparedCodeMessage> {
  const settings = settingsOf(pool);
  const text = await renderMessage(deps, {
    pool,
    settings,
    user,
    trigger: message.trigger,
    channel: message.channel.medium,
    clientId: message.clientId,
    clientMetadata: message.clientMetadata,
  });
  return { ...message, text };
}

/**
 * Inside the write transaction: issues a 24-hour code (replacing the user's earlier one for the
 * purpose) and queues the prepared message, so the code exists exactly when its message does.
 * `channel` is where the code goes as the user is now stored; should that differ from where the
 * message was rendered for (or nothing was rendered), the pool's template is used instead.
 */
export async function sendVerificationCode(
  deps: Deps,
  tx: StoreTx,
  settings: PoolSettings,
  user: UserRecord,
  purpose: CodePurpose,
  channel: CodeChannel,
  prepared: PreparedCodeMessage | UnrenderedCodeMessage,
): Promise<CodeDeliveryDetailsType> {
  const same = 'text' in prepared && channel.medium === prepared.channel.medium && channel.destination === prepared.channel.destination;
  const text = same
    ? prepared.text
    : { ...messageText(settings, prepared.trigger, channel.medium), ...(channel.medium === 'EMAIL' ? emailSender(settings) : {}) };
  const code = await deps.codes.issue(tx, { poolId: user.poolId, userSub: user.sub, purpose, destination: channel.destination }, VERIFICATION_CODE_TTL_MS);
  await queueMessage(tx, deps, {
    user,
    settings,
    trigger: prepared.trigger,
    channel: channel.medium,
    destination: channel.destination,
    payload: { code, clientMetadata: prepared.clientMetadata, clientId: prepared.clientId, ...text, expiresAt: deps.clock.nowMs() + VERIFICATION_CODE_TTL_MS },
  });
  return deliveryDetails(channel);
}

/** A code an existing user asks for again (ResendConfirmationCode, GetUserAttributeVerificationCode). */
export interface CodeRequest {
  purpose: CodePurpose;
  trigger: string;
  clientId: string | undefined;
  clientMetadata: Record<string, string> | undefined;
  /** Where the code goes for the user as stored; throws when the user may not have one. */
  channelOf: (user: UserRecord) => CodeChannel;
  /** The UserNotFoundException text should the user be deleted while the message renders. */
  userGoneMessage: string;
}

/**
 * The message is rendered before the write transaction (it may run the CustomMessage trigger),
 * so the checks run twice: on `found` to refuse early without running the trigger, then on the
 * user as read again in the transaction, which also counts the request and sends the code.
 */
export async function sendRequestedCode(deps: Deps, pool: PoolRecord, found: UserRecord, request: CodeRequest): Promise<CodeDeliveryDetailsType> {
  const { purpose, channelOf } = request;
  const first = channelOf(found);
  await countCodeRequest(deps, deps.store, found, purpose, false);
  const prepared = await prepareCodeMessage(deps, pool, found, {
    channel: first,
    trigger: request.trigger,
    clientId: request.clientId,
    clientMetadata: request.clientMetadata,
  });
  const details = await deps.store.transaction(async (tx) => {
    const user = await tx.getUserBySub(pool.id, found.sub);
    if (!user) throw userNotFound(request.userGoneMessage);
    const channel = channelOf(user);
    await countCodeRequest(deps, tx, user, purpose);
    return sendVerificationCode(deps, tx, settingsOf(pool), user, purpose, channel, prepared);
  });
  deps.onMessageQueued();
  return details;
}

/**
 * Counts one code request of the user for this purpose in the current hour, refusing (without
 * counting) past the limit. Call it in the transaction that sends the code: a refused request
 * rolls back and sends nothing. Also callable on the store alone with `count: false`, to refuse
 * early, before a CustomMessage trigger runs for nothing.
 */
export async function countCodeRequest(deps: Deps, tx: StoreTx, user: Pick<UserRecord, 'sub'>, purpose: CodePurpose, count = true): Promise<void> {
  const now = deps.clock.nowMs();
  const window = Math.floor(now / HOUR_MS) * HOUR_MS;
  const key = `code-sends:${user.sub}:${purpose}`;
  if ((await tx.getCounter(key, window)) >= CODE_SENDS_PER_HOUR) throw limitExceeded(MESSAGES.attemptLimit);
  if (count) await tx.incrementCounter(key, window);
}

/**
 * Makes sure no earlier code for this purpose still works, without sending anything: the new,
 * unsent code replaces it. Used when the value a code was sent to changes without a new code.
 */
export async function invalidateCode(deps: Deps, tx: StoreTx, user: UserRecord, purpose: CodePurpose): Promise<void> {
  await deps.codes.issue(tx, { poolId: user.poolId, userSub: user.sub, purpose, destination: '' }, 0);
}
