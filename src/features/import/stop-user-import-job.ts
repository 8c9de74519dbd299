import type { Operation } from '../operation.js';
import { describeImportJob, statusAt } from '../../domain/import/import-job.js';
import { loadPool } from '../../services/directory/lookups.js';
import { preSignedUrl } from '../../services/import/upload-url.js';
import { loadImportJob, wrongState } from './load-import-job.js';

/**
 * StopUserImportJob: a Pending or InProgress job goes to Stopping; the runner ends it Stopped
 * after the batch in flight (that batch's users stay imported and counted). Any other status
 * is PreconditionNotMetException (cognito-facts-areas.md section 5).
 */
export const stopUserImportJob: Operation<'StopUserImportJob', 'store' | 'clock' | 'secrets' | 'config' | 'onImportJobChanged'> = (deps) => async (input, ctx) => {
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const now = deps.clock.nowMs();
  const job = await deps.store.transaction(async (tx) => {
    const current = await loadImportJob(tx, pool.id, input.JobId);
    const status = statusAt(current, now);
    if (status !== 'Pending' && status !== 'InProgress') throw wrongState(current.jobId, status, 'stopped');
    const stopping = { ...current, status: 'Stopping' as const };
    await tx.updateImportJob(stopping);
    return stopping;
  });
  deps.onImportJobChanged?.();
  return { UserImportJob: describeImportJob(job, preSignedUrl(deps, ctx, job.jobId), now) };
};
