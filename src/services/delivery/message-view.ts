import type { OutboxRecord } from '../../ports/outbox.js';
import type { SecretBox } from '../../kernel/secret-box.js';

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
}

export function openPayload(row: OutboxRecord, secrets: SecretBox): MessagePayload {
  return JSON.parse(secrets.open(row.payloadSealed)) as MessagePayload;
}

/** One line for `userpoold messages`: time, pool, username, destination, state, code. */
export function formatMessageLine(row: OutboxRecord, secrets: SecretBox): string {
  const payload = openPayload(row, secrets);
  const secret = payload.code ?? (payload.temporaryPassword !== undefined ? `temporary-password=${payload.temporaryPassword}` : '-');
  return [new Date(row.createdAt).toISOString(), row.poolId, row.username, row.trigger, `${row.channel}:${row.destination}`, row.state, secret].join('\t');
}
