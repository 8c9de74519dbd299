import type { Operation } from '../operation.js';
import { describeImportJob } from '../../domain/import/import-job.js';
import { decodePageToken, pageOf } from '../../domain/page-token.js';
import { loadPool } from '../../services/directory/lookups.js';
import { preSignedUrl } from '../../services/import/upload-url.js';

/**
 * ListUserImportJobs: the pool's jobs in creation order, MaxResults (1-60, required by the model)
 * at a time. AWS documents no order (unverified).
 */
export const listUserImportJobs: Operation<'ListUserImportJobs', 'store' | 'clock' | 'secrets' | 'config'> = (deps) => async (input, ctx) => {
  const scope = `import-jobs:${input.UserPoolId}`;
  const after = input.PaginationToken === undefined ? undefined : decodePageToken(scope, input.PaginationToken);
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const rows = await deps.store.listImportJobs(pool.id, { limit: input.MaxResults + 1, after });
  const page = pageOf(rows, input.MaxResults, (job) => job.jobId, scope);
  const now = deps.clock.nowMs();
  return {
    UserImportJobs: page.items.map((job) => describeImportJob(job, preSignedUrl(deps, ctx, job.jobId), now)),
    ...(page.nextToken && { PaginationToken: page.nextToken }),
  };
};
