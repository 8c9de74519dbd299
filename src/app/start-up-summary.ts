import type { Config } from '../kernel/config.js';
import { consoleEnabled } from '../http/console/console-routes.js';
import type { App } from './create-app.js';

/**
 * The one line every start prints: where the server answers, where its data is, whether the
 * signed operations need keys, and where the console and the messages (with their codes) are.
 * `url` stays the first field: scripts (and .ci/run) read it from the log.
 */
export async function startUpSummary(app: App, config: Config, port: number): Promise<Record<string, string>> {
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const keys = config.credentialsFile !== undefined || (await app.deps.store.hasCredentials());
  const data =
    config.databaseUrl !== undefined
      ? `PostgreSQL ${redactedUrl(config.databaseUrl)}`
      : config.dataDir === ':memory:'
        ? 'SQLite in memory (nothing is kept)'
        : `SQLite in ${config.dataDir}`;
  return {
    url,
    data,
    mode: keys ? 'keys: signed operations need a developer key' : 'open: no developer credentials, any signature (or none) is accepted, loopback only',
    console: consoleEnabled(config) ? `${url}/_console` : 'off (--console on)',
    messages:
      config.devMessages && !keys
        ? `${url}/_dev/messages, or: userpoold messages`
        : `userpoold messages ${config.databaseUrl !== undefined ? '--database-url ...' : `--data-dir ${config.dataDir}`}`,
    region: config.region,
  };
}

/** A database URL without its password. */
function redactedUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://...';
  }
}
