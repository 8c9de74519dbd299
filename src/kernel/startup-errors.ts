import { ConfigError } from './config.js';

/**
 * Why a data folder or a database file cannot be used, said once at start-up with the path,
 * instead of a stack trace, a 500 at the first write, or a log that repeats the failure.
 */
export function cannotUse(what: string, path: string, err: unknown): ConfigError {
  return new ConfigError(`cannot use ${what} ${path}: ${reasonOf(err)}`);
}

function reasonOf(err: unknown): string {
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return 'a file is in the way where a folder is expected (give --data-dir a folder)';
    case 'EISDIR':
      return 'it is a folder where a file is expected';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (the user running userpoold must be able to write there)';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'SQLITE_NOTADB':
      return 'the file is not a SQLite database (is it the right file?)';
    case 'SQLITE_CORRUPT':
      return 'the database file is damaged';
    case 'SQLITE_CANTOPEN':
      return 'the database file cannot be opened';
    case 'SQLITE_READONLY':
      return 'the database file is read-only';
    default:
      return e.message ?? String(err);
  }
}
