import type { Kysely, Migration } from 'kysely';

// USER_SRP_AUTH needs a verifier per user, set with every password. The salt is public (it is
// sent at the first step); the verifier is sealed with the server key. `single_use` remembers
// consumed one-time values (SRP secret blocks) until they would have expired anyway.
export const srpVerifier: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('srp_salt', 'text').execute();
    await db.schema.alterTable('users').addColumn('srp_verifier_sealed', 'text').execute();
    await db.schema
      .createTable('single_use')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('single_use_expires').on('single_use').columns(['expires_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('single_use').execute();
    await db.schema.alterTable('users').dropColumn('srp_verifier_sealed').execute();
    await db.schema.alterTable('users').dropColumn('srp_salt').execute();
  },
};
