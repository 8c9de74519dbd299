import type { Operation } from '../operation.js';
import { describeImportJob, IMPORT_LIMITS, type ImportJobRecord } from '../../domain/import/import-job.js';
import { limitExceeded } from '../../kernel/errors.js';
import { ALPHANUMERIC, randomString } from '../../kernel/random.js';
import { loadPool } from '../../services/directory/lookups.js';
import { preSignedUrl, uploadToken, uploadTokenHash } from '../../services/import/upload-url.js';

/**
 * CreateUserImportJob: a job in status Created with a pre-signed URL for its CSV, valid 15
 * minutes (cognito-facts-areas.md section 5; DG23 cognito-user-pools-creating-import-job).
 * CloudWatchLogsRoleArn is required by the model (validated before this runs) and kept; userpoold
 * writes the per-row log to its own database instead (`userpoold import-log`). A pool holds at
 * most 1,000 jobs (DG23 limits; the exception's text is not established).
 *
 * Job ids begin with the creation time (base 36), so listing by id lists by creation.
 */
export const createUserImportJob: Operation<'CreateUserImportJob', 'store' | 'clock' | 'random' | 'secrets' | 'config'> = (deps) => async (input, ctx) => {
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const now = deps.clock.nowMs();
  const jobId = `import-${now.toString(36).padStart(9, '0')}${randomString(deps.random, ALPHANUMERIC, 14)}`;
  const job: ImportJobRecord = {
    jobId,
    poolId: pool.id,
    jobName: input.JobName,
    status: 'Created',
    roleArn: input.CloudWatchLogsRoleArn,
    uploadTokenHash: uploadTokenHash(deps.secrets, uploadToken(deps.secrets, jobId)),
    uploadExpiresAt: now + IMPORT_LIMITS.uploadUrlLifetimeMs,
    uploadId: null,
    uploadProblem: null,
    chunkCount: 0,
    nextChunk: 1,
    imported: 0,
    skipped: 0,
    failed: 0,
    completionMessage: null,
    createdAt: now,
    startedAt: null,
    completedAt: null,
    claimedBy: null,
    claimedUntil: null,
  };
  await deps.store.transaction(async (tx) => {
    if ((await tx.countImportJobs(pool.id)) >= IMPORT_LIMITS.maxJobsPerPool) {
      throw limitExceeded(`The user pool ${pool.id} has ${IMPORT_LIMITS.maxJobsPerPool} import jobs, the most it may have.`);
    }
    await tx.insertImportJob(job);
  });
  return { UserImportJob: describeImportJob(job, preSignedUrl(deps, ctx, jobId), now) };
};
