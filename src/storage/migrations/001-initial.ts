import { sql, type Kysely, type Migration } from 'kysely';

// Types are chosen to mean the same on SQLite and PostgreSQL: text, bigint for epoch ms,
// integer for 0/1 flags and counts.
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('user_pools')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('user_pool_clients')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('pool_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('secret_sealed', 'text')
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('user_pool_clients_pool').on('user_pool_clients').columns(['pool_id', 'id']).execute();

    await db.schema
      .createTable('users')
      .addColumn('sub', 'text', (c) => c.primaryKey())
      .addColumn('pool_id', 'text', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('username_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('password_hash', 'text')
      .addColumn('password_updated_at', 'bigint')
      .addColumn('attributes', 'text', (c) => c.notNull())
      .addColumn('alias_email', 'text')
      .addColumn('alias_phone', 'text')
      .addColumn('alias_preferred_username', 'text')
      .addColumn('email', 'text')
      .addColumn('phone_number', 'text')
      .addColumn('name', 'text')
      .addColumn('given_name', 'text')
      .addColumn('family_name', 'text')
      .addColumn('preferred_username', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('users_username').on('users').columns(['pool_id', 'username_key']).unique().execute();
    for (const alias of ['alias_email', 'alias_phone', 'alias_preferred_username']) {
      await db.schema
        .createIndex(`users_${alias}`)
        .on('users')
        .columns(['pool_id', alias])
        .unique()
        .where(sql.ref(alias), 'is not', null)
        .execute();
    }
    // ListUsers filters: equality and prefix on each, paged in username order.
    for (const column of ['email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username', 'status', 'enabled', 'username']) {
      await db.schema.createIndex(`users_filter_${column}`).on('users').columns(['pool_id', column, 'username_key']).execute();
    }

    await db.schema
      .createTable('codes')
      .addColumn('user_sub', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('pool_id', 'text', (c) => c.notNull())
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('codes_pk', ['user_sub', 'purpose'])
      .execute();

    await db.schema
      .createTable('counters')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('pool_id', 'text', (c) => c.notNull())
      .addColumn('user_sub', 'text', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('destination', 'text', (c) => c.notNull())
      .addColumn('payload_sealed', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('claimed_by', 'text')
      .addColumn('claimed_until', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('delivered_at', 'bigint')
      .execute();
    await db.schema.createIndex('outbox_due').on('outbox').columns(['state', 'next_attempt_at']).execute();
    await db.schema.createIndex('outbox_pool').on('outbox').columns(['pool_id', 'created_at']).execute();

    await db.schema
      .createTable('refresh_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('pool_id', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('user_sub', 'text', (c) => c.notNull())
      .addColumn('origin_jti', 'text', (c) => c.notNull())
      .addColumn('auth_time', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('refresh_tokens_user').on('refresh_tokens').columns(['user_sub']).execute();

    await db.schema
      .createTable('signing_keys')
      .addColumn('pool_id', 'text', (c) => c.primaryKey())
      .addColumn('kid', 'text', (c) => c.notNull())
      .addColumn('private_jwk_sealed', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
