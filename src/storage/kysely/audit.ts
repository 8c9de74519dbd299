import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditPort, AuditQuery, AuditRecord } from '../../ports/audit.js';
import type { Database } from '../schema.js';
import { KyselyContext, type Db } from './context.js';
import { AUDIT_CHUNK, AUDIT_COLUMNS, AUDIT_COLUMN_TYPES } from './audit-columns.js';

export class KyselyAudit extends KyselyContext implements AuditPort {
  async appendAudit(entries: readonly AuditRecord[]): Promise<void> {
    if (entries.length === 0) return;
    if (this.dialect.name === 'postgres' && !this.inTransaction) return this.appendAuditColumns(entries);
    // In one transaction: whole chunks of AUDIT_CHUNK rows as one multi-row INSERT compiled once
    // (a statement per row cost about 30% more per row, bench/RESULTS.md, issue 23), the rest
    // row by row with the single-row INSERT; a multi-row INSERT of any other size would be new
    // SQL, compiled by Kysely and prepared by SQLite each time.
    const insert = async (db: Db) => {
      let i = 0;
      for (; i + AUDIT_CHUNK <= entries.length; i += AUDIT_CHUNK) await this.q.insertAuditRows(db, chunkValues(entries, i));
      for (; i < entries.length; i++) await this.q.insertAudit(db, auditRow(entries[i] as AuditRecord));
    };
    if (this.inTransaction) await insert(this.db);
    else await this.dialect.transaction(this.db as Kysely<Database>, (trx) => insert(trx));
  }

  /**
   * PostgreSQL: each column's values as one array, unnested into rows by one statement of
   * eleven parameters, whatever the number of rows. Against the chunks of fifty rows in a
   * SERIALIZABLE transaction, the database server spent about half the CPU per row (5 against 9-11
   * µs) and this process a third to a half (2-4 against 5-7 µs), measured apart on 30,000 rows;
   * the audit row of every read is what made reads on PostgreSQL cost more than on SQLite
   * (bench/RESULTS.md, session 10). A single statement is atomic without a transaction.
   */
  private async appendAuditColumns(entries: readonly AuditRecord[]): Promise<void> {
    const columns = AUDIT_COLUMNS.map(() => new Array<unknown>(entries.length));
    entries.forEach((entry, r) => {
      const row = auditRow(entry);
      AUDIT_COLUMNS.forEach((column, c) => ((columns[c] as unknown[])[r] = row[column]));
    });
    const arrays = AUDIT_COLUMNS.map((column, c) => sql`${sql.val(columns[c])}::${sql.raw(AUDIT_COLUMN_TYPES[column])}[]`);
    await sql`insert into audit_log (${sql.join(AUDIT_COLUMNS.map((column) => sql.ref(column)))}) select * from unnest(${sql.join(arrays)})`.execute(this.db);
  }

  async listAudit(query: AuditQuery): Promise<AuditRecord[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (query.poolId !== undefined) q = q.where('pool_id', '=', query.poolId);
    const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return rows.reverse().map(auditFromRow);
  }
}

/** The values of AUDIT_CHUNK rows from `from` on, row after row in the order of AUDIT_COLUMNS (hot-queries.ts insertAuditRows). */
function chunkValues(entries: readonly AuditRecord[], from: number): unknown[] {
  const values: unknown[] = [];
  for (let r = 0; r < AUDIT_CHUNK; r++) {
    const row = auditRow(entries[from + r] as AuditRecord);
    for (const column of AUDIT_COLUMNS) values.push(row[column]);
  }
  return values;
}

function auditRow(e: AuditRecord) {
  return {
    at: e.at,
    request_id: e.requestId,
    operation: e.operation,
    principal: e.principal,
    client_id: e.clientId,
    pool_id: e.poolId,
    username: e.username,
    outcome: e.outcome,
    status: e.status,
    source_ip: e.sourceIp,
    // Always bound (null for API requests): the insert is compiled once for one set of columns.
    duration_ms: e.durationMs ?? null,
  };
}

function auditFromRow(row: Selectable<Database['audit_log']>): AuditRecord {
  return {
    at: Number(row.at),
    requestId: row.request_id,
    operation: row.operation,
    principal: row.principal,
    clientId: row.client_id,
    poolId: row.pool_id,
    username: row.username,
    outcome: row.outcome,
    status: Number(row.status),
    sourceIp: row.source_ip,
    ...(row.duration_ms === null || row.duration_ms === undefined ? {} : { durationMs: Number(row.duration_ms) }),
  };
}
