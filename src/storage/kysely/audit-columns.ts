/** Rows per multi-row audit INSERT (11 values each: well inside SQLite's and PostgreSQL's limits on bound values). */
export const AUDIT_CHUNK = 50;

/**
 * The audit_log columns an INSERT writes, in the order a chunk's values come in (hot-queries.ts
 * insertAuditRows), each with its PostgreSQL type, for the arrays a PostgreSQL insert unnests
 * (kysely/audit.ts).
 */
export const AUDIT_COLUMN_TYPES = {
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
} as const;

export type AuditColumn = keyof typeof AUDIT_COLUMN_TYPES;

export const AUDIT_COLUMNS = Object.keys(AUDIT_COLUMN_TYPES) as readonly AuditColumn[];
