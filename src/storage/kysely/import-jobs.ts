import { CompiledQuery, type Kysely, type Selectable } from 'kysely';
import type { CsvChunk } from '../../domain/import/chunks.js';
import type { ImportJobRecord, ImportJobStatus } from '../../domain/import/import-job.js';
import { RUNNABLE } from '../../domain/import/import-job.js';
import type { AliasKind, UserRecord } from '../../domain/users/user.js';
import type { ImportBatchCommit, ImportJobsPort, ImportLogEntry } from '../../ports/import-jobs.js';
import type { Page } from '../../ports/page.js';
import type { WriteStatement } from '../batch-writer.js';
import type { DialectSql } from '../dialect-sql.js';
import type { Database, ImportJobsTable } from '../schema.js';
import { KyselyContext } from './context.js';
import { unique } from './unique.js';
import { userMfaRow } from './user-mfa.js';
import { userRow } from './users.js';

/**
 * Bound parameters per statement stay far under SQLite's 32766 (a user row has about 23
 * columns). 200, not 500: a 500-row statement's values as JSON (sqlite-writer.ts) are over V8's
 * 128 KiB and went straight to the old generation, which then grew; 100 cost the writer thread
 * about 10% more per row.
 */
const USERS_PER_INSERT = 200;
/** Keys per IN list. */
const KEYS_PER_QUERY = 1000;

const ALIAS_COLUMN = { email: 'alias_email', phone_number: 'alias_phone', preferred_username: 'alias_preferred_username' } as const;

export class KyselyImportJobs extends KyselyContext implements ImportJobsPort {
  async insertImportJob(job: ImportJobRecord): Promise<void> {
    await this.db.insertInto('import_jobs').values(jobRow(job)).execute();
  }

  async getImportJob(jobId: string): Promise<ImportJobRecord | undefined> {
    const row = await this.db.selectFrom('import_jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
    return row && jobFromRow(row);
  }

  async listImportJobs(poolId: string, page: Page): Promise<ImportJobRecord[]> {
    let q = this.db.selectFrom('import_jobs').selectAll().where('pool_id', '=', poolId);
    if (page.after !== undefined) q = q.where('job_id', '>', page.after);
    return (await q.orderBy('job_id').limit(page.limit).execute()).map(jobFromRow);
  }

  async countImportJobs(poolId: string): Promise<number> {
    const row = await this.db
      .selectFrom('import_jobs')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('pool_id', '=', poolId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async updateImportJob(job: ImportJobRecord, claimedBy?: string): Promise<boolean> {
    const { job_id: _id, pool_id: _pool, created_at: _created, ...changes } = jobRow(job);
    let q = this.db.updateTable('import_jobs').set(changes).where('job_id', '=', job.jobId);
    if (claimedBy !== undefined) q = q.where('claimed_by', '=', claimedBy);
    const result = await q.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async claimImportJob(worker: string, now: number, until: number): Promise<ImportJobRecord | undefined> {
    let q = this.db
      .selectFrom('import_jobs')
      .selectAll()
      .where('status', 'in', [...RUNNABLE])
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('job_id')
      .limit(1);
    if (this.dialect.skipsLockedRows) q = q.forUpdate().skipLocked();
    const row = await q.executeTakeFirst();
    if (!row) return undefined;
    // Conditional on the lease still being free: two claimers never both succeed.
    const result = await this.db
      .updateTable('import_jobs')
      .set({ claimed_by: worker, claimed_until: until })
      .where('job_id', '=', row.job_id)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    return { ...jobFromRow(row), claimedBy: worker, claimedUntil: until };
  }

  async insertImportChunks(jobId: string, uploadId: string, chunks: readonly CsvChunk[]): Promise<void> {
    for (const chunk of chunks) {
      await this.db
        .insertInto('import_job_chunks')
        .values({ job_id: jobId, upload_id: uploadId, seq: chunk.seq, first_line: chunk.firstLine, data: chunk.data })
        .execute();
    }
  }

  async getImportChunk(jobId: string, uploadId: string, seq: number): Promise<CsvChunk | undefined> {
    const row = await this.db
      .selectFrom('import_job_chunks')
      .select(['seq', 'first_line', 'data'])
      .where('job_id', '=', jobId)
      .where('upload_id', '=', uploadId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    return row && { seq: Number(row.seq), firstLine: Number(row.first_line), data: row.data };
  }

  async deleteImportChunks(jobId: string, keep?: string): Promise<void> {
    let q = this.db.deleteFrom('import_job_chunks').where('job_id', '=', jobId);
    if (keep !== undefined) q = q.where('upload_id', '!=', keep);
    await q.execute();
  }

  async deleteUploadChunks(jobId: string, uploadId: string): Promise<void> {
    await this.db.deleteFrom('import_job_chunks').where('job_id', '=', jobId).where('upload_id', '=', uploadId).execute();
  }

  async existingUsernameKeys(poolId: string, keys: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
      const rows = await this.db
        .selectFrom('users')
        .select('username_key')
        .where('pool_id', '=', poolId)
        .where('username_key', 'in', keys.slice(i, i + KEYS_PER_QUERY))
        .execute();
      for (const row of rows) found.add(row.username_key);
    }
    return found;
  }

  async takenAliasKeys(poolId: string, kind: AliasKind, keys: readonly string[]): Promise<Set<string>> {
    const column = ALIAS_COLUMN[kind];
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
      const rows = await this.db
        .selectFrom('users')
        .select(`${column} as key`)
        .where('pool_id', '=', poolId)
        .where(column, 'in', keys.slice(i, i + KEYS_PER_QUERY))
        .execute();
      for (const row of rows) if (row.key !== null) found.add(row.key);
    }
    return found;
  }

  async insertImportedUsers(users: readonly UserRecord[]): Promise<void> {
    for (const statement of multiRowInserts(this.dialect.name, 'users', users.map(userRow), USERS_PER_INSERT)) {
      await unique(this.dialect, this.db, () => this.db.executeQuery(CompiledQuery.raw(statement.sql, [...statement.parameters])));
    }
  }

  async commitImportBatch(batch: ImportBatchCommit): Promise<boolean> {
    if (this.inTransaction) throw new Error('commitImportBatch runs in a transaction of its own');
    const writer = this.writer;
    if (!writer) return unique(this.dialect, this.db, () => runGuarded(this.dialect, this.db as Kysely<Database>, importBatchStatements(this.dialect.name, batch)));
    // Handed over at once and not referenced here while the thread works: with several batches
    // in flight, their statements (23 values a user) would otherwise stay on the heap meanwhile.
    const written = writer.write(importBatchStatements(this.dialect.name, batch));
    return unique(this.dialect, this.db, () => written);
  }

  async appendImportLog(entries: readonly ImportLogEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += KEYS_PER_QUERY) {
      const rows = entries.slice(i, i + KEYS_PER_QUERY).map((e) => ({ job_id: e.jobId, line: e.line, outcome: e.outcome, message: e.message }));
      await this.db.insertInto('import_job_log').values(rows).execute();
    }
  }

  async listImportLog(jobId: string, afterLine: number, limit: number): Promise<ImportLogEntry[]> {
    const rows = await this.db
      .selectFrom('import_job_log')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('line', '>', afterLine)
      .orderBy('line')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ jobId: r.job_id, line: Number(r.line), outcome: r.outcome as ImportLogEntry['outcome'], message: r.message }));
  }
}

/** Rows per INSERT of the smaller rows of an import batch (MFA settings: 10 columns; log: 4). */
const SMALL_ROWS_PER_INSERT = 1000;

/**
 * An import batch as statements, the guard first: the job's counts, next chunk and lease move
 * only while the job is InProgress, held by this runner, at this chunk, and its pool exists
 * ("The job fails on ... a deleted pool", DG23: no user is written into a pool deleted meanwhile).
 * The users go in username order: neighbouring keys share index pages, which made inserts a
 * third cheaper than file order with unordered names (measured on SQLite, 100,000 users).
 */
function importBatchStatements(dialect: 'sqlite' | 'postgres', batch: ImportBatchCommit): WriteStatement[] {
  let n = 0;
  const p = dialect === 'postgres' ? () => `$${++n}` : () => '?';
  const guard: WriteStatement = {
    sql:
      `update "import_jobs" set "imported_users" = "imported_users" + ${p()}, "skipped_users" = "skipped_users" + ${p()}, "failed_users" = "failed_users" + ${p()},` +
      ` "next_chunk" = ${p()}, "claimed_until" = ${p()} where "job_id" = ${p()} and "claimed_by" = ${p()} and "next_chunk" = ${p()} and "status" = 'InProgress'` +
      ` and exists (select 1 from "user_pools" where "id" = ${p()})`,
    parameters: [batch.imported, batch.skipped, batch.failed, batch.seq + 1, batch.claimedUntil, batch.jobId, batch.worker, batch.seq, batch.poolId],
  };
  const users = [...batch.users].sort((a, b) => (a.usernameKey < b.usernameKey ? -1 : a.usernameKey > b.usernameKey ? 1 : 0));
  const log = batch.refused.map((e) => ({ job_id: e.jobId, line: e.line, outcome: e.outcome, message: e.message }));
  return [
    guard,
    ...multiRowInserts(dialect, 'users', users.map(userRow), USERS_PER_INSERT),
    ...multiRowInserts(dialect, 'user_mfa', batch.mfa.map(userMfaRow), SMALL_ROWS_PER_INSERT),
    ...multiRowInserts(dialect, 'import_job_log', log, SMALL_ROWS_PER_INSERT),
  ];
}

class GuardFailed extends Error {}

/** The statements in one transaction of the store's own connection (PostgreSQL; SQLite in memory). */
async function runGuarded(dialect: DialectSql, db: Kysely<Database>, statements: readonly WriteStatement[]): Promise<boolean> {
  try {
    await dialect.transaction(db, async (trx) => {
      for (const [i, s] of statements.entries()) {
        const result = await trx.executeQuery(CompiledQuery.raw(s.sql, [...s.parameters]));
        if (i === 0 && Number(result.numAffectedRows ?? 0) === 0) throw new GuardFailed();
      }
    });
    return true;
  } catch (err) {
    if (err instanceof GuardFailed) return false;
    throw err;
  }
}

/** INSERTs of `rows` (objects with the same keys, in the same order), `perStatement` rows each. */
function multiRowInserts(dialect: 'sqlite' | 'postgres', table: string, rows: readonly object[], perStatement: number): WriteStatement[] {
  const out: WriteStatement[] = [];
  if (rows.length === 0) return out;
  const columns = Object.keys(rows[0] as object);
  for (let i = 0; i < rows.length; i += perStatement) {
    const part = rows.slice(i, i + perStatement) as Record<string, unknown>[];
    // Sized at once: grown by push, the array was copied again and again (an import's garbage).
    const parameters: unknown[] = new Array(part.length * columns.length);
    let k = 0;
    for (const row of part) for (const c of columns) parameters[k++] = row[c] ?? null;
    out.push({ sql: multiRowInsert(dialect, table, columns, part.length), parameters });
  }
  return out;
}

const insertTexts = new Map<string, string>();

/**
 * `insert into <table> (...) values (...), (...)` for `rows` rows, its text made once per shape:
 * Kysely builds and compiles a 500-row insert (11,500 values) anew each time, which cost more
 * than SQLite's own work here. Values stay bound parameters; only the table and column names
 * (the row mappers' own keys) and placeholders are written into the text.
 */
function multiRowInsert(dialect: 'sqlite' | 'postgres', table: string, columns: readonly string[], rows: number): string {
  const key = `${dialect}:${table}:${columns.join(',')}:${rows}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    let n = 0;
    const placeholder = dialect === 'postgres' ? () => `$${++n}` : () => '?';
    const tuples = Array.from({ length: rows }, () => `(${columns.map(placeholder).join(', ')})`);
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${tuples.join(', ')}`;
    if (insertTexts.size >= 100) insertTexts.clear();
    insertTexts.set(key, text);
  }
  return text;
}

function jobRow(job: ImportJobRecord): ImportJobsTable {
  return {
    job_id: job.jobId,
    pool_id: job.poolId,
    job_name: job.jobName,
    status: job.status,
    role_arn: job.roleArn,
    upload_token_hash: job.uploadTokenHash,
    upload_expires_at: job.uploadExpiresAt,
    upload_id: job.uploadId,
    upload_problem: job.uploadProblem,
    chunk_count: job.chunkCount,
    next_chunk: job.nextChunk,
    imported_users: job.imported,
    skipped_users: job.skipped,
    failed_users: job.failed,
    completion_message: job.completionMessage,
    created_at: job.createdAt,
    started_at: job.startedAt,
    completed_at: job.completedAt,
    claimed_by: job.claimedBy,
    claimed_until: job.claimedUntil,
  };
}

const numberOrNull = (v: number | string | null): number | null => (v === null ? null : Number(v));

function jobFromRow(row: Selectable<ImportJobsTable>): ImportJobRecord {
  return {
    jobId: row.job_id,
    poolId: row.pool_id,
    jobName: row.job_name,
    status: row.status as ImportJobStatus,
    roleArn: row.role_arn,
    uploadTokenHash: row.upload_token_hash,
    uploadExpiresAt: Number(row.upload_expires_at),
    uploadId: row.upload_id,
    uploadProblem: row.upload_problem,
    chunkCount: Number(row.chunk_count),
    nextChunk: Number(row.next_chunk),
    imported: Number(row.imported_users),
    skipped: Number(row.skipped_users),
    failed: Number(row.failed_users),
    completionMessage: row.completion_message,
    createdAt: Number(row.created_at),
    startedAt: numberOrNull(row.started_at),
    completedAt: numberOrNull(row.completed_at),
    claimedBy: row.claimed_by,
    claimedUntil: numberOrNull(row.claimed_until),
  };
}
