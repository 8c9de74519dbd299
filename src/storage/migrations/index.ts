import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './001-initial.js';
import { refreshTokenOrigin } from './002-refresh-token-origin.js';
import { usersSubFilter } from './003-users-sub-filter.js';
import { postgresBytewiseText } from './004-postgres-bytewise-text.js';
import { audit } from './005-audit.js';
import { srpVerifier } from './005-srp-verifier.js';
import { credentials } from './006-credentials.js';
import { sweepIndexes } from './007-sweep-indexes.js';

/** Migrations in order; names sort lexically, which is the order Kysely applies them. */
const MIGRATIONS: Record<string, Migration> = {
  '001-initial': initial,
  '002-refresh-token-origin': refreshTokenOrigin,
  '003-users-sub-filter': usersSubFilter,
  '004-postgres-bytewise-text': postgresBytewiseText,
  '005-audit': audit,
  '005-srp-verifier': srpVerifier,
  '006-credentials': credentials,
  '007-sweep-indexes': sweepIndexes,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
