import { sql, type Kysely, type Migration } from 'kysely';

/** The ListUsers filter columns a user may lack (the attribute is absent: NULL). */
const OPTIONAL_COLUMNS = ['email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username'] as const;

// ListUsers filters these columns only with `=` or a prefix range (storage/kysely/users.ts), and
// either comparison implies the column is not NULL, so an index that leaves out the users
// without the attribute serves every such query, on SQLite ("partial indexes", the query's
// comparison on the column implies `IS NOT NULL`) and on PostgreSQL (a strict operator implies
// it). Indexed whole, each user without the attribute still had an entry, placed by username:
// for a user import in random name order, four or five random index writes a row that served
// no query (writer thread 156-204 µs a row against ~25 in name order; bench/RESULTS.md).
// test/storage/users-filter-plan.test.ts checks that the filters still use them.
export const partialFilterIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    for (const column of OPTIONAL_COLUMNS) {
      await db.schema.dropIndex(`users_filter_${column}`).execute();
      await db.schema
        .createIndex(`users_filter_${column}`)
        .on('users')
        .columns(['pool_id', column, 'username_key'])
        .where(sql.ref(column), 'is not', null)
        .execute();
    }
  },
  async down(db: Kysely<unknown>) {
    for (const column of OPTIONAL_COLUMNS) {
      await db.schema.dropIndex(`users_filter_${column}`).execute();
      await db.schema.createIndex(`users_filter_${column}`).on('users').columns(['pool_id', column, 'username_key']).execute();
    }
  },
};
