import type { CsvChunk } from '../domain/import/chunks.js';
import type { ImportJobRecord } from '../domain/import/import-job.js';
import type { UserMfaRecord } from '../domain/mfa/mfa-settings.js';
import type { AliasKind, UserRecord } from '../domain/users/user.js';
import type { Page } from './page.js';

/** A row of an import that did not become a user, as AWS logs it to CloudWatch (line and reason). */
export interface ImportLogEntry {
  jobId: string;
  line: number;
  outcome: 'SKIPPED' | 'FAILED';
  message: string;
}

/** One batch of an import job (a chunk of its file), written together by commitImportBatch. */
export interface ImportBatchCommit {
  jobId: string;
  poolId: string;
  /** The runner that must still hold the job. */
  worker: string;
  /** The chunk imported: the job must be at it (nextChunk), and moves past it. */
  seq: number;
  users: readonly UserRecord[];
  /** MFA settings of the new users that have any (cognito:mfa_enabled). */
  mfa: readonly UserMfaRecord[];
  refused: readonly ImportLogEntry[];
  /** Added to the job's counts. */
  imported: number;
  skipped: number;
  failed: number;
  /** The renewed lease. */
  claimedUntil: number;
}

/**
 * User import jobs, their uploaded files (in chunks of whole lines) and the log of refused rows.
 * Jobs list in job-id order, which is creation order (ids begin with the creation time).
 */
export interface ImportJobsPort {
  insertImportJob(job: ImportJobRecord): Promise<void>;
  getImportJob(jobId: string): Promise<ImportJobRecord | undefined>;
  listImportJobs(poolId: string, page: Page): Promise<ImportJobRecord[]>;
  countImportJobs(poolId: string): Promise<number>;
  /**
   * Writes the job's row. With `claimedBy`, only while that runner still holds the job: false
   * (nothing written) when another took it over, so a batch of a runner that lost its lease rolls back.
   */
  updateImportJob(job: ImportJobRecord, claimedBy?: string): Promise<boolean>;
  /** The runnable job whose lease ended first (or that never had one), claimed for `worker` until `until`. */
  claimImportJob(worker: string, now: number, until: number): Promise<ImportJobRecord | undefined>;

  insertImportChunks(jobId: string, uploadId: string, chunks: readonly CsvChunk[]): Promise<void>;
  getImportChunk(jobId: string, uploadId: string, seq: number): Promise<CsvChunk | undefined>;
  /** Deletes the job's chunks of every upload but `keep` (all of them without it). */
  deleteImportChunks(jobId: string, keep?: string): Promise<void>;
  /** Deletes one upload's chunks (an upload that failed or lost to another: the others stay). */
  deleteUploadChunks(jobId: string, uploadId: string): Promise<void>;

  /** Which of `keys` are username keys of users of the pool. */
  existingUsernameKeys(poolId: string, keys: readonly string[]): Promise<Set<string>>;
  /** Which of `keys` are active `kind` aliases of users of the pool. */
  takenAliasKeys(poolId: string, kind: AliasKind, keys: readonly string[]): Promise<Set<string>>;
  /**
   * Inserts many new users at once (usernames and aliases already checked free, inside the same
   * transaction). Throws UniqueViolation, inserting none, if one was not.
   */
  insertImportedUsers(users: readonly UserRecord[]): Promise<void>;

  /**
   * Writes one batch in a transaction of its own (never inside Store.transaction): its users, their
   * MFA settings, its refused rows, the job's counts, the next chunk and the lease, only while
   * the job is InProgress, held by `worker`, at chunk `seq`, and its pool exists. False, with
   * nothing written, when that no longer holds (the caller reads the job to see why). Throws
   * UniqueViolation, with nothing written, when a user's username or alias was taken meanwhile.
   */
  commitImportBatch(batch: ImportBatchCommit): Promise<boolean>;

  appendImportLog(entries: readonly ImportLogEntry[]): Promise<void>;
  /** The job's refused rows by line, after `afterLine`. */
  listImportLog(jobId: string, afterLine: number, limit: number): Promise<ImportLogEntry[]>;
}
