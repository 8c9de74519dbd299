import { ConfigError, type Config } from '../kernel/config.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from '../ports/store.js';

/** The store the configuration asks for: PostgreSQL when a database URL is given, else SQLite in the data folder. */
export async function openStore(config: Config): Promise<Store> {
  const url = config.databaseUrl;
  if (url === undefined) return openSqliteStore(config.dataDir);
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('database-url: expected a postgres:// or postgresql:// URL');
  // Loaded only when used, so the SQLite default does not load the pg driver.
  const { openPostgresStore } = await import('./postgres.js');
  return openPostgresStore(url, { poolSize: config.databasePoolSize, statementTimeoutMs: config.databaseStatementTimeoutMs });
}
