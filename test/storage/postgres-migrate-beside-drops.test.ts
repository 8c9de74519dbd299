import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { openPostgresStore } from '../../src/storage/postgres.js';
import { adminQuery, createTestSchema, postgresSkip } from '../support/postgres-schema.js';

// Kysely's migrator asks, through its introspection, about the tables of every schema of the
// database by name; another schema dropped during that query made PostgreSQL answer
// invalid_schema_name and a store fail to open (seen once in the parallel test suite). Stores
// open here while other schemas, each with a table, are created and dropped without pause.
describe('PostgreSQL stores open while other schemas of the database are dropped', { skip: postgresSkip ?? false }, () => {
  it('every store opens and migrates', async () => {
    let churning = true;
    const churn = (async () => {
      while (churning) {
        const name = `userpoold_churn_${randomBytes(4).toString('hex')}`;
        await adminQuery(`create schema ${name}; create table ${name}.t (id serial primary key, x int)`);
        await adminQuery(`drop schema ${name} cascade`);
        await sleep(5);
      }
    })();
    try {
      for (let i = 0; i < 12; i++) {
        const schema = await createTestSchema();
        try {
          const store = await openPostgresStore(schema.url, { poolSize: 2, statementTimeoutMs: 10_000 });
          assert.equal(await store.getPool('none'), undefined);
          await store.close();
        } finally {
          await schema.drop();
        }
      }
    } finally {
      churning = false;
      await churn;
    }
  });
});
