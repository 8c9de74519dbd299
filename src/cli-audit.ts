import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { openStore } from './storage/dialects.js';
import type { AuditRecord } from './storage/store.js';

const OWN_FLAGS = ['pool', 'limit'] as const;
type OwnFlag = (typeof OWN_FLAGS)[number];

/**
 * `userpoold audit [--pool ID] [--limit N] [server options]`: the newest audit rows of the
 * store the server uses (same --data-dir or --database-url, --config, USERPOOLD_*), oldest first.
 */
export async function auditCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const own = new Map<OwnFlag, string>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(2, eq), arg.slice(eq + 1)] : [arg.slice(2), undefined];
    if (!arg.startsWith('--') || !OWN_FLAGS.includes(flag as OwnFlag)) {
      rest.push(arg);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new ConfigError(`audit: --${flag} needs a value`);
    own.set(flag as OwnFlag, value);
  }
  const limitText = own.get('limit') ?? '50';
  const limit = /^\d+$/.test(limitText) ? Number(limitText) : NaN;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new ConfigError('audit: --limit expects a positive whole number');
  const config = loadConfig(rest, env);
  // Reading must not create an empty database in a mistyped folder.
  if (config.databaseUrl === undefined && !existsSync(join(config.dataDir, 'userpoold.sqlite'))) {
    throw new ConfigError(`audit: no userpoold database in ${config.dataDir}`);
  }
  const store = await openStore(config);
  try {
    const rows = await store.listAudit({ poolId: own.get('pool'), limit });
    for (const row of rows) process.stdout.write(formatAuditLine(row) + '\n');
  } finally {
    await store.close();
  }
}

/** One line: time, request id, operation, outcome, status, caller, pool, username, source address. */
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
  ].join('\t');
}
