import type { Kysely, Migration } from 'kysely';

// ListUsers' `sub ^= "..."` filter: the primary key on sub alone is not scoped to a pool, so
// without this index a prefix on sub walks every user of the pool.
export const usersSubFilter: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('users_filter_sub').on('users').columns(['pool_id', 'sub']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('users_filter_sub').execute();
  },
};
