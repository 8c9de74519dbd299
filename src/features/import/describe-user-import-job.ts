import type { Operation } from '../operation.js';
import { describeImportJob } from '../../domain/import/import-job.js';
import { loadPool } from '../../services/directory/lookups.js';
import { preSignedUrl } from '../../services/import/upload-url.js';
import { loadImportJob } from './load-import-job.js';

/** DescribeUserImportJob: the job with its counts as of the last committed batch. */
export const describeUserImportJob: Operation<'DescribeUserImportJob', 'store' | 'clock' | 'secrets' | 'config'> = (deps) => async (input, ctx) => {
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const job = await loadImportJob(deps.store, pool.id, input.JobId);
  return { UserImportJob: describeImportJob(job, preSignedUrl(deps, ctx, job.jobId), deps.clock.nowMs()) };
};
