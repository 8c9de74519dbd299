import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

// SQLite: codes become a WITHOUT ROWID table, stored in the order of their key (user, purpose).
// As an ordinary table, each code was a row in the rowid B-tree and again an entry of the
// primary key's index, and a reset (which deletes the user's codes and writes a new one) wrote
// both at a place of their own: one more page for every COMMIT to write to the WAL per user.
// Code rows are small (a hash and three numbers), the case SQLite's WITHOUT ROWID is made for
// (https://sqlite.org/withoutrowid.html). Measured in-process: about 10 µs less CPU per
// AdminResetUserPassword (bench/RESULTS.md, session 6). PostgreSQL has no rowid: unchanged.
const COLUMNS = sql.raw('"user_sub", "purpose", "pool_id", "code_hash", "expires_at", "created_at"');

export const codesWithoutRowid: Migration = {
  async up(db: Kysely<unknown>) {
    if (db.getExecutor().adapter instanceof PostgresAdapter) return;
    await sql`create table "codes_keyed" ("user_sub" text not null, "purpose" text not null, "pool_id" text not null, "code_hash" text not null, "expires_at" bigint not null, "created_at" bigint not null, constraint "codes_pk" primary key ("user_sub", "purpose")) without rowid`.execute(db);
    await sql`insert into "codes_keyed" (${COLUMNS}) select ${COLUMNS} from "codes"`.execute(db);
    await sql`drop table "codes"`.execute(db);
    await sql`alter table "codes_keyed" rename to "codes"`.execute(db);
    await db.schema.createIndex('codes_expires').on('codes').columns(['expires_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    if (db.getExecutor().adapter instanceof PostgresAdapter) return;
    await sql`create table "codes_rowid" ("user_sub" text not null, "purpose" text not null, "pool_id" text not null, "code_hash" text not null, "expires_at" bigint not null, "created_at" bigint not null, constraint "codes_pk" primary key ("user_sub", "purpose"))`.execute(db);
    await sql`insert into "codes_rowid" (${COLUMNS}) select ${COLUMNS} from "codes"`.execute(db);
    await sql`drop table "codes"`.execute(db);
    await sql`alter table "codes_rowid" rename to "codes"`.execute(db);
    await db.schema.createIndex('codes_expires').on('codes').columns(['expires_at']).execute();
  },
};
