import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

// Users' MFA setups (src/ports/user-mfa.ts): one row per user that set one up, keyed
// (pool_id, user_sub), read once per sign-in, GetUser and AdminGetUser. The TOTP secrets are
// sealed with the server key. Kept out of the users table so that user reads on hot paths
// (and ListUsers) do not carry them.
export const userMfa: Migration = {
  async up(db: Kysely<unknown>) {
    const ordered = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text collate "C"` : sql`text`;
    await db.schema
      .createTable('user_mfa')
      .addColumn('pool_id', ordered, (c) => c.notNull())
      .addColumn('user_sub', ordered, (c) => c.notNull())
      .addColumn('totp_secret_sealed', 'text')
      .addColumn('pending_totp_secret_sealed', 'text')
      .addColumn('totp_device_name', 'text')
      .addColumn('sms_enabled', 'integer', (c) => c.notNull())
      .addColumn('totp_enabled', 'integer', (c) => c.notNull())
      .addColumn('email_enabled', 'integer', (c) => c.notNull())
      .addColumn('preferred', 'text')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_mfa_pk', ['pool_id', 'user_sub'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('user_mfa').execute();
  },
};
