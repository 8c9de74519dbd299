import { PostgresAdapter, type Kysely, type Migration } from 'kysely';

// Append-only: rows are inserted, never updated. The id keeps insertion order among rows of the
// same millisecond; SQLite and PostgreSQL spell an auto-increasing key differently.
export const audit: Migration = {
  async up(db: Kysely<unknown>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    await db.schema
      .createTable('audit_log')
      .addColumn('id', postgres ? 'bigserial' : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('operation', 'text', (c) => c.notNull())
      .addColumn('principal', 'text')
      .addColumn('client_id', 'text')
      .addColumn('pool_id', 'text')
      .addColumn('username', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('source_ip', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();
    await db.schema.createIndex('audit_log_pool').on('audit_log').columns(['pool_id', 'at', 'id']).execute();
  },
};
