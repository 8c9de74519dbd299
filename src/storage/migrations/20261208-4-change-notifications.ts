import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/** The tables the read cache keeps rows of (storage/read-cache.ts, CachedTable). */
const CACHED_TABLES = ['user_pools', 'user_pool_clients', 'credentials', 'users', 'user_mfa'] as const;

// PostgreSQL only: every instance keeps these tables' rows in memory (storage/pg-change-feed.ts),
// so each statement that writes one tells the others, by NOTIFY on a channel of the tables'
// schema (several schemas may share a database: tests). NOTIFY is delivered at commit, in commit
// order, and never for a rolled-back transaction; identical notifications of one transaction are
// sent once. The channel is named by a hash of the schema, as a channel name is at most 63
// bytes and a schema name may be that long itself. Cost: PostgreSQL commits the transactions
// that notified one at a time (a lock on the notification queue, held through the commit's WAL
// flush); AdminUpdateUserAttributes did not slow down measurably (bench, quick, 1 and 2
// instances). SQLite needs none of this: PRAGMA data_version tells one connection of
// another's commits.
export const changeNotifications: Migration = {
  async up(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`
      create function userpoold_notify_change() returns trigger language plpgsql as $$
      begin
        perform pg_notify('userpoold_' || md5(tg_table_schema), tg_table_name);
        return null;
      end $$`.execute(db);
    for (const table of CACHED_TABLES) {
      // Statement-level: one notification per statement (per transaction, after deduplication),
      // whatever the number of rows. TRUNCATE too, for an operator emptying a table by hand.
      await sql`
        create trigger userpoold_notify_change after insert or update or delete or truncate on ${sql.table(table)}
        for each statement execute function userpoold_notify_change()`.execute(db);
    }
  },
  async down(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    for (const table of CACHED_TABLES) await sql`drop trigger userpoold_notify_change on ${sql.table(table)}`.execute(db);
    await sql`drop function userpoold_notify_change()`.execute(db);
  },
};
