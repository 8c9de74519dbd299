import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

// Identity providers (federation, docs/federation.md): keyed (pool_id, name), which
// ListIdentityProviders pages by. details, attribute_mapping and idp_identifiers are JSON text;
// the secret ProviderDetails (client_secret, private_key) are one JSON object sealed with the
// server key. Ordered text is collated "C" on PostgreSQL (see 004-postgres-bytewise-text).
export const identityProviders: Migration = {
  async up(db: Kysely<unknown>) {
    const ordered = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text collate "C"` : sql`text`;
    await db.schema
      .createTable('identity_providers')
      .addColumn('pool_id', ordered, (c) => c.notNull())
      .addColumn('name', ordered, (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('secrets_sealed', 'text')
      .addColumn('attribute_mapping', 'text', (c) => c.notNull())
      .addColumn('idp_identifiers', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('identity_providers_pk', ['pool_id', 'name'])
      .execute();
    // AdminLinkProviderForUser: an identity of a provider (named by an attribute and its value,
    // e.g. Cognito_Subject and the provider's subject) that signs in as an existing user. One
    // user per identity; the user index serves the five-links limit and user deletion.
    await db.schema
      .createTable('provider_links')
      .addColumn('pool_id', 'text', (c) => c.notNull())
      .addColumn('provider_name', 'text', (c) => c.notNull())
      .addColumn('attribute_name', 'text', (c) => c.notNull())
      .addColumn('attribute_value', 'text', (c) => c.notNull())
      .addColumn('user_sub', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('provider_links_pk', ['pool_id', 'provider_name', 'attribute_name', 'attribute_value'])
      .execute();
    await db.schema.createIndex('provider_links_by_user').on('provider_links').columns(['pool_id', 'user_sub']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('provider_links').execute();
    await db.schema.dropTable('identity_providers').execute();
  },
};
