import assert from 'node:assert/strict';
import { it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { createKyselyStore } from '../../src/storage/kysely-store.js';
import { migrationProvider } from '../../src/storage/migrations/index.js';
import type { Database } from '../../src/storage/schema.js';
import { T0 } from './contract.js';

// Migration 20261208-6-codes-without-rowid (SQLite): codes issued before it keep working, the
// table is keyed by (user, purpose) without a rowid afterwards, and going back restores the
// ordinary table with the codes still in it.
it('codes survive the rebuild without rowid, and its reversal', async () => {
  const database = new BetterSqlite3(':memory:');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  const tableSql = () => (database.prepare("select sql from sqlite_master where type = 'table' and name = 'codes'").get() as { sql: string }).sql;
  const indexes = () => (database.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'codes' order by name").all() as { name: string }[]).map((r) => r.name);
  try {
    const migrator = new Migrator({ db, provider: migrationProvider });
    assert.equal((await migrator.migrateTo('20261208-5-partial-filter-indexes')).error, undefined);
    for (const purpose of ['reset_password', 'verify_email']) {
      await sql`insert into codes (user_sub, purpose, pool_id, code_hash, expires_at, created_at) values ('sub-1', ${purpose}, 'p1', ${`hash-${purpose}`}, ${T0 + 60_000}, ${T0})`.execute(db);
    }
    assert.doesNotMatch(tableSql(), /without rowid/i);

    assert.equal((await migrator.migrateToLatest()).error, undefined);
    assert.match(tableSql(), /without rowid/i);
    // The table is its key's B-tree: no separate index for the primary key.
    assert.deepEqual(indexes(), ['codes_expires']);
    const store = createKyselyStore(db, 'sqlite');
    assert.equal((await store.getCode('sub-1', 'reset_password'))?.codeHash, 'hash-reset_password');
    assert.equal((await store.getCode('sub-1', 'verify_email'))?.codeHash, 'hash-verify_email');
    // Still one code per user and purpose.
    await store.putCode({ poolId: 'p1', userSub: 'sub-1', purpose: 'reset_password', codeHash: 'hash-new', createdAt: T0 + 1, expiresAt: T0 + 120_000 });
    assert.equal((await store.getCode('sub-1', 'reset_password'))?.codeHash, 'hash-new');
    assert.equal((database.prepare('select count(*) as n from codes').get() as { n: number }).n, 2);

    assert.equal((await migrator.migrateTo('20261208-5-partial-filter-indexes')).error, undefined);
    assert.doesNotMatch(tableSql(), /without rowid/i);
    assert.deepEqual(indexes(), ['codes_expires', 'sqlite_autoindex_codes_1']);
    assert.equal((await store.getCode('sub-1', 'reset_password'))?.codeHash, 'hash-new');
  } finally {
    await db.destroy();
  }
});
