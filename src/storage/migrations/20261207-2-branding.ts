import type { Kysely, Migration } from 'kysely';

// Managed login configuration (features/branding/): classic UI customizations, managed login
// branding styles and terms documents, one table keyed by pool, kind and item id, each item's
// fields as a JSON document.
export const branding: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('branding_items')
      .addColumn('pool_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('branding_items_pk', ['pool_id', 'kind', 'item_id'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('branding_items').execute();
  },
};
