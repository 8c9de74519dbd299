import type { Kysely, Migration } from 'kysely';

// Developer credentials created with `userpoold credentials create`. The secret is sealed with
// the server key (it must be recoverable: SigV4 derives its signing key from it); the policy is
// JSON text. Access key ids are upper-case letters and digits, which every collation orders alike.
export const credentials: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('credentials')
      .addColumn('access_key_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('secret_sealed', 'text', (c) => c.notNull())
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
