import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

// User import jobs (src/ports/import-jobs.ts). The uploaded CSV is kept in the database as
// chunks of whole lines (import_job_chunks), not as a file in the data folder: every instance
// on a shared PostgreSQL can run the job, `--data-dir :memory:` works, and a chunk is the unit
// of one import batch, so a job's progress is one number (next_chunk) written in the batch's
// own transaction. Chunks carry the upload they belong to, so a second PUT never mixes with the
// first. Rows that were skipped or failed are kept in import_job_log (AWS writes them to
// CloudWatch Logs), read by `userpoold import-log JOB_ID`.
export const importJobs: Migration = {
  async up(db: Kysely<unknown>) {
    const ordered = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text collate "C"` : sql`text`;
    await db.schema
      .createTable('import_jobs')
      .addColumn('job_id', ordered, (c) => c.primaryKey())
      .addColumn('pool_id', ordered, (c) => c.notNull())
      .addColumn('job_name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('role_arn', 'text', (c) => c.notNull())
      .addColumn('upload_token_hash', 'text', (c) => c.notNull())
      .addColumn('upload_expires_at', 'bigint', (c) => c.notNull())
      .addColumn('upload_id', 'text')
      .addColumn('upload_problem', 'text')
      .addColumn('chunk_count', 'integer', (c) => c.notNull())
      .addColumn('next_chunk', 'integer', (c) => c.notNull())
      .addColumn('imported_users', 'integer', (c) => c.notNull())
      .addColumn('skipped_users', 'integer', (c) => c.notNull())
      .addColumn('failed_users', 'integer', (c) => c.notNull())
      .addColumn('completion_message', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('completed_at', 'bigint')
      .addColumn('claimed_by', 'text')
      .addColumn('claimed_until', 'bigint')
      .execute();
    await db.schema.createIndex('import_jobs_pool').on('import_jobs').columns(['pool_id', 'job_id']).execute();
    await db.schema.createIndex('import_jobs_runnable').on('import_jobs').columns(['status', 'claimed_until']).execute();

    await db.schema
      .createTable('import_job_chunks')
      .addColumn('job_id', ordered, (c) => c.notNull())
      .addColumn('upload_id', ordered, (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('first_line', 'integer', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('import_job_chunks_pk', ['job_id', 'upload_id', 'seq'])
      .execute();

    await db.schema
      .createTable('import_job_log')
      .addColumn('job_id', ordered, (c) => c.notNull())
      .addColumn('line', 'integer', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('import_job_log_pk', ['job_id', 'line'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('import_job_log').execute();
    await db.schema.dropTable('import_job_chunks').execute();
    await db.schema.dropTable('import_jobs').execute();
  },
};
