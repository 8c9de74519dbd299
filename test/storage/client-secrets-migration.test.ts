import assert from 'node:assert/strict';
import { it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { createKyselyStore } from '../../src/storage/kysely-store.js';
import { migrationProvider } from '../../src/storage/migrations/index.js';
import type { Database } from '../../src/storage/schema.js';
import { T0 } from './contract.js';

// Migration 20261206-3-client-secrets: a client's secret from before rotation keeps working and
// becomes its first secret, created (and so named) when the client was.
it('a secret stored before rotation becomes the first secret, dated with its client', async () => {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  try {
    const migrator = new Migrator({ db, provider: migrationProvider });
    assert.equal((await migrator.migrateTo('20261206-1-groups')).error, undefined);
    await sql`insert into user_pools (id, name, settings, created_at, updated_at) values ('p1', 'pool', '{}', ${T0}, ${T0})`.execute(db);
    for (const [id, secret] of [['c-secret', 'v1.sealed'], ['c-public', null]] as const) {
      await sql`insert into user_pool_clients (id, pool_id, name, secret_sealed, settings, created_at, updated_at)
        values (${id}, 'p1', 'app', ${secret}, '{}', ${T0}, ${T0 + 5})`.execute(db);
    }
    assert.equal((await migrator.migrateToLatest()).error, undefined);

    const store = createKyselyStore(db, 'sqlite');
    assert.deepEqual((await store.getClient('c-secret'))?.clientSecrets, [{ sealed: 'v1.sealed', createdAt: T0 }]);
    assert.deepEqual((await store.getClient('c-public'))?.clientSecrets, []);
  } finally {
    await db.destroy();
  }
});
