import type { UserImportJobStatusType, UserImportJobType } from '../../model/generated/types.js';

/**
 * A user import job (cognito-facts-areas.md section 5): created with a pre-signed URL for its CSV,
 * started, run in batches, stopped or finished. Statuses are AWS's:
 *   Created -> Pending (started, not importing yet) -> InProgress -> Succeeded | Failed
 *   Pending | InProgress -> Stopping -> Stopped;  Created, never started -> Expired.
 */
export type ImportJobStatus = UserImportJobStatusType;

export interface ImportJobRecord {
  jobId: string;
  poolId: string;
  jobName: string;
  status: ImportJobStatus;
  roleArn: string;
  /** Keyed hash of the upload token in the pre-signed URL (services/import/upload-url.ts); the token itself is never stored. */
  uploadTokenHash: string;
  /** The pre-signed URL stops working then (AWS: 15 minutes after creation). */
  uploadExpiresAt: number;
  /** The upload whose chunks the job imports; null until a CSV has arrived. */
  uploadId: string | null;
  /** Why the uploaded file cannot be imported at all (not UTF-8, too many rows ...); the job fails with it when started. */
  uploadProblem: string | null;
  chunkCount: number;
  /** The first chunk not imported yet: written in the transaction of each batch, so a restart resumes exactly there. */
  nextChunk: number;
  imported: number;
  skipped: number;
  failed: number;
  completionMessage: string | null;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  /** The runner holding the job, and until when (a lease renewed by every batch). */
  claimedBy: string | null;
  claimedUntil: number | null;
}

/** AWS's limits and lifetimes (cognito-facts-areas.md section 5; DG23 creating-import-job and limits). */
export const IMPORT_LIMITS = {
  /** "The pre-signed URL is valid for 15 minutes" (DG23 cognito-user-pools-creating-import-job). */
  uploadUrlLifetimeMs: 15 * 60 * 1000,
  /**
   * A job not started within 24 to 48 hours is Expired and its data deleted (DG23). userpoold
   * uses the lower bound, so a job is never still startable after AWS would have expired it.
   */
  startWithinMs: 24 * 60 * 60 * 1000,
  /** 100 MB per file, 500,000 users per file, 16,000 characters per row (DG23 limits). */
  maxFileBytes: 100 * 1000 * 1000,
  maxUsers: 500_000,
  maxRowChars: 16_000,
  /** 1,000 import jobs per pool (DG23 limits). */
  maxJobsPerPool: 1000,
} as const;

/**
 * Rows per import batch (and per stored chunk): one transaction each, short enough never to hold
 * the database long, and the event loop's share of a batch (its rows checked, decided and
 * serialized, between yields) short enough that requests wait a few milliseconds at most.
 */
export const ROWS_PER_BATCH = 1000;

/** Whether the job is waiting for or being worked by a runner. */
export const RUNNABLE: readonly ImportJobStatus[] = ['Pending', 'InProgress', 'Stopping'];

/** The status as callers see it at `now`: a job never started expires (data deleted; cognito-facts-areas.md section 5). */
export function statusAt(job: ImportJobRecord, now: number): ImportJobStatus {
  if (job.status === 'Created' && now >= job.createdAt + IMPORT_LIMITS.startWithinMs) return 'Expired';
  return job.status;
}

/**
 * AWS's completion messages: "Import Job Completed Successfully." (seen in DescribeUserImportJob
 * output quoted in public code) and, for a job with too many rows refused, "Too many users have
 * failed or been skipped during the import." (a Cognito job's output quoted by AWS staff,
 * gh:aws-solutions/cognito-user-profiles-export-reference-architecture#9, with 14 imported and
 * 32 failed). AWS's threshold is not published; userpoold fails the job when rows skipped and
 * failed together outnumber the rows imported.
 */
export const COMPLETION = {
  succeeded: 'Import Job Completed Successfully.',
  tooManyFailed: 'Too many users have failed or been skipped during the import.',
  stopped: 'Import Job Stopped.',
} as const;

/** The final status and message of a job that went through its whole file. */
export function completionOf(counts: Pick<ImportJobRecord, 'jobId' | 'imported' | 'skipped' | 'failed'>): { status: 'Succeeded' | 'Failed'; message: string } {
  const refused = counts.skipped + counts.failed;
  if (refused > 0 && refused > counts.imported) return { status: 'Failed', message: withSummary(COMPLETION.tooManyFailed, counts) };
  return { status: 'Succeeded', message: withSummary(COMPLETION.succeeded, counts) };
}

/**
 * AWS's sentence, then (only when rows were refused) how many and where to read why: AWS keeps
 * the per-row lines in CloudWatch Logs, userpoold in its database (`userpoold import-log`).
 */
export function withSummary(sentence: string, counts: Pick<ImportJobRecord, 'jobId' | 'skipped' | 'failed'>): string {
  if (counts.skipped + counts.failed === 0) return sentence;
  return `${sentence} ${counts.failed} failed, ${counts.skipped} skipped; per-row reasons: userpoold import-log ${counts.jobId}.`;
}

/** The job as the API shows it (UserImportJobType); dates in epoch seconds. */
export function describeImportJob(job: ImportJobRecord, preSignedUrl: string, now: number): UserImportJobType {
  const out: UserImportJobType = {
    JobName: job.jobName,
    JobId: job.jobId,
    UserPoolId: job.poolId,
    PreSignedUrl: preSignedUrl,
    CreationDate: job.createdAt / 1000,
    Status: statusAt(job, now),
    CloudWatchLogsRoleArn: job.roleArn,
    ImportedUsers: job.imported,
    SkippedUsers: job.skipped,
    FailedUsers: job.failed,
  };
  if (job.startedAt !== null) out.StartDate = job.startedAt / 1000;
  if (job.completedAt !== null) out.CompletionDate = job.completedAt / 1000;
  if (job.completionMessage !== null) out.CompletionMessage = job.completionMessage;
  return out;
}
