import type { DatabaseConnection } from 'kysely';

/**
 * The connection a SQLite batch of transactions holds, by the Kysely instance its transactions
 * run on (sqlite-transactions.ts registers it for the length of the batch). Precompiled
 * statements (precompiled.ts) run on it directly: through Kysely's executor each paid about
 * 3 µs of promise chaining to reach the connection it already held, against 0.6 µs for the
 * statement itself (measured in-process), and a password reset runs eight of them.
 * Only the holder of the connection is registered, only while its transaction is open, so
 * nothing runs on it outside that transaction or beside another query.
 */
const held = new WeakMap<object, DatabaseConnection>();

export function holdConnection(db: object, connection: DatabaseConnection): void {
  held.set(db, connection);
}

export function releaseConnection(db: object): void {
  held.delete(db);
}

export function heldConnection(db: object): DatabaseConnection | undefined {
  return held.get(db);
}
