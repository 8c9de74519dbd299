export type MessageState = 'pending' | 'delivered' | 'failed';

/** A message waiting for delivery, written in the transaction of the change that caused it. */
export interface OutboxRecord {
  id: string;
  poolId: string;
  userSub: string;
  username: string;
  /** The CustomMessage trigger source suffix, e.g. ForgotPassword, AdminCreateUser, SignUp. */
  trigger: string;
  /**
   * EMAIL or SMS (delivered by the server's transports), or the pool's custom sender function
   * that delivers a message of that medium instead (services/triggers/custom-sender.ts).
   */
  channel: 'EMAIL' | 'SMS' | 'CustomEmailSender' | 'CustomSMSSender';
  destination: string;
  /** JSON of MessagePayload, sealed: it carries the code. */
  payloadSealed: string;
  state: MessageState;
  attempts: number;
  nextAttemptAt: number;
  claimedBy: string | null;
  claimedUntil: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

export interface MessageQuery {
  poolId?: string | undefined;
  username?: string | undefined;
  /** Only messages created after this one (by creation order). */
  afterId?: string | undefined;
  /** The newest `limit` messages, returned oldest first. */
  limit: number;
}

export interface OutboxPort {
  enqueueMessage(message: OutboxRecord): Promise<void>;
  listMessages(query: MessageQuery): Promise<OutboxRecord[]>;
  /** Claims up to `limit` due messages for `worker` until `claimedUntil`, only of `channels` when given. */
  claimMessages(worker: string, now: number, claimedUntil: number, limit: number, channels?: readonly OutboxRecord['channel'][]): Promise<OutboxRecord[]>;
  updateMessage(message: OutboxRecord): Promise<void>;
}
