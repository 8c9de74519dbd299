/** One SQL statement with its bound values, in the dialect's placeholder style. */
export interface WriteStatement {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * Runs large write transactions away from the request path (sqlite-writer.ts: a thread with a
 * connection of its own), in the order `write` is called; several may share one COMMIT, each
 * still all or nothing. The first statement is the guard: when it changes no row, that write is
 * undone and resolves false, nothing of it written. A statement that fails undoes its write and
 * rejects with the database's error (its `code` kept); the other writes are unaffected. A write
 * resolves only once its COMMIT has succeeded.
 */
export interface BatchWriter {
  write(statements: readonly WriteStatement[]): Promise<boolean>;
  close(): Promise<void>;
}
