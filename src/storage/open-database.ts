import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { ConfigError, type Config } from '../kernel/config.js';
import { ensurePrivateDir } from '../kernel/private-files.js';
import type { DialectName } from './dialect-sql.js';
import type { Database } from './schema.js';
import { openSqliteDatabase } from './sqlite.js';

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: DialectName;
}

/**
 * The database the configuration names, migrated, without the repositories: for commands that
 * work on whole tables (export, import). `mustExist` refuses a data folder holding no SQLite
 * database instead of creating an empty one there.
 */
export async function openDatabase(config: Config, options: { mustExist: boolean; command: string }): Promise<OpenedDatabase> {
  const url = config.databaseUrl;
  if (url === undefined) {
    const file = join(config.dataDir, 'userpoold.sqlite');
    if (options.mustExist && !existsSync(file)) throw new ConfigError(`${options.command}: no userpoold database in ${config.dataDir}`);
    ensurePrivateDir(config.dataDir);
    return { db: await openSqliteDatabase(file), dialect: 'sqlite' };
  }
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('database-url: expected a postgres:// or postgresql:// URL');
  const { openPostgresDatabase } = await import('./postgres.js');
  const db = await openPostgresDatabase(url, { poolSize: 2, statementTimeoutMs: config.databaseStatementTimeoutMs });
  return { db, dialect: 'postgres' };
}
