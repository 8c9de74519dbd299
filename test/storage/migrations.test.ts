import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { checkMigrationNames, migrationNames, migrationProvider } from '../../src/storage/migrations/index.js';
import { openSqliteDatabase } from '../../src/storage/sqlite.js';

// The naming rules of src/storage/migrations/index.ts: Kysely applies migrations in the order
// their names sort and records each name in the database, so names must be unique, sort in the
// registry's order, and never change once released.

const RECORDED = [
  '001-initial',
  '002-refresh-token-origin',
  '003-users-sub-filter',
  '004-postgres-bytewise-text',
  '005-audit',
  '005-srp-verifier',
  '006-credentials',
  '007-sweep-indexes',
];

describe('migration names', () => {
  it('are unique, and Kysely’s order (sorted names) is the registry’s order', async () => {
    assert.equal(new Set(migrationNames).size, migrationNames.length);
    assert.deepEqual([...migrationNames].sort(), migrationNames);
    assert.deepEqual(Object.keys(await migrationProvider.getMigrations()).sort(), migrationNames);
  });

  it('keep the names existing databases have recorded, first and in order', () => {
    assert.deepEqual(migrationNames.slice(0, RECORDED.length), RECORDED);
  });

  it('are the migration files’ names, every file registered', () => {
    const dir = fileURLToPath(new URL('../../src/storage/migrations/', import.meta.url));
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.slice(0, -'.ts'.length))
      .sort();
    assert.deepEqual(files, migrationNames);
  });

  it('are what a migrated database records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'userpoold-migrations-'));
    const db = await openSqliteDatabase(join(dir, 'db.sqlite'));
    try {
      const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
      assert.deepEqual(rows.map((r) => r.name), migrationNames);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('checking', () => {
    const accepts = (names: string[]) => assert.doesNotThrow(() => checkMigrationNames(names), names.join(', '));
    const refuses = (names: string[], message: RegExp) => assert.throws(() => checkMigrationNames(names), message);

    it('accepts dated names after the recorded ones, in order', () => {
      accepts(RECORDED);
      accepts([...RECORDED, '20261206-1-groups', '20261206-2-groups-index', '20270101-1-mfa']);
    });

    it('refuses a name registered twice', () => {
      refuses([...RECORDED, '20261206-1-groups', '20261206-1-groups'], /20261206-1-groups is registered twice/);
    });

    it('refuses a name that sorts before the one before it', () => {
      refuses([...RECORDED, '20261207-1-groups', '20261206-1-mfa'], /20261206-1-mfa must sort after 20261207-1-groups/);
      refuses([...RECORDED, '20261206-2-groups', '20261206-1-mfa'], /must sort after/);
    });

    it('refuses renaming, reordering or dropping a recorded name', () => {
      refuses(['001-initial', '002-refresh-token-origins', ...RECORDED.slice(2)], /must stay named 002-refresh-token-origin/);
      refuses([...RECORDED.slice(0, 4), '005-srp-verifier', '005-audit', ...RECORDED.slice(6)], /must stay named 005-audit/);
      refuses(RECORDED.slice(0, -1), /007-sweep-indexes is missing/);
    });

    it('refuses new names in the old numbering or not dated', () => {
      for (const name of ['008-groups', '20261206-groups', '20261206-0-groups', '20261206-10-groups', '20261206-1-Groups', '20261206-1-', '20261306-1-groups', '20260230-1-groups', '19991231-1-groups']) {
        refuses([...RECORDED, name], /named YYYYMMDD-N-what/);
      }
    });
  });
});
