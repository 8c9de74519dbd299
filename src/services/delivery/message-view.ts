import type { OutboxRecord } from '../../storage/store.js';
import type { SecretBox } from '../secret-box.js';

/** What a queued message carries, sealed in the outbox row. */
export interface MessagePayload {
  code?: string;
  temporaryPassword?: string;
  clientMetadata?: Record<string, string>;
  clientId?: string;
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
