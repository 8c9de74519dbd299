import BetterSqlite3 from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { FilterColumn } from '../../src/domain/users/user.js';
import { openSqliteFile } from '../../src/storage/sqlite.js';

// The ListUsers filter indexes on attributes a user may lack leave those users out
// (migration 20261208-5). Every filter the store runs on such a column (`=`, a prefix, a later
// page of a prefix) must still be answered through the column's index, not a scan of the pool:
// each statement the store prepares for ListUsers is captured and its plan asked of SQLite.
describe('ListUsers filters on optional attributes use their partial indexes (SQLite)', () => {
  const COLUMNS: readonly FilterColumn[] = ['email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username'];

  it('for =, a prefix, and a later page of a prefix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'userpoold-plan-'));
    const file = join(dir, 'store.sqlite');
    const prepared: string[] = [];
    const prepare = BetterSqlite3.prototype.prepare;
    BetterSqlite3.prototype.prepare = function (this: BetterSqlite3.Database, source: string) {
      prepared.push(source);
      return prepare.call(this, source) as ReturnType<typeof prepare>;
    } as typeof prepare;
    try {
      const store = await openSqliteFile(file);
      try {
        for (const column of COLUMNS) {
          await store.listUsers('p1', { limit: 10, filter: { column, op: '=', value: 'x' } });
          await store.listUsers('p1', { limit: 10, filter: { column, op: '^=', value: 'x' } });
          await store.listUsers('p1', { limit: 10, filter: { column, op: '^=', value: 'x' }, after: 'k', afterValue: 'xa' });
        }
      } finally {
        await store.close();
      }
    } finally {
      BetterSqlite3.prototype.prepare = prepare;
    }
    const listings = prepared.filter((sql) => /^select .* from "users" where "pool_id" = \?/.test(sql));
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      for (const column of COLUMNS) {
        const mine = listings.filter((sql) => sql.includes(`"${column}" = ?`) || sql.includes(`"${column}" >= ?`));
        assert.ok(mine.length >= 3, `${column}: ${mine.length} statements captured`);
        for (const sql of mine) {
          // Values of the shape the store binds (the plan of a range may depend on them).
          const values = (sql.match(/\?/g) ?? []).map((_, i, all) => (i === all.length - 1 ? 10 : 'x'));
          const plan = (db.prepare(`explain query plan ${sql}`).all(...values) as { detail: string }[]).map((r) => r.detail).join('; ');
          assert.match(plan, new RegExp(`USING (COVERING )?INDEX users_filter_${column}\\b`), `${column}: ${sql}\n${plan}`);
        }
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
