import type { Kysely, Migration } from 'kysely';

// Provisioned request rates per quota category (UpdateProvisionedLimit; account-wide, so no
// pool) and each pool's replicas in other regions (CreateUserPoolReplica; deleted with their
// pool, storage/kysely/pools.ts).
export const limitsReplicas: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('provisioned_limits')
      .addColumn('category', 'text', (c) => c.primaryKey())
      .addColumn('value', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('pool_replicas')
      .addColumn('pool_id', 'text', (c) => c.notNull())
      .addColumn('region_name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('pool_replicas_pk', ['pool_id', 'region_name'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('pool_replicas').execute();
    await db.schema.dropTable('provisioned_limits').execute();
  },
};
