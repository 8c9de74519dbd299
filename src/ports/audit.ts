/**
 * One API request, or one Lambda trigger invocation, as the audit log keeps it: who, what, on
 * which pool and user, and how it ended. Never a secret. A trigger's row names the operation
 * `Trigger:<triggerSource>` and carries `durationMs`.
 */
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
  /** Trigger rows only: how long the function took, in milliseconds. */
  durationMs?: number;
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
