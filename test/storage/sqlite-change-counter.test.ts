import BetterSqlite3 from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sqliteChangeCounter } from '../../src/storage/sqlite-change-counter.js';

// The read cache's change counter asks PRAGMA data_version only when the WAL-index header has
// moved (sqlite-change-counter.ts). Its answer must always equal data_version's own: a commit
// by another connection, after a commit of ours, a checkpoint or a WAL restart, is never missed.
describe('SQLite change counter (WAL-index header, then data_version)', () => {
  const open = () => {
    const dir = mkdtempSync(join(tmpdir(), 'userpoold-change-counter-'));
    const file = join(dir, 'db.sqlite');
    const ours = new BetterSqlite3(file);
    ours.pragma('journal_mode = WAL');
    ours.pragma('synchronous = NORMAL');
    ours.exec('create table t (x integer)');
    const theirs = new BetterSqlite3(file);
    theirs.pragma('busy_timeout = 1000');
    const dataVersion = ours.prepare('PRAGMA data_version').pluck();
    let asked = 0;
    const exact = () => {
      asked++;
      return dataVersion.get() as number;
    };
    const counter = sqliteChangeCounter(exact, `${file}-shm`);
    return {
      ours,
      theirs,
      counter,
      exact: () => dataVersion.get() as number,
      asked: () => asked,
      close() {
        counter.close();
        theirs.close();
        ours.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };

  it('asks data_version only after a commit, and then sees another connection’s', () => {
    const db = open();
    try {
      const first = db.counter.read();
      assert.equal(db.asked(), 1);
      for (let i = 0; i < 5; i++) assert.equal(db.counter.read(), first);
      assert.equal(db.asked(), 1, 'nothing committed: the header alone answers');

      db.ours.exec('insert into t values (1)');
      assert.equal(db.counter.read(), first, 'our own commit does not move data_version');
      assert.equal(db.asked(), 2, 'but the header moved, so it was asked');

      db.theirs.exec('insert into t values (2)');
      const after = db.counter.read();
      assert.notEqual(after, first, 'another connection’s commit is seen');
      assert.equal(db.asked(), 3);
    } finally {
      db.close();
    }
  });

  it('always answers what data_version answers, whatever commits in between', () => {
    const db = open();
    try {
      // A fixed sequence of every kind of step, several hundred times: commits of either side,
      // transactions of several statements, checkpoints that restart or truncate the WAL,
      // rollbacks (no commit) and reads.
      const steps = [
        () => db.ours.exec('insert into t values (1)'),
        () => db.theirs.exec('insert into t values (2)'),
        () => db.theirs.exec('begin immediate; insert into t values (3); update t set x = x + 1 where rowid = 1; commit'),
        () => db.ours.exec('begin immediate; insert into t values (4); rollback'),
        () => db.theirs.pragma('wal_checkpoint(TRUNCATE)'),
        () => db.ours.pragma('wal_checkpoint(RESTART)'),
        () => db.theirs.prepare('select count(*) from t').get(),
        () => db.ours.exec('delete from t where x = 2'),
      ];
      let moved = 0;
      let last = db.counter.read();
      for (let i = 0; i < 600; i++) {
        (steps[(i * 7 + (i >> 3)) % steps.length] as () => void)();
        const answer = db.counter.read();
        assert.equal(answer, db.exact(), `step ${i}`);
        if (answer !== last) moved++;
        last = answer;
      }
      assert.ok(moved > 50, `another connection's commits moved the counter ${moved} times`);
    } finally {
      db.close();
    }
  });

  it('without a -shm file (a database in memory), asks every time', () => {
    const database = new BetterSqlite3(':memory:');
    try {
      let asked = 0;
      const counter = sqliteChangeCounter(() => ++asked, undefined);
      counter.read();
      counter.read();
      assert.equal(asked, 2);
      const missing = sqliteChangeCounter(() => ++asked, join(tmpdir(), 'userpoold-no-such-file-shm'));
      missing.read();
      assert.equal(asked, 3);
    } finally {
      database.close();
    }
  });
});
