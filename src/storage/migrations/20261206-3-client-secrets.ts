import { sql, type Kysely, type Migration } from 'kysely';

// Client secret rotation (AddUserPoolClientSecret): an app client has at most two active
// secrets, so they live in the client's own row, two slots, and the sign-in path still reads one
// row. secret_sealed stays the first (oldest) slot and gains its creation time (a secret's id is
// `<client-id>--<created-at>`); a client's secret so far was made with the client, so existing
// rows take the client's created_at. second_secret_* is the newer secret while one is rotated.
export const clientSecrets: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('user_pool_clients').addColumn('secret_created_at', 'bigint').execute();
    await db.schema.alterTable('user_pool_clients').addColumn('second_secret_sealed', 'text').execute();
    await db.schema.alterTable('user_pool_clients').addColumn('second_secret_created_at', 'bigint').execute();
    await sql`update user_pool_clients set secret_created_at = created_at where secret_sealed is not null`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    for (const column of ['second_secret_created_at', 'second_secret_sealed', 'secret_created_at']) {
      await db.schema.alterTable('user_pool_clients').dropColumn(column).execute();
    }
  },
};
