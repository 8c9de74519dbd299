import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { AuditRecord } from '../../ports/audit.js';
import type { Store } from '../../ports/store.js';
import type { RequestContext } from '../../kernel/request-context.js';
import type { TriggerInvocation } from '../triggers/invoker-registry.js';

/**
 * The audit log: one row per API request (who, what, which pool and user, outcome, where
 * from) and one per Lambda trigger invocation (source, outcome, duration), never a password,
 * code, token or secret. Rows are written off the request path: kept
 * in memory and appended in batches every `flushMs` (or sooner when a batch fills), and on a
 * clean close. A crash loses at most the rows of the last `flushMs`; a store that keeps
 * failing loses the oldest rows beyond `maxBuffered`, and says so in the log.
 */
export interface AuditLog {
  record(outcome: AuditedOutcome): void;
  /** A Lambda trigger invocation (services/triggers/invoker-registry.ts reports each one). */
  recordTrigger(invocation: AuditedTrigger): void;
  /** Writes what is buffered now. */
  flush(): Promise<void>;
  /** Writes what is buffered and stops the timer; later records are dropped. */
  close(): Promise<void>;
}

/** What dispatch reports after each request (its `Outcome`). */
export interface AuditedOutcome {
  operation: string | undefined;
  /**
   * The members the operation's input shape defines, and no other: the same object the policy's
   * resource was read from, so a member added to the body (UserPoolId on ListUserPools) names
   * no pool here either. Undefined when the request failed before its body was read.
   */
  input: Record<string, unknown> | undefined;
  ctx: RequestContext;
  status: number;
  errorType: string | undefined;
}

/**
 * What the audit keeps of the trigger invoker's report after each invocation (never the event or
 * the answer): everything but where the function ran, which is the server's configuration.
 */
export type AuditedTrigger = Omit<TriggerInvocation, 'functionArn' | 'via'>;

/** Trigger rows have no request of their own to name (a custom sender runs from the outbox). */
const NO_REQUEST = '-';

export interface AuditOptions {
  flushMs: number;
  maxBatch: number;
  maxBuffered: number;
}

const DEFAULTS: AuditOptions = { flushMs: 200, maxBatch: 500, maxBuffered: 50_000 };

/** Longer values are cut: the body is not yet validated when a request is refused early. */
const MAX_FIELD_CHARS = 256;
const MAX_CACHED_CLIENTS = 10_000;

/** Operations whose caller is identified by an access token rather than a client id. */
const ACCESS_TOKEN_FIELD = 'AccessToken';

export function createAuditLog(deps: { store: Store; clock: Clock; logger: Logger }, options: Partial<AuditOptions> = {}): AuditLog {
  const { flushMs, maxBatch, maxBuffered } = { ...DEFAULTS, ...options };
  let buffer: AuditRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;
  let dropped = 0;
  const clientPools = new Map<string, string | null>();

  const poolOfClient = async (clientId: string): Promise<string | null> => {
    const known = clientPools.get(clientId);
    if (known !== undefined) return known;
    const client = await deps.store.getClient(clientId);
    if (clientPools.size >= MAX_CACHED_CLIENTS) clientPools.clear();
    // An unknown client id is not cached: anyone can send many of them.
    if (client) clientPools.set(clientId, client.poolId);
    return client?.poolId ?? null;
  };

  /**
   * Writes the rows buffered when it begins: all of them, or (`wholeOnly`) as many whole batches
   * as they make. Rows that arrive while it writes wait for their own turn: chasing them wrote a
   * batch of the few rows that came during each write, so under steady load the log committed
   * hundreds of tiny transactions a second, each with its fsync (AdminGetUser paid 12 µs of CPU
   * a request for its audit row instead of 2, bench/RESULTS.md, session 10).
   */
  const writeBuffered = async (wholeOnly: boolean): Promise<void> => {
    let owed = wholeOnly ? buffer.length - (buffer.length % maxBatch) : buffer.length;
    while (owed > 0 && buffer.length > 0) {
      const batch = buffer.slice(0, Math.min(maxBatch, owed));
      try {
        for (const row of batch) if (row.poolId === null && row.clientId !== null) row.poolId = await poolOfClient(row.clientId);
        await deps.store.appendAudit(batch);
      } catch (err) {
        deps.logger.error('audit log write failed; rows kept for the next try', { rows: buffer.length, error: err instanceof Error ? err.message : String(err) });
        schedule();
        return;
      }
      buffer = buffer.slice(batch.length);
      owed -= batch.length;
    }
    if (buffer.length > 0) schedule();
    if (dropped > 0) {
      deps.logger.warn('audit log rows dropped while the store was failing', { rows: dropped });
      dropped = 0;
    }
  };

  const flush = (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    writing = writing.then(() => writeBuffered(false));
    return writing;
  };

  /** A write of whole batches is queued and has not begun: a batch filling meanwhile joins it. */
  let wholeBatchesQueued = false;
  const writeWholeBatches = (): void => {
    if (wholeBatchesQueued) return;
    wholeBatchesQueued = true;
    writing = writing.then(() => {
      wholeBatchesQueued = false;
      return writeBuffered(true);
    });
  };

  function schedule(): void {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, flushMs);
    timer.unref();
  }

  return {
    record(outcome) {
      const row = auditRecordOf(outcome, deps.clock.nowMs());
      if (row) append(row);
    },
    recordTrigger(invocation) {
      append(triggerAuditRecord(invocation, deps.clock.nowMs()));
    },
    flush,
    async close() {
      closed = true;
      await flush();
    },
  };

  function append(row: AuditRecord): void {
    if (closed) return;
    if (buffer.length >= maxBuffered) {
      buffer.shift();
      dropped++;
    }
    buffer.push(row);
    if (buffer.length >= maxBatch) writeWholeBatches();
    else schedule();
  }
}

/** The audit row of a trigger invocation: `Trigger:<triggerSource>`, its outcome and duration. */
export function triggerAuditRecord(invocation: AuditedTrigger, at: number): AuditRecord {
  return {
    at,
    requestId: NO_REQUEST,
    operation: `Trigger:${invocation.triggerSource}`,
    principal: null,
    clientId: text(invocation.clientId),
    poolId: text(invocation.poolId),
    username: text(invocation.userName),
    outcome: invocation.outcome,
    status: invocation.status,
    sourceIp: NO_REQUEST,
    durationMs: invocation.durationMs,
  };
}

/**
 * The audit row of a request, from fields picked by name (never the whole input, which holds
 * passwords, codes and tokens). Undefined for a request that named no known operation.
 */
export function auditRecordOf(outcome: AuditedOutcome, at: number): AuditRecord | undefined {
  if (outcome.operation === undefined) return undefined;
  const input = outcome.input ?? {};
  const row: AuditRecord = {
    at,
    requestId: outcome.ctx.requestId,
    operation: outcome.operation,
    principal: outcome.ctx.principal?.arn ?? null,
    clientId: text(input.ClientId),
    poolId: text(input.UserPoolId),
    username: text(input.Username) ?? text(field(input.AuthParameters, 'USERNAME')) ?? text(field(input.ChallengeResponses, 'USERNAME')),
    outcome: outcome.errorType ?? 'OK',
    status: outcome.status,
    sourceIp: outcome.ctx.sourceIp,
  };
  // The claims of an access token the operation accepted name its user, client and pool. The
  // token itself is never kept; a refused token's claims are unverified and not used.
  if (outcome.status === 200 && typeof input[ACCESS_TOKEN_FIELD] === 'string') {
    const claims = accessTokenClaims(input[ACCESS_TOKEN_FIELD] as string);
    row.username ??= text(claims?.username);
    row.clientId ??= text(claims?.client_id);
    const iss = text(claims?.iss);
    row.poolId ??= iss === null ? null : iss.slice(iss.lastIndexOf('/') + 1) || null;
  }
  return row;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  return value.length > MAX_FIELD_CHARS ? value.slice(0, MAX_FIELD_CHARS) : value;
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}

function accessTokenClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return claims !== null && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
