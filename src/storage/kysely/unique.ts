import type { Kysely } from 'kysely';
import { UniqueViolation } from '../../ports/unique-violation.js';
import type { DialectSql } from '../dialect-sql.js';
import type { Database } from '../schema.js';
import type { Db } from './context.js';

/** Runs a write, turning the database's unique-constraint error into UniqueViolation. */
export async function unique<T>(dialect: DialectSql, db: Db, write: () => Promise<T>): Promise<T> {
  try {
    return await dialect.recoverable(db as Kysely<Database>, write);
  } catch (err) {
    const violation = uniqueViolationOf(err);
    if (violation) throw violation;
    throw err;
  }
}

function uniqueViolationOf(err: unknown): UniqueViolation | undefined {
  const e = err as { code?: string; message?: string; constraint?: string };
  const isUnique = e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === '23505';
  if (!isUnique) return undefined;
  const where = `${e.constraint ?? ''} ${e.message ?? ''}`;
  if (where.includes('alias_email')) return new UniqueViolation('email');
  if (where.includes('alias_phone')) return new UniqueViolation('phone_number');
  if (where.includes('alias_preferred_username')) return new UniqueViolation('preferred_username');
  if (where.includes('username_key') || where.includes('users_username')) return new UniqueViolation('username');
  return new UniqueViolation('other');
}
