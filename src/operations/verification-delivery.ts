import type { Deps } from './deps.js';
import { CODE_SENDS_PER_HOUR, VERIFICATION_CODE_TTL_MS, deliveryDetails, type CodeChannel } from '../domain/verification.js';
import { MESSAGES, limitExceeded } from '../errors.js';
import type { CodeDeliveryDetailsType } from '../protocol/generated/types.js';
import type { CodePurpose } from '../services/codes.js';
import { queueMessage } from '../services/delivery/outbox.js';
import type { StoreTx, UserRecord } from '../storage/store.js';

const HOUR_MS = 3_600_000;

export interface CodeDelivery {
  user: UserRecord;
  purpose: CodePurpose;
  channel: CodeChannel;
  /** The CustomMessage trigger source suffix: SignUp, ResendCode, UpdateUserAttribute, VerifyUserAttribute. */
  trigger: string;
  clientMetadata: Record<string, string> | undefined;
  clientId: string | undefined;
}

/**
 * Issues a 24-hour code (replacing the user's earlier one for the same purpose) and queues its
 * message in the caller's transaction, so the code exists exactly when its message does.
 */
export async function sendVerificationCode(deps: Deps, tx: StoreTx, delivery: CodeDelivery): Promise<CodeDeliveryDetailsType> {
  const { user, purpose, channel } = delivery;
  const code = await deps.codes.issue(tx, { poolId: user.poolId, userSub: user.sub, purpose }, VERIFICATION_CODE_TTL_MS);
  await queueMessage(tx, deps, {
    user,
    trigger: delivery.trigger,
    channel: channel.medium,
    destination: channel.destination,
    payload: { code, clientMetadata: delivery.clientMetadata, clientId: delivery.clientId },
  });
  return deliveryDetails(channel);
}

/**
 * Counts one code request of the user for this purpose in the current hour, refusing (without
 * counting) past the limit. Call it in the transaction that sends the code: a refused request
 * rolls back and sends nothing.
 */
export async function countCodeRequest(deps: Deps, tx: StoreTx, user: UserRecord, purpose: CodePurpose): Promise<void> {
  const now = deps.clock.nowMs();
  const window = Math.floor(now / HOUR_MS) * HOUR_MS;
  const key = `code-sends:${user.sub}:${purpose}`;
  if ((await tx.getCounter(key, window)) >= CODE_SENDS_PER_HOUR) throw limitExceeded(MESSAGES.attemptLimit);
  await tx.incrementCounter(key, window);
}

/**
 * Makes sure no earlier code for this purpose still works, without sending anything: the new,
 * unsent code replaces it. Used when the value a code was sent to changes without a new code.
 */
export async function invalidateCode(deps: Deps, tx: StoreTx, user: UserRecord, purpose: CodePurpose): Promise<void> {
  await deps.codes.issue(tx, { poolId: user.poolId, userSub: user.sub, purpose }, 0);
}
