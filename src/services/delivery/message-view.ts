import type { OutboxRecord } from '../../ports/outbox.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import type { CustomSenderRoute } from '../triggers/custom-sender.js';

/**
 * What a queued message carries, sealed in the outbox row. The text is rendered when the
 * message is queued (templates, CustomMessage trigger) and keeps its placeholders: `{####}`
 * becomes the code (or the temporary password of an invitation) and `{username}` the
 * username only when the worker sends it, so the code is never part of a stored text.
 */
export interface MessagePayload {
  code?: string;
  temporaryPassword?: string;
  clientMetadata?: Record<string, string>;
  clientId?: string;
  /** Email subject (EMAIL only). */
  subject?: string;
  /** Email body or SMS text, with placeholders. Absent on rows queued before rendering existed. */
  body?: string;
  from?: string;
  replyTo?: string;
  /**
   * When the code or temporary password stops working (epoch ms). The worker never sends a
   * message past it: a transport configured later must not mail a backlog of dead codes.
   */
  expiresAt?: number;
  /** The pool's CustomEmailSender/CustomSMSSender function that delivers this message instead (channel CustomEmailSender/CustomSMSSender). */
  sender?: CustomSenderRoute;
  /** The user's attributes when the message was queued, for the custom sender's event. */
  userAttributes?: Record<string, string>;
}

export function openPayload(row: OutboxRecord, secrets: SecretBox): MessagePayload {
  return JSON.parse(secrets.open(row.payloadSealed)) as MessagePayload;
}

/** A queued message with its payload opened, for the development views (codes included). */
export interface OpenedMessage {
  id: string;
  /** ISO time it was queued. */
  time: string;
  poolId: string;
  username: string;
  trigger: string;
  channel: OutboxRecord['channel'];
  destination: string;
  state: OutboxRecord['state'];
  code: string | null;
  temporaryPassword: string | null;
  subject: string | null;
  body: string | null;
  clientMetadata: Record<string, string> | null;
}

export function openMessage(row: OutboxRecord, secrets: SecretBox): OpenedMessage {
  const payload = openPayload(row, secrets);
  return {
    id: row.id,
    time: new Date(row.createdAt).toISOString(),
    poolId: row.poolId,
    username: row.username,
    trigger: row.trigger,
    channel: row.channel,
    destination: row.destination,
    state: row.state,
    code: payload.code ?? null,
    temporaryPassword: payload.temporaryPassword ?? null,
    subject: payload.subject ?? null,
    body: payload.body ?? null,
    clientMetadata: payload.clientMetadata ?? null,
  };
}

/** One line for `userpoold messages`: time, pool, username, destination, state, code. */
export function formatMessageLine(row: OutboxRecord, secrets: SecretBox): string {
  const payload = openPayload(row, secrets);
  const secret = payload.code ?? (payload.temporaryPassword !== undefined ? `temporary-password=${payload.temporaryPassword}` : '-');
  return [new Date(row.createdAt).toISOString(), row.poolId, row.username, row.trigger, `${row.channel}:${row.destination}`, row.state, secret].join('\t');
}
