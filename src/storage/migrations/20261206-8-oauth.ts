import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

// OAuth 2.0: user pool domains, resource servers, and the scopes of OAuth sign-ins.
//
// oauth_domains: keyed by the domain name, unique across pools as AWS's are; the pool index
// serves "this pool's domains" (a pool has at most one prefix and one custom domain).
// resource_servers: keyed (pool_id, identifier), which ListResourceServers pages by; scopes are
// JSON text. Ordered text is collated "C" on PostgreSQL (see 004-postgres-bytewise-text).
export const oauth: Migration = {
  async up(db: Kysely<unknown>) {
    const ordered = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text collate "C"` : sql`text`;
    await db.schema
      .createTable('oauth_domains')
      .addColumn('domain', 'text', (c) => c.primaryKey())
      .addColumn('pool_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('certificate_arn', 'text')
      .addColumn('cloudfront_domain', 'text')
      .addColumn('managed_login_version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('oauth_domains_by_pool').on('oauth_domains').column('pool_id').execute();
    await db.schema
      .createTable('resource_servers')
      .addColumn('pool_id', ordered, (c) => c.notNull())
      .addColumn('identifier', ordered, (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('resource_servers_pk', ['pool_id', 'identifier'])
      .execute();
    // The scopes an OAuth sign-in granted, by the origin_jti of its refresh token, so a refresh at
    // the token endpoint grants them again; a sign-in through the API has no row here.
    await db.schema
      .createTable('oauth_grants')
      .addColumn('origin_jti', 'text', (c) => c.primaryKey())
      .addColumn('pool_id', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('oauth_grants_by_pool').on('oauth_grants').column('pool_id').execute();
    await db.schema.createIndex('oauth_grants_by_expiry').on('oauth_grants').column('expires_at').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('oauth_grants').execute();
    await db.schema.dropTable('resource_servers').execute();
    await db.schema.dropTable('oauth_domains').execute();
  },
};
