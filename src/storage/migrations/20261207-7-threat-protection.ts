import type { Kysely, Migration } from 'kysely';

// Threat protection (UserPoolAddOns AUDIT/ENFORCED): each user's auth events, listed newest
// first per user (the index), and the risk configurations of pools (client_id '') and app
// clients. Events are deleted with their user and pool, configurations with their pool and client.
export const threatProtection: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('auth_events')
      .addColumn('event_id', 'text', (c) => c.primaryKey())
      .addColumn('pool_id', 'text', (c) => c.notNull())
      .addColumn('user_sub', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('response', 'text', (c) => c.notNull())
      .addColumn('risk', 'text', (c) => c.notNull())
      .addColumn('challenges', 'text', (c) => c.notNull())
      .addColumn('context', 'text', (c) => c.notNull())
      .addColumn('feedback', 'text')
      .execute();
    await db.schema.createIndex('auth_events_by_user').on('auth_events').columns(['pool_id', 'user_sub', 'created_at', 'event_id']).execute();
    await db.schema
      .createTable('risk_configurations')
      .addColumn('pool_id', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('configuration', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('risk_configurations_pk', ['pool_id', 'client_id'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('risk_configurations').execute();
    await db.schema.dropTable('auth_events').execute();
  },
};
