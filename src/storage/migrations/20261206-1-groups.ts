import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

// User pool groups and their members.
//
// groups: one row per group, keyed (pool_id, name); ListGroups pages by that key.
// group_members: keyed (pool_id, user_sub, group_name), which serves a user's groups in name
// order (AdminListGroupsForUser, and the one read per token issue, joined to groups by their
// key), ending one membership, and deleting a user's. The unique (pool_id, group_name,
// username_key) index serves a group's members in username order (ListUsersInGroup) and
// deleting a group's memberships. Text compared or ordered is collated "C" on PostgreSQL, so
// paging orders by code point as on SQLite (see 004-postgres-bytewise-text).
export const groups: Migration = {
  async up(db: Kysely<unknown>) {
    const ordered = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text collate "C"` : sql`text`;
    await db.schema
      .createTable('groups')
      .addColumn('pool_id', ordered, (c) => c.notNull())
      .addColumn('name', ordered, (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('role_arn', 'text')
      .addColumn('precedence', 'integer')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('groups_pk', ['pool_id', 'name'])
      .execute();
    await db.schema
      .createTable('group_members')
      .addColumn('pool_id', ordered, (c) => c.notNull())
      .addColumn('group_name', ordered, (c) => c.notNull())
      .addColumn('user_sub', ordered, (c) => c.notNull())
      .addColumn('username_key', ordered, (c) => c.notNull())
      .addPrimaryKeyConstraint('group_members_pk', ['pool_id', 'user_sub', 'group_name'])
      .execute();
    await db.schema
      .createIndex('group_members_by_username')
      .on('group_members')
      .columns(['pool_id', 'group_name', 'username_key'])
      .unique()
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('group_members').execute();
    await db.schema.dropTable('groups').execute();
  },
};
