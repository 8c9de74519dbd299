import { assertDatabaseExists, parseLimit, splitOwnFlags } from './flags.js';
import { loadConfig } from '../kernel/config.js';
import { openStore } from '../storage/dialects.js';
import type { AuditRecord } from '../ports/audit.js';

const OWN_FLAGS = ['pool', 'limit'] as const;

/**
 * `userpoold audit [--pool ID] [--limit N] [server options]`: the newest audit rows of the
 * store the server uses (same --data-dir or --database-url, --config, USERPOOLD_*), oldest first.
 */
export async function auditCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { own, rest } = splitOwnFlags('audit', args, OWN_FLAGS);
  const limit = parseLimit('audit', own.get('limit'));
  const config = loadConfig(rest, env);
  assertDatabaseExists('audit', config);
  const store = await openStore(config);
  try {
    const rows = await store.listAudit({ poolId: own.get('pool'), limit });
    for (const row of rows) process.stdout.write(formatAuditLine(row) + '\n');
  } finally {
    await store.close();
  }
}

/**
 * One line: time, request id, operation, outcome, status, caller, pool, username, source address,
 * and for a trigger invocation (operation `Trigger:<triggerSource>`) its duration.
 */
export function formatAuditLine(row: AuditRecord): string {
  const caller = row.principal ?? (row.clientId === null ? '-' : `client:${row.clientId}`);
  return [
    new Date(row.at).toISOString(),
    row.requestId,
    row.operation,
    row.outcome,
    String(row.status),
    caller,
    row.poolId ?? '-',
    row.username ?? '-',
    row.sourceIp,
    ...(row.durationMs === undefined ? [] : [`${row.durationMs}ms`]),
  ].join('\t');
}
