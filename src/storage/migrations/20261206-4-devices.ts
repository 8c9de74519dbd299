import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

// Remembered devices (src/ports/devices.ts): one row per device a sign-in announced in
// NewDeviceMetadata, keyed by its DeviceKey; the device's SRP verifier sealed with the server
// key. Refresh tokens of a sign-in on a device name it (device_key), so a refresh must name the
// same device (cognito-facts-areas.md 3.5).
export const devices: Migration = {
  async up(db: Kysely<unknown>) {
    const ordered = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text collate "C"` : sql`text`;
    await db.schema
      .createTable('devices')
      .addColumn('device_key', ordered, (c) => c.primaryKey())
      .addColumn('pool_id', ordered, (c) => c.notNull())
      .addColumn('user_sub', ordered, (c) => c.notNull())
      .addColumn('device_group_key', 'text', (c) => c.notNull())
      .addColumn('verifier_sealed', 'text')
      .addColumn('name', 'text')
      .addColumn('status', 'text')
      .addColumn('last_ip', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
      .addColumn('last_authenticated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('devices_user').on('devices').columns(['pool_id', 'user_sub', 'device_key']).execute();
    await db.schema.alterTable('refresh_tokens').addColumn('device_key', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('refresh_tokens').dropColumn('device_key').execute();
    await db.schema.dropTable('devices').execute();
  },
};
