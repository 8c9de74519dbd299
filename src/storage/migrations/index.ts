import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './001-initial.js';

/** Migrations in order; names sort lexically, which is the order Kysely applies them. */
const MIGRATIONS: Record<string, Migration> = {
  '001-initial': initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
