/** One API request as the audit log keeps it: who, what, on which pool and user, and how it ended. Never a secret. */
export interface AuditRecord {
  at: number;
  requestId: string;
  operation: string;
  /** The verified caller's ARN, for signed operations. */
  principal: string | null;
  clientId: string | null;
  poolId: string | null;
  /** The username as the request gave it. */
  username: string | null;
  /** OK, or the error's name. */
  outcome: string;
  status: number;
  sourceIp: string;
}

export interface AuditQuery {
  poolId?: string | undefined;
  limit: number;
}

export interface AuditPort {
  /** Append-only. */
  appendAudit(entries: readonly AuditRecord[]): Promise<void>;
  /** The newest `limit` entries (of the pool when given), oldest first. */
  listAudit(query: AuditQuery): Promise<AuditRecord[]>;
}
