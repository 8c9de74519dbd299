import type { Operation } from '../operation.js';
import { poolImportProblem } from '../../domain/import/csv.js';
import { describeImportJob, statusAt } from '../../domain/import/import-job.js';
import { ServiceError } from '../../kernel/errors.js';
import { loadPool } from '../../services/directory/lookups.js';
import { preSignedUrl } from '../../services/import/upload-url.js';
import { loadImportJob, wrongState } from './load-import-job.js';

/**
 * StartUserImportJob: Created -> Pending; the import runner takes it from there (InProgress,
 * then Succeeded or Failed). Only a Created job starts; any other status, Expired included (a job
 * not started within 24 hours, whose file is then deleted), is PreconditionNotMetException
 * (cognito-facts-areas.md section 5). A pool without auto-verified attributes cannot start a job
 * (DG23): its users could never receive the code that sets their password.
 */
export const startUserImportJob: Operation<'StartUserImportJob', 'store' | 'clock' | 'secrets' | 'config' | 'onImportJobChanged'> = (deps) => async (input, ctx) => {
  const { pool, settings } = await loadPool(deps.store, input.UserPoolId);
  const now = deps.clock.nowMs();
  const problem = poolImportProblem(settings);
  const result = await deps.store.transaction(async (tx) => {
    const job = await loadImportJob(tx, pool.id, input.JobId);
    const status = statusAt(job, now);
    if (status === 'Expired' && job.status !== 'Expired') {
      await tx.updateImportJob({ ...job, status: 'Expired', uploadId: null, chunkCount: 0 });
      await tx.deleteImportChunks(job.jobId);
      return { refused: wrongState(job.jobId, status, 'started') };
    }
    if (status !== 'Created') return { refused: wrongState(job.jobId, status, 'started') };
    if (problem !== undefined) return { refused: new ServiceError('PreconditionNotMetException', problem) };
    const started = { ...job, status: 'Pending' as const, startedAt: now };
    await tx.updateImportJob(started);
    return { job: started };
  });
  // Refusals are returned, not thrown, so that the expiry above commits.
  if ('refused' in result) throw result.refused;
  deps.onImportJobChanged?.();
  return { UserImportJob: describeImportJob(result.job, preSignedUrl(deps, ctx, result.job.jobId), now) };
};
