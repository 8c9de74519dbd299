import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * Text columns that are compared or ordered: keys, ids and ListUsers filter columns.
 * A new such column on PostgreSQL should be declared `text collate "C"` too.
 */
const ORDERED_TEXT: Record<string, readonly string[]> = {
  user_pools: ['id'],
  user_pool_clients: ['id', 'pool_id'],
  users: ['sub', 'pool_id', 'username_key', 'status', 'email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username'],
  outbox: ['id', 'pool_id'],
};

// SQLite compares text bytewise (code-point order); PostgreSQL uses the database's locale,
// where 'a' < 'B' and punctuation may be ignored. Paging and ListUsers prefix ranges must order
// the same on both, and through the column's index, so on PostgreSQL these columns take the
// "C" collation (bytewise UTF-8, which is code-point order); indexes on them are rebuilt.
export const postgresBytewiseText: Migration = {
  async up(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    for (const [table, columns] of Object.entries(ORDERED_TEXT)) {
      let alter = db.schema.alterTable(table).alterColumn(columns[0] as string, (c) => c.setDataType(sql`text collate "C"`));
      for (const column of columns.slice(1)) {
        alter = alter.alterColumn(column, (c) => c.setDataType(sql`text collate "C"`));
      }
      await alter.execute();
    }
  },
};
