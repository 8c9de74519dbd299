import type { OutboxRecord } from '../../ports/outbox.js';

/**
 * The outbox channels this process has ever queued a message for. A transaction that queued a
 * message wakes the delivery worker after it commits, but the worker delivers only the channels
 * it has a transport for (worker.ts): on a server without SMTP every email stays in the outbox,
 * and a wake for one cost a claim query per ForgotPassword or AdminResetUserPassword (half their
 * server CPU, bench/RESULTS.md). Noted inside the transaction, before the commit and the wake
 * after it, so no wake the worker needs is skipped; never forgotten, so concurrent requests
 * cannot clear each other's notes. The worker's own poll covers other processes' messages.
 */
export interface QueuedChannels {
  note(channel: OutboxRecord['channel']): void;
  /** Whether any of these channels has been queued here. */
  includesAny(channels: readonly OutboxRecord['channel'][]): boolean;
}

export function createQueuedChannels(): QueuedChannels {
  const queued = new Set<OutboxRecord['channel']>();
  return {
    note: (channel) => void queued.add(channel),
    includesAny: (channels) => channels.some((channel) => queued.has(channel)),
  };
}
