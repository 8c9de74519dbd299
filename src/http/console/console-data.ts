import { ServiceError } from '../../kernel/errors.js';
import { OPERATIONS } from '../../model/generated/operations.js';
import type { Deps } from '../../services/deps.js';
import { openPayload } from '../../services/delivery/message-view.js';

/**
 * The outbox and the audit log as the console shows them. Query parameters are checked and a
 * bad one is refused by name (InvalidParameterException, 400), so a typed URL never yields a
 * blank or misleading page.
 */

/** The model's UserPoolIdType. */
const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const MAX_LIMIT = 500;
const DEFAULT_LIMIT = 100;

export interface Filters {
  pool: string | undefined;
  user: string | undefined;
  operation: string | undefined;
  limit: number;
}

const bad = (message: string) => new ServiceError('InvalidParameterException', message);

/** Reads `allowed` parameters; any other (but SigV4's own X-Amz-*) is refused, so a typo is not silently ignored. */
export function readFilters(query: URLSearchParams, allowed: readonly (keyof Filters)[]): Filters {
  for (const key of new Set(query.keys())) {
    if (key.startsWith('X-Amz-')) continue;
    if (!(allowed as readonly string[]).includes(key)) throw bad(`Unknown query parameter "${key.slice(0, 64)}": this view takes ${allowed.join(', ')}.`);
    if (query.getAll(key).length > 1) throw bad(`Query parameter "${key}" is given more than once.`);
  }
  const value = (key: string) => {
    const v = query.get(key);
    return v === null || v === '' ? undefined : v;
  };
  const pool = value('pool');
  if (pool !== undefined && (pool.length > 55 || !POOL_ID.test(pool))) throw bad(`pool must be a user pool id such as us-east-1_Abc123, not "${pool.slice(0, 64)}".`);
  const user = value('user');
  if (user !== undefined && user.length > 128) throw bad('user must be at most 128 characters.');
  const operation = value('operation');
  if (operation !== undefined && !Object.hasOwn(OPERATIONS, operation)) throw bad(`operation must name an operation of the API, such as AdminResetUserPassword, not "${operation.slice(0, 64)}".`);
  const rawLimit = value('limit');
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== undefined) {
    limit = /^\d{1,4}$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) throw bad(`limit must be a whole number from 1 to ${MAX_LIMIT}, not "${rawLimit.slice(0, 16)}".`);
  }
  return { pool, user, operation, limit };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Newest last, as the store returns them. `withCodes` only in development mode (open, --dev-messages). */
export async function listMessages(deps: Pick<Deps, 'store' | 'secrets'>, filters: Filters, withCodes: boolean) {
  const rows = await deps.store.listMessages({ poolId: filters.pool, username: filters.user, limit: filters.limit });
  return rows.map((row) => ({
    id: row.id,
    time: iso(row.createdAt),
    pool: row.poolId,
    username: row.username,
    trigger: row.trigger,
    channel: row.channel,
    destination: row.destination,
    state: row.state,
    attempts: row.attempts,
    deliveredAt: iso(row.deliveredAt),
    lastError: row.lastError,
    ...(withCodes && { code: openPayload(row, deps.secrets).code ?? null }),
  }));
}

/** How far back an operation filter looks: the store filters by pool only. */
const SCAN_FOR_OPERATION = 5000;

export async function listAudit(deps: Pick<Deps, 'store'>, filters: Filters) {
  const rows = await deps.store.listAudit({ poolId: filters.pool, limit: filters.operation === undefined ? filters.limit : SCAN_FOR_OPERATION });
  const kept = filters.operation === undefined ? rows : rows.filter((r) => r.operation === filters.operation).slice(-filters.limit);
  return kept.map((r) => ({
    time: iso(r.at),
    requestId: r.requestId,
    operation: r.operation,
    principal: r.principal,
    clientId: r.clientId,
    pool: r.poolId,
    username: r.username,
    outcome: r.outcome,
    status: r.status,
    sourceIp: r.sourceIp,
    // Trigger invocations (operation Trigger:<triggerSource>) only.
    ...(r.durationMs === undefined ? {} : { durationMs: r.durationMs }),
  }));
}
