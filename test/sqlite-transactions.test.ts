import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/storage/schema.js';
import { openSqliteDatabase } from '../src/storage/sqlite.js';
import { batchedSqliteTransactions, type RunTransaction } from '../src/storage/sqlite-transactions.js';

// The failure paths of batched SQLite transactions (src/storage/sqlite-transactions.ts) that the
// store contract cannot reach through the Store interface: a COMMIT that fails, and reads
// outside transactions while a batch is open on the one connection.

const dirs: string[] = [];
let db: Kysely<Database>;
let file: string;
let run: RunTransaction;

beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'userpoold-batch-'));
  dirs.push(dir);
  file = join(dir, 'db.sqlite');
  db = await openSqliteDatabase(file);
  run = batchedSqliteTransactions();
  // A foreign key checked only at COMMIT: the one way to make a COMMIT itself fail on demand.
  await sql`create table parent (id integer primary key)`.execute(db);
  await sql`create table child (id integer primary key, parent_id integer references parent (id) deferrable initially deferred)`.execute(db);
});
afterEach(() => db.destroy());
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const count = async (table: string) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]?.n);

/** A transaction that holds the connection until `release` is called, so that others queue up behind it. */
function blocker() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const done = run(db, async () => {
    started();
    await released;
  });
  return { running, release, done };
}

describe('batched SQLite transactions', () => {
  it('fails every transaction of a batch whose COMMIT fails, and stores none of them', async () => {
    const first = blocker();
    await first.running;
    // Both queue while the blocker runs, so they share the next batch and its COMMIT.
    const valid = run(db, async (trx) => {
      await sql`insert into parent (id) values (1)`.execute(trx);
      return 'valid';
    });
    const dangling = run(db, async (trx) => {
      await sql`insert into child (id, parent_id) values (1, 42)`.execute(trx);
      return 'dangling';
    });
    first.release();
    await first.done;
    const [a, b] = await Promise.allSettled([valid, dangling]);
    assert.equal(a.status, 'rejected', 'the valid one is not reported stored: its COMMIT failed');
    assert.equal(b.status, 'rejected');
    assert.match(String((a as PromiseRejectedResult).reason), /FOREIGN KEY/);
    assert.equal(await count('parent'), 0);
    assert.equal(await count('child'), 0);
    // The connection is usable afterwards, and the next batch commits.
    assert.equal(await run(db, async (trx) => (await sql`insert into parent (id) values (2)`.execute(trx), 'ok')), 'ok');
    assert.equal(await count('parent'), 1);
  });

  it('keeps what a batch writes from reads outside it until the COMMIT', async () => {
    const seen: number[] = [];
    let inserted!: () => void;
    const insertedOnce = new Promise<void>((resolve) => (inserted = resolve));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const failing = run(db, async (trx) => {
      await sql`insert into parent (id) values (7)`.execute(trx);
      inserted();
      await finished;
      throw new Error('changed my mind');
    });
    await insertedOnce;
    // A read outside the transaction, on the same connection, while the row is uncommitted.
    const read = count('parent').then((n) => seen.push(n));
    finish();
    await assert.rejects(failing, /changed my mind/);
    await read;
    assert.deepEqual(seen, [0], 'the read waited for the batch and did not see the rolled-back row');
  });

  it('runs the transactions of one batch one after another, each seeing the ones before', async () => {
    const first = blocker();
    await first.running;
    const results = Array.from({ length: 5 }, (_, i) =>
      run(db, async (trx) => {
        await sql`insert into parent (id) values (${i + 1})`.execute(trx);
        // A count on the transaction's own connection sees the batch's earlier inserts.
        return Number((await sql<{ n: number }>`select count(*) as n from parent`.execute(trx)).rows[0]?.n);
      }),
    );
    first.release();
    await first.done;
    assert.deepEqual(await Promise.all(results), [1, 2, 3, 4, 5]);
    assert.equal(await count('parent'), 5);
  });

  it("waits for another connection's write lock without holding the event loop, a batch and a lone write alike", async () => {
    const other = new BetterSqlite3(file);
    try {
      other.exec('begin immediate');
      const batch = run(db, (trx) => sql`insert into parent (id) values (1)`.execute(trx));
      const lone = sql`insert into parent (id) values (2)`.execute(db);
      // Timers keep firing while both wait: nothing waits inside SQLite's synchronous busy handler.
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      await new Promise((resolve) => setTimeout(resolve, 100));
      clearInterval(timer);
      assert.ok(ticks >= 5, `the event loop ran ${ticks} timer ticks in 100 ms`);
      assert.equal(Number(other.prepare('select count(*) as n from parent').pluck().get()), 0, 'neither wrote while the lock was held');
      other.exec('commit');
      await Promise.all([batch, lone]);
      assert.equal(await count('parent'), 2);
      // The connection's own busy_timeout is as it was (each try sets 0 and puts it back).
      assert.equal(Number((await sql<{ timeout: number }>`pragma busy_timeout`.execute(db)).rows[0]?.timeout), 5000);
    } finally {
      other.close();
    }
  });
});
