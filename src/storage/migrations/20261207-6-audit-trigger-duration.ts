import type { Kysely, Migration } from 'kysely';

// Lambda trigger invocations are audited beside API requests (services/audit/audit-log.ts):
// their rows carry how long the function took. Null for API requests.
export const auditTriggerDuration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('audit_log').addColumn('duration_ms', 'integer').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('audit_log').dropColumn('duration_ms').execute();
  },
};
