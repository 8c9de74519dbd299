// Which table a write statement changes, for the read caches of both dialects: the SQLite
// connection (sqlite-connection.ts) and the PostgreSQL driver (pg-reporting-dialect.ts) report
// each statement that changed rows with it.

/** Told of every statement that changed rows, with its table (undefined: not known). */
export type TableChanged = (table: string | undefined) => void;

/**
 * The table an INSERT, UPDATE, DELETE or REPLACE writes, as Kysely and our raw SQL spell them;
 * undefined for anything else that changed rows (a WITH ... statement, say), which the read
 * cache answers by forgetting everything. Triggers and cascades would write other tables
 * unseen: the schema has none that write (checked on SQLite by test/user-read-cache.test.ts;
 * PostgreSQL's change-notification triggers only NOTIFY).
 */
export function writtenTable(sql: string): string | undefined {
  const m = /^\s*(?:insert(?:\s+or\s+\w+)?\s+into|replace\s+into|update(?:\s+or\s+\w+)?|delete\s+from)\s+(?:"([^"]+)"|`([^`]+)`|([A-Za-z_]\w*))\s*(?:[\s(]|$)/i.exec(sql);
  // A schema-qualified name (`"main"."users"`) does not match: the name must end there.
  // SQLite's names are case-insensitive; ours are lower case.
  return m === null ? undefined : (m[1] ?? m[2] ?? m[3])?.toLowerCase();
}
