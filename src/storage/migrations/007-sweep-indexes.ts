import type { Kysely, Migration } from 'kysely';

// The periodic sweep (Store.sweep) deletes by age; without these each pass would scan whole
// tables. Failed outbox rows are aged by next_attempt_at (they record no finish time), which
// the existing outbox_due (state, next_attempt_at) index already serves.
export const sweepIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('refresh_tokens_expires').on('refresh_tokens').columns(['expires_at']).execute();
    await db.schema.createIndex('refresh_tokens_revoked').on('refresh_tokens').columns(['revoked_at']).execute();
    await db.schema.createIndex('codes_expires').on('codes').columns(['expires_at']).execute();
    await db.schema.createIndex('counters_window_start').on('counters').columns(['window_start']).execute();
    await db.schema.createIndex('outbox_finished').on('outbox').columns(['state', 'delivered_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    for (const name of ['refresh_tokens_expires', 'refresh_tokens_revoked', 'codes_expires', 'counters_window_start', 'outbox_finished']) {
      await db.schema.dropIndex(name).execute();
    }
  },
};
