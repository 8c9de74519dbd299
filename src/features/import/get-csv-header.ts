import type { Operation } from '../operation.js';
import { csvHeader } from '../../domain/users/csv-header.js';
import { settingsOf } from '../../domain/pools/user-pool.js';
import { poolNotFound } from '../../kernel/errors.js';

/** The header row of a user import CSV for the pool (domain/users/csv-header.ts). */
export const getCSVHeader: Operation<'GetCSVHeader', 'store'> = (deps) => async (input) => {
  const pool = await deps.store.getPool(input.UserPoolId);
  if (!pool) throw poolNotFound(input.UserPoolId);
  return { UserPoolId: pool.id, CSVHeader: csvHeader(settingsOf(pool)) };
};
