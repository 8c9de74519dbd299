import { createHash } from 'node:crypto';
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { splitUpload } from '../../domain/import/chunks.js';
import type { Deps } from '../deps.js';
import { uploadTokenHash } from './upload-url.js';

/** Why an upload is refused, in S3's error vocabulary (the route renders S3's XML). */
export interface UploadRefusal {
  status: number;
  code: 'AccessDenied' | 'SignatureDoesNotMatch';
  message: string;
}

export type UploadOutcome = { ok: true; etag: string } | { ok: false; refusal: UploadRefusal };

/** S3's texts for these refusals. */
const BAD_SIGNATURE: UploadRefusal = {
  status: 403,
  code: 'SignatureDoesNotMatch',
  message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
};
const EXPIRED: UploadRefusal = { status: 403, code: 'AccessDenied', message: 'Request has expired' };
const DENIED: UploadRefusal = { status: 403, code: 'AccessDenied', message: 'Access Denied' };

/** Chunks written per transaction: each holds at most a few thousand lines, so no write waits long behind an upload. */
const CHUNKS_PER_TRANSACTION = 2;

/**
 * A PUT to a job's pre-signed URL. The URL must be the job's (token), unexpired (15 minutes),
 * with the header AWS's pre-signed URL signs (`x-amz-server-side-encryption: aws:kms`,
 * DG23 cognito-user-pools-creating-import-job: a PUT without it fails the signature), and the
 * job not started yet. The file is stored as chunks of whole lines under a new upload id, then
 * made the job's in one short transaction, so a second PUT replaces the first whole, and a
 * failed PUT leaves the earlier one. A file that cannot be imported (not UTF-8, no header, too
 * many users) is accepted as S3 would accept it; the job fails with the reason when started.
 */
export async function receiveUpload(
  deps: Pick<Deps, 'store' | 'clock' | 'random' | 'secrets'>,
  upload: { jobId: string; token: string | null; serverSideEncryption: string | undefined; body: Buffer },
): Promise<UploadOutcome> {
  const { store, clock, random, secrets } = deps;
  const job = await store.getImportJob(upload.jobId);
  if (!job || upload.token === null || !secrets.digestEquals(uploadTokenHash(secrets, upload.token), job.uploadTokenHash)) return { ok: false, refusal: BAD_SIGNATURE };
  if (upload.serverSideEncryption !== 'aws:kms') return { ok: false, refusal: BAD_SIGNATURE };
  if (clock.nowMs() >= job.uploadExpiresAt) return { ok: false, refusal: EXPIRED };
  if (job.status !== 'Created') return { ok: false, refusal: DENIED };

  const etag = `"${createHash('md5').update(upload.body).digest('hex')}"`;
  const split = splitUpload(upload.body);
  const uploadId = random.uuid();
  if (split.problem === undefined) {
    for (let i = 0; i < split.chunks.length; i += CHUNKS_PER_TRANSACTION) {
      const part = split.chunks.slice(i, i + CHUNKS_PER_TRANSACTION);
      await store.transaction((tx) => tx.insertImportChunks(job.jobId, uploadId, part));
      await yieldToOthers();
    }
  }
  const accepted = await store.transaction(async (tx) => {
    const current = await tx.getImportJob(job.jobId);
    if (!current || current.status !== 'Created') {
      // Started meanwhile: it imports the upload it had; this one goes.
      if (current) await tx.deleteImportChunks(job.jobId, current.uploadId ?? undefined);
      return false;
    }
    await tx.deleteImportChunks(job.jobId, split.problem === undefined ? uploadId : undefined);
    const next =
      split.problem === undefined
        ? { ...current, uploadId, uploadProblem: null, chunkCount: split.chunks.length, nextChunk: 1 }
        : { ...current, uploadId: null, uploadProblem: split.problem, chunkCount: 0, nextChunk: 1 };
    await tx.updateImportJob(next);
    return true;
  });
  return accepted ? { ok: true, etag } : { ok: false, refusal: DENIED };
}
