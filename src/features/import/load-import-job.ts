import type { ImportJobRecord } from '../../domain/import/import-job.js';
import { resourceNotFound, ServiceError } from '../../kernel/errors.js';
import type { StoreTx } from '../../ports/store.js';

/**
 * The job of the pool, or ResourceNotFoundException (a job of another pool is not found either).
 * AWS's text for an unknown job id is not established; this follows the pool's ("User pool X
 * does not exist.").
 */
export async function loadImportJob(tx: StoreTx, poolId: string, jobId: string): Promise<ImportJobRecord> {
  const job = await tx.getImportJob(jobId);
  if (!job || job.poolId !== poolId) throw resourceNotFound(`Import job ${jobId} does not exist.`);
  return job;
}

/** A Start or Stop the job's status does not allow (cognito-facts-areas.md section 5: PreconditionNotMetException). */
export function wrongState(jobId: string, status: string, action: 'started' | 'stopped'): ServiceError {
  return new ServiceError('PreconditionNotMetException', `Import job ${jobId} is ${status} and cannot be ${action}.`);
}
