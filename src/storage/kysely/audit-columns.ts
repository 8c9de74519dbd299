/** Rows per multi-row audit INSERT (11 values each: well inside SQLite's and PostgreSQL's limits on bound values). */
export const AUDIT_CHUNK = 50;

/** The audit_log columns an INSERT writes, in the order a chunk's values come in (hot-queries.ts insertAuditRows). */
export const AUDIT_COLUMNS = ['at', 'request_id', 'operation', 'principal', 'client_id', 'pool_id', 'username', 'outcome', 'status', 'source_ip', 'duration_ms'] as const;

/** Each column's PostgreSQL type, for the arrays a PostgreSQL insert unnests (kysely/audit.ts). */
export const AUDIT_COLUMN_TYPES: Record<(typeof AUDIT_COLUMNS)[number], string> = {
  at: 'bigint',
  request_id: 'text',
  operation: 'text',
  principal: 'text',
  client_id: 'text',
  pool_id: 'text',
  username: 'text',
  outcome: 'text',
  status: 'integer',
  source_ip: 'text',
  duration_ms: 'integer',
};
