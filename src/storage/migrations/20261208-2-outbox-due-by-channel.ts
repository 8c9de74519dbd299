import type { Kysely, Migration } from 'kysely';

// The delivery worker claims only the channels it has a transport for (services/delivery/worker.ts).
// Indexed on state and next_attempt_at alone, that claim walked every pending row of the other
// channels first: on a server without SMTP, every queued email stays pending, and each
// ForgotPassword's wake scanned them all (0.5 ms per claim after 20,000 resets, and growing).
// Leading with the channel, each channel's due rows are one range of the index.
export const outboxDueByChannel: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('outbox_due').execute();
    await db.schema.createIndex('outbox_due_by_channel').on('outbox').columns(['state', 'channel', 'next_attempt_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('outbox_due_by_channel').execute();
    await db.schema.createIndex('outbox_due').on('outbox').columns(['state', 'next_attempt_at']).execute();
  },
};
