import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './001-initial.js';
import { refreshTokenOrigin } from './002-refresh-token-origin.js';
import { usersSubFilter } from './003-users-sub-filter.js';
import { postgresBytewiseText } from './004-postgres-bytewise-text.js';
import { audit } from './005-audit.js';
import { srpVerifier } from './005-srp-verifier.js';
import { credentials } from './006-credentials.js';
import { sweepIndexes } from './007-sweep-indexes.js';
import { groups } from './20261206-1-groups.js';
import { webauthnCredentials } from './20261206-2-webauthn-credentials.js';
import { clientSecrets } from './20261206-3-client-secrets.js';
import { devices } from './20261206-4-devices.js';
import { logDelivery } from './20261206-6-log-delivery.js';
import { limitsReplicas } from './20261206-7-limits-replicas.js';
import { userMfa } from './20261206-5-user-mfa.js';
import { oauth } from './20261206-8-oauth.js';
import { identityProviders } from './20261206-9-identity-providers.js';
import { importJobs } from './20261206-9-import-jobs.js';
import { refreshTokenRotation } from './20261207-1-refresh-token-rotation.js';
import { branding } from './20261207-2-branding.js';
import { auditTriggerDuration } from './20261207-6-audit-trigger-duration.js';
import { threatProtection } from './20261207-7-threat-protection.js';
import { outboxDueByChannel } from './20261208-2-outbox-due-by-channel.js';
import { changeNotifications } from './20261208-4-change-notifications.js';
import { partialFilterIndexes } from './20261208-5-partial-filter-indexes.js';
import { codesWithoutRowid } from './20261208-6-codes-without-rowid.js';

/*
 * How to add a migration
 *
 * Kysely's Migrator records each applied migration's name in the database (kysely_migration)
 * and applies the others in the order their names sort (plain code-unit order). It refuses to
 * start on a database that has applied a name sorting after one it has not ("corrupted
 * migrations"), and on one that has applied a name this list lacks. Hence:
 *
 * 1. A name, once released, never changes and never leaves this list: databases hold it. The
 *    first eight are numbered (two share 005, harmless since the names differ); no new name is.
 * 2. A new migration is named YYYYMMDD-N-what: the UTC day it is written, N the day's
 *    migration count (1-9), and a lower-case kebab-case description, e.g. 20261206-1-groups.
 *    Its file is src/storage/migrations/<name>.ts. Dated names sort after the numbered ones,
 *    and two engineers on the same day differ in N or in the description.
 * 3. It goes at the end of REGISTRY, and its name must sort after the name before it. If your
 *    branch lands after another whose migration carries a later date, rename yours to today
 *    before merging: a database that ran the other must never find yours pending before it.
 *
 * checkMigrationNames enforces all of this when the module loads (the server will not start
 * otherwise), and test/storage/migrations.test.ts checks that every file here is registered.
 */

/** Every migration, in the order it applies: append only. */
const REGISTRY: readonly (readonly [name: string, migration: Migration])[] = [
  ['001-initial', initial],
  ['002-refresh-token-origin', refreshTokenOrigin],
  ['003-users-sub-filter', usersSubFilter],
  ['004-postgres-bytewise-text', postgresBytewiseText],
  ['005-audit', audit],
  ['005-srp-verifier', srpVerifier],
  ['006-credentials', credentials],
  ['007-sweep-indexes', sweepIndexes],
  ['20261206-1-groups', groups],
  ['20261206-2-webauthn-credentials', webauthnCredentials],
  ['20261206-3-client-secrets', clientSecrets],
  ['20261206-4-devices', devices],
  ['20261206-5-user-mfa', userMfa],
  ['20261206-6-log-delivery', logDelivery],
  ['20261206-7-limits-replicas', limitsReplicas],
  ['20261206-8-oauth', oauth],
  ['20261206-9-identity-providers', identityProviders],
  ['20261206-9-import-jobs', importJobs],
  ['20261207-1-refresh-token-rotation', refreshTokenRotation],
  ['20261207-2-branding', branding],
  ['20261207-6-audit-trigger-duration', auditTriggerDuration],
  ['20261207-7-threat-protection', threatProtection],
  ['20261208-2-outbox-due-by-channel', outboxDueByChannel],
  ['20261208-4-change-notifications', changeNotifications],
  ['20261208-5-partial-filter-indexes', partialFilterIndexes],
  ['20261208-6-codes-without-rowid', codesWithoutRowid],
];

/** The names existing databases have recorded under the old numbering; never to change. */
const RECORDED_NUMBERED = [
  '001-initial',
  '002-refresh-token-origin',
  '003-users-sub-filter',
  '004-postgres-bytewise-text',
  '005-audit',
  '005-srp-verifier',
  '006-credentials',
  '007-sweep-indexes',
] as const;

const DATED_NAME = /^(\d{4})(\d{2})(\d{2})-[1-9]-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Throws unless `names` (in registry order) follow the rules above. */
export function checkMigrationNames(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const [i, name] of names.entries()) {
    if (seen.has(name)) throw new Error(`migration ${name} is registered twice`);
    seen.add(name);
    if (i < RECORDED_NUMBERED.length) {
      const recorded = RECORDED_NUMBERED[i] as string;
      if (name !== recorded) throw new Error(`migration ${i + 1} must stay named ${recorded} (databases have recorded that name), not ${name}`);
    } else if (!isDatedName(name)) {
      throw new Error(`migration ${name}: new migrations are named YYYYMMDD-N-what, e.g. 20261206-1-groups`);
    }
    const before = names[i - 1];
    if (before !== undefined && !(before < name)) throw new Error(`migration ${name} must sort after ${before}, the migration before it`);
  }
  if (names.length < RECORDED_NUMBERED.length) {
    throw new Error(`migration ${RECORDED_NUMBERED[names.length]} is missing: databases have applied it`);
  }
}

function isDatedName(name: string): boolean {
  const match = DATED_NAME.exec(name);
  if (!match) return false;
  const [year, month, day] = match.slice(1, 4).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 2026 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Migration names in the order they apply. */
export const migrationNames: readonly string[] = REGISTRY.map(([name]) => name);
checkMigrationNames(migrationNames);

const MIGRATIONS: Record<string, Migration> = Object.fromEntries(REGISTRY);

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
