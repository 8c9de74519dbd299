import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import { batchedSqliteTransactions } from './sqlite-transactions.js';

export type DialectName = 'sqlite' | 'postgres';

/**
 * What SQLite and PostgreSQL do differently, kept out of the repository methods so those read
 * the same for both. Both transactions behave as if they ran one after another: SQLite by
 * taking the single write lock up front, PostgreSQL by SERIALIZABLE isolation and replaying a
 * transaction the database aborted for a conflict.
 */
export interface DialectSql {
  readonly name: DialectName;
  transaction<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * Runs a statement that may fail (a unique violation the caller turns into an API error) so
   * that, inside a transaction, the failure leaves the transaction usable, as SQLite does.
   */
  recoverable<T>(db: Kysely<Database>, statement: () => Promise<T>): Promise<T>;
  /** Whether claims may skip rows another transaction holds (FOR UPDATE SKIP LOCKED). */
  readonly skipsLockedRows: boolean;
}

export function dialectSql(name: DialectName): DialectSql {
  return name === 'sqlite' ? sqliteSql() : postgresSql();
}

function sqliteSql(): DialectSql {
  return {
    name: 'sqlite',
    skipsLockedRows: false,
    recoverable: (_db, statement) => statement(),
    transaction: batchedSqliteTransactions(),
  };
}

/** serialization_failure and deadlock_detected: the transaction did nothing and may run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const POSTGRES_ATTEMPTS = 50;

function postgresSql(): DialectSql {
  return {
    name: 'postgres',
    skipsLockedRows: true,
    async recoverable(db, statement) {
      if (!db.isTransaction) return statement();
      await sql`savepoint recoverable`.execute(db);
      try {
        const result = await statement();
        await sql`release savepoint recoverable`.execute(db);
        return result;
      } catch (err) {
        await sql`rollback to savepoint recoverable`.execute(db);
        throw err;
      }
    },
    async transaction(db, fn) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().setIsolationLevel('serializable').execute(fn);
        } catch (err) {
          if (!RETRYABLE.has((err as { code?: string }).code ?? '') || attempt >= POSTGRES_ATTEMPTS) throw err;
        }
        // Jitter spreads out transactions that collided, so they do not collide again in step.
        await sleep(randomInt(1, 2 + Math.min(attempt * 4, 50)));
      }
    },
  };
}
