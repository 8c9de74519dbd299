import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import { precompiled } from '../src/storage/precompiled.js';
import type { Database } from '../src/storage/schema.js';
import { openSqliteDatabase } from '../src/storage/sqlite.js';

// A real migrated SQLite database: the point is that the SQL compiled once, with placeholders,
// runs on the driver with each call's values and returns the rows an ordinary query would.

type Counter = Selectable<Database['counters']>;

const dirs: string[] = [];
let db: Kysely<Database>;

beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'userpoold-precompiled-'));
  dirs.push(dir);
  db = await openSqliteDatabase(join(dir, 'db.sqlite'));
});
afterEach(() => db.destroy());
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function insertPools(rows: { id: string; name: string; createdAt: number; settings?: string }[]): Promise<void> {
  await db
    .insertInto('user_pools')
    .values(rows.map((r) => ({ id: r.id, name: r.name, settings: r.settings ?? '{}', created_at: r.createdAt, updated_at: r.createdAt })))
    .execute();
}

async function counters(): Promise<Counter[]> {
  return db.selectFrom('counters').selectAll().orderBy('key').execute();
}

describe('precompiled queries', () => {
  it('builds once and runs with each call’s values, returning the rows for those values', async () => {
    await insertPools([
      { id: 'a1', name: 'alpha', createdAt: 1 },
      { id: 'a2', name: 'alpha', createdAt: 2 },
      { id: 'b1', name: 'beta', createdAt: 3 },
    ]);
    let builds = 0;
    const byName = precompiled<{ name: string }, { id: string }>((d, v) => {
      builds++;
      return d.selectFrom('user_pools').select('id').where('name', '=', v.name).orderBy('id');
    });
    assert.deepEqual((await byName(db, { name: 'alpha' })).rows, [{ id: 'a1' }, { id: 'a2' }]);
    assert.deepEqual((await byName(db, { name: 'beta' })).rows, [{ id: 'b1' }]);
    assert.deepEqual((await byName(db, { name: 'gamma' })).rows, []);
    assert.deepEqual((await byName(db, { name: 'alpha' })).rows, [{ id: 'a1' }, { id: 'a2' }]);
    // The whole point: later calls reuse the compiled template instead of building anew.
    assert.equal(builds, 1);
  });

  it('binds every key to its own slot, whatever the types and even when two values are equal', async () => {
    await insertPools([
      { id: 'x', name: 'x', createdAt: 10 },
      { id: 'y', name: 'x', createdAt: 20 },
      { id: 'z', name: 'z', createdAt: 30 },
    ]);
    const q = precompiled<{ id: string; name: string; from: number }, { id: string }>((d, v) =>
      // Bound in another order than the keys are listed, with a constant between them.
      d
        .selectFrom('user_pools')
        .select('id')
        .where('created_at', '>=', v.from)
        .where('created_at', '<', 1000)
        .where('name', '=', v.name)
        .where('id', '>=', v.id)
        .orderBy('id'),
    );
    assert.deepEqual((await q(db, { id: 'x', name: 'x', from: 0 })).rows, [{ id: 'x' }, { id: 'y' }]);
    assert.deepEqual((await q(db, { id: 'x', name: 'x', from: 15 })).rows, [{ id: 'y' }]);
    // Keys swapped in meaning: would return rows if slots were matched by value, not key.
    assert.deepEqual((await q(db, { id: 'z', name: 'x', from: 0 })).rows, []);
    assert.deepEqual((await q(db, { id: 'a', name: 'z', from: 30 })).rows, [{ id: 'z' }]);
  });

  it('keeps the constants the builder wrote (compared values, limits) on every call', async () => {
    await insertPools([
      { id: 'a0', name: 'a', createdAt: 50 },
      { id: 'a1', name: 'a', createdAt: 100 },
      { id: 'a2', name: 'a', createdAt: 200 },
      { id: 'a3', name: 'a', createdAt: 300 },
      { id: 'a4', name: 'a', createdAt: 400, settings: '{"other":true}' },
      { id: 'b0', name: 'b', createdAt: 150 },
      { id: 'b1', name: 'b', createdAt: 20 },
    ]);
    const recent = precompiled<{ name: string }, { id: string }>((d, v) =>
      d
        .selectFrom('user_pools')
        .select('id')
        .where('name', '=', v.name)
        .where('created_at', '>=', 100)
        .where('settings', '=', '{}')
        .orderBy('id')
        .limit(2),
    );
    assert.deepEqual((await recent(db, { name: 'a' })).rows, [{ id: 'a1' }, { id: 'a2' }]);
    assert.deepEqual((await recent(db, { name: 'b' })).rows, [{ id: 'b0' }]);
    assert.deepEqual((await recent(db, { name: 'a' })).rows, [{ id: 'a1' }, { id: 'a2' }]);
  });

  it('inserts a whole values object, one slot per column', async () => {
    const put = precompiled<Insertable<Database['counters']>, never>((d, v) => d.insertInto('counters').values(v));
    await put(db, { key: 'k1', window_start: 1, count: 10 });
    await put(db, { key: 'k2', window_start: 2, count: 20 });
    assert.deepEqual(await counters(), [
      { key: 'k1', window_start: 1, count: 10 },
      { key: 'k2', window_start: 2, count: 20 },
    ]);
  });

  describe('refuses builders that break the one-slot-per-value rule, on first use', () => {
    // Wrapped in an async function so that a synchronous throw and a rejection both count.
    const firstUse = (run: () => Promise<unknown>) => (async () => run())();

    it('a value bound twice', async () => {
      const twice = precompiled<{ id: string }, { id: string }>((d, v) =>
        d.selectFrom('user_pools').select('id').where((eb) => eb.or([eb('id', '=', v.id), eb('name', '=', v.id)])),
      );
      await assert.rejects(firstUse(() => twice(db, { id: 'p' })), /precompiled query: value id is bound 2 times, not once/);
      // No template was kept from the failed attempt: it keeps failing rather than running.
      await assert.rejects(firstUse(() => twice(db, { id: 'p' })), /value id is bound 2 times/);
    });

    it('a value not bound at all, or computed with before binding', async () => {
      const unused = precompiled<{ id: string; name: string }, { id: string }>((d, v) => d.selectFrom('user_pools').select('id').where('id', '=', v.id));
      await assert.rejects(firstUse(() => unused(db, { id: 'p', name: 'n' })), /value name is bound 0 times, not once/);
      const computed = precompiled<{ name: string }, { id: string }>((d, v) =>
        d.selectFrom('user_pools').select('id').where('name', '=', v.name.toUpperCase()),
      );
      await assert.rejects(firstUse(() => computed(db, { name: 'n' })), /value name is bound 0 times, not once/);
    });

    it('a value written into the SQL text', async () => {
      const lit = precompiled<{ name: string }, { id: string }>((d, v) => d.selectFrom('user_pools').select('id').where('name', '=', sql.lit(v.name)));
      await assert.rejects(firstUse(() => lit(db, { name: 'n' })), /precompiled query: value name is bound 0 times/);
      // Bound once as well as written into the text: the text check is what catches it.
      const rawToo = precompiled<{ id: string }, { id: string }>((d, v) =>
        d.selectFrom('user_pools').select('id').where('id', '=', v.id).where(sql<boolean>`name <> ${sql.raw(`'${v.id}'`)}`),
      );
      await assert.rejects(firstUse(() => rawToo(db, { id: 'p' })), /precompiled query: a value was written into the SQL text/);
    });

    it('and runs nothing when it refuses', async () => {
      const upsertTwice = precompiled<{ key: string }, never>((d, v) =>
        d
          .insertInto('counters')
          .values({ key: v.key, window_start: 0, count: 0 })
          .onConflict((oc) => oc.column('key').doUpdateSet({ key: v.key })),
      );
      await assert.rejects(firstUse(() => upsertTwice(db, { key: 'k' })), /value key is bound 2 times/);
      assert.deepEqual(await counters(), []);
    });
  });

  it('runs on a transaction as well as on the root, in that transaction', async () => {
    const put = precompiled<Insertable<Database['counters']>, never>((d, v) => d.insertInto('counters').values(v));
    const get = precompiled<{ key: string }, Counter>((d, v) => d.selectFrom('counters').selectAll().where('key', '=', v.key));

    // First use inside a transaction that rolls back: both queries compile there, and what
    // the insert wrote is visible inside and gone after, so it ran on the transaction.
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await put(trx, { key: 'rolled-back', window_start: 1, count: 1 });
        assert.deepEqual((await get(trx, { key: 'rolled-back' })).rows, [{ key: 'rolled-back', window_start: 1, count: 1 }]);
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.deepEqual((await get(db, { key: 'rolled-back' })).rows, []);

    await db.transaction().execute((trx) => put(trx, { key: 'committed', window_start: 2, count: 2 }));
    await put(db, { key: 'root', window_start: 3, count: 3 });
    assert.deepEqual((await get(db, { key: 'committed' })).rows, [{ key: 'committed', window_start: 2, count: 2 }]);
    assert.deepEqual(await counters(), [
      { key: 'committed', window_start: 2, count: 2 },
      { key: 'root', window_start: 3, count: 3 },
    ]);
  });
});
