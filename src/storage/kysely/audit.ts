import type { Kysely, Selectable } from 'kysely';
import type { AuditPort, AuditQuery, AuditRecord } from '../../ports/audit.js';
import type { Database } from '../schema.js';
import { KyselyContext, type Db } from './context.js';

export class KyselyAudit extends KyselyContext implements AuditPort {
  async appendAudit(entries: readonly AuditRecord[]): Promise<void> {
    if (entries.length === 0) return;
    // One prepared single-row INSERT per row, in one transaction: a multi-row INSERT is new SQL
    // for every batch size, compiled by Kysely and prepared by SQLite each time.
    const insert = async (db: Db) => {
      for (const entry of entries) await this.q.insertAudit(db, auditRow(entry));
    };
    if (this.inTransaction) await insert(this.db);
    else await this.dialect.transaction(this.db as Kysely<Database>, (trx) => insert(trx));
  }

  async listAudit(query: AuditQuery): Promise<AuditRecord[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (query.poolId !== undefined) q = q.where('pool_id', '=', query.poolId);
    const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return rows.reverse().map(auditFromRow);
  }
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
  };
}
