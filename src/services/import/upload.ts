import { createHash } from 'node:crypto';
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { createChunkCutter, type CsvChunk, type CutEnd } from '../../domain/import/chunks.js';
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
 * job not started yet; all checked before the body is read.
 *
 * The body streams: its chunks of whole lines are cut as the bytes arrive and stored a few at a
 * time under a new upload id (issue 21: a file is never held whole, whatever its size). Only
 * once the body has arrived whole is the upload made the job's, in one short transaction, so a
 * second PUT replaces the first whole (the last to complete wins, as in S3) and a PUT that fails
 * or is cut off midway deletes what it stored and leaves the job as it was. A file that cannot
 * be imported (not UTF-8, no header, too many users) is accepted as S3 would accept it; the job
 * fails with the reason when started. Errors of the body (too large, client gone) are rethrown
 * for the HTTP layer to answer, after the cleanup.
 */
export async function receiveUpload(
  deps: Pick<Deps, 'store' | 'clock' | 'random' | 'secrets'>,
  upload: { jobId: string; token: string | null; serverSideEncryption: string | undefined; body: AsyncIterable<Buffer> },
): Promise<UploadOutcome> {
  const { store, clock, random, secrets } = deps;
  const job = await store.getImportJob(upload.jobId);
  if (!job || upload.token === null || !secrets.digestEquals(uploadTokenHash(secrets, upload.token), job.uploadTokenHash)) return { ok: false, refusal: BAD_SIGNATURE };
  if (upload.serverSideEncryption !== 'aws:kms') return { ok: false, refusal: BAD_SIGNATURE };
  if (clock.nowMs() >= job.uploadExpiresAt) return { ok: false, refusal: EXPIRED };
  if (job.status !== 'Created') return { ok: false, refusal: DENIED };

  const uploadId = random.uuid();
  const md5 = createHash('md5');
  const cutter = createChunkCutter();
  let pending: CsvChunk[] = [];
  let stored = false;
  const flush = async () => {
    if (pending.length === 0) return;
    const part = pending;
    pending = [];
    stored = true;
    await store.transaction((tx) => tx.insertImportChunks(job.jobId, uploadId, part));
    await yieldToOthers();
  };
  let end: CutEnd;
  try {
    for await (const bytes of upload.body) {
      md5.update(bytes);
      for (const chunk of cutter.push(bytes)) pending.push(chunk);
      if (pending.length >= CHUNKS_PER_TRANSACTION) await flush();
    }
    end = cutter.end();
    if (end.problem === undefined) {
      pending.push(...end.chunks);
      await flush();
    }
  } catch (err) {
    // Too large, cut off, or the store failed: nothing of this upload stays.
    if (stored) await store.transaction((tx) => tx.deleteUploadChunks(job.jobId, uploadId)).catch(() => undefined);
    throw err;
  }
  const etag = `"${md5.digest('hex')}"`;
  const verdict = end;
  const accepted = await store.transaction(async (tx) => {
    const current = await tx.getImportJob(job.jobId);
    if (!current || current.status !== 'Created') {
      // Started (or gone) meanwhile: it imports the upload it had; this one goes.
      if (stored) await tx.deleteUploadChunks(job.jobId, uploadId);
      return false;
    }
    // The upload it replaces goes; uploads still arriving keep theirs (the last to complete wins).
    if (current.uploadId !== null && current.uploadId !== undefined) await tx.deleteUploadChunks(job.jobId, current.uploadId);
    if (verdict.problem !== undefined && stored) await tx.deleteUploadChunks(job.jobId, uploadId);
    const next =
      verdict.problem === undefined
        ? { ...current, uploadId, uploadProblem: null, chunkCount: verdict.count, nextChunk: 1 }
        : { ...current, uploadId: null, uploadProblem: verdict.problem, chunkCount: 0, nextChunk: 1 };
    await tx.updateImportJob(next);
    return true;
  });
  return accepted ? { ok: true, etag } : { ok: false, refusal: DENIED };
}
