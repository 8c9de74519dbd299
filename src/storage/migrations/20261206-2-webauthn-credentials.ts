import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

// Users' passkeys (src/ports/webauthn-credentials.ts): one row per credential, keyed
// (pool_id, credential_id) as a sign-in finds it; listed per user by the second index.
export const webauthnCredentials: Migration = {
  async up(db: Kysely<unknown>) {
    const ordered = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text collate "C"` : sql`text`;
    await db.schema
      .createTable('webauthn_credentials')
      .addColumn('pool_id', ordered, (c) => c.notNull())
      .addColumn('credential_id', ordered, (c) => c.notNull())
      .addColumn('user_sub', ordered, (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('sign_count', 'bigint', (c) => c.notNull())
      .addColumn('transports', 'text', (c) => c.notNull())
      .addColumn('friendly_name', 'text')
      .addColumn('relying_party_id', 'text', (c) => c.notNull())
      .addColumn('attachment', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('webauthn_credentials_pk', ['pool_id', 'credential_id'])
      .execute();
    await db.schema.createIndex('webauthn_credentials_user').on('webauthn_credentials').columns(['pool_id', 'user_sub', 'created_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('webauthn_credentials').execute();
  },
};
