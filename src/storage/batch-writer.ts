/** One SQL statement with its bound values, in the dialect's placeholder style. */
export interface WriteStatement {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * Runs large write transactions away from the request path (sqlite-writer.ts: a thread with a
 * connection of its own). The first statement is the guard: when it changes no row, the
 * transaction rolls back and `write` resolves false, nothing written. A statement that fails
 * rolls everything back and rejects with the database's error (its `code` kept).
 */
export interface BatchWriter {
  write(statements: readonly WriteStatement[]): Promise<boolean>;
  close(): Promise<void>;
}
