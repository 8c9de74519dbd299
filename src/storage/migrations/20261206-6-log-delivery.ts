import type { Kysely, Migration } from 'kysely';

// Each pool's log delivery configuration (SetLogDeliveryConfiguration): the LogConfigurations
// list as JSON, one row per pool, read by the delivery worker when a message fails. Deleted
// with its pool (storage/kysely/pools.ts).
export const logDelivery: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('log_delivery')
      .addColumn('pool_id', 'text', (c) => c.primaryKey())
      .addColumn('configurations', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('log_delivery').execute();
  },
};
