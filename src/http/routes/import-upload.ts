import type { Deps } from '../../services/deps.js';
import { MAX_CHUNK_BYTES } from '../../domain/import/chunks.js';
import { IMPORT_LIMITS } from '../../domain/import/import-job.js';
import { receiveUpload } from '../../services/import/upload.js';
import { UPLOAD_PATH } from '../../services/import/upload-url.js';
import { defineRoute, type Problem, type Route, type RouteResponse } from './route.js';

/**
 * PUT <PreSignedUrl>: a user import job's CSV (CreateUserImportJob), as clients upload it to
 * S3 with AWS's instructions (`curl -T users.csv -H "x-amz-server-side-encryption:aws:kms"
 * URL`, DG23 cognito-user-pools-creating-import-job). The body is limited to AWS's 100 MB per
 * file; it streams into the database as it arrives (services/import/upload.ts), so it takes only
 * a window of the server's bytes-in-flight budget (--max-body-bytes-in-flight), whatever its
 * size. Every refusal, before, in or after the handler (a body past the limit while streaming),
 * is answered as S3 answers: an XML Error document, never a 500.
 */
export function importUploadRoute(deps: Pick<Deps, 'store' | 'clock' | 'random' | 'secrets'>): Route {
  return defineRoute({
    name: 'import-upload',
    methods: ['PUT'],
    path: `${UPLOAD_PATH}/:jobId`,
    params: { jobId: /^import-[0-9a-zA-Z-]{1,48}$/u },
    // Streamed (issue 21): never held whole. The window is about the most an upload holds at once
    // (a chunk being cut, MAX_CHUNK_BYTES; a usual chunk of 1,000 lines is near 100 KB).
    body: { kind: 'stream', limit: IMPORT_LIMITS.maxFileBytes, window: MAX_CHUNK_BYTES },
    cors: false,
    async handle({ params, query, headers, body, ctx }) {
      const sse = headers['x-amz-server-side-encryption'];
      const outcome = await receiveUpload(deps, {
        jobId: params.jobId as string,
        token: query.get('X-Amz-Signature'),
        serverSideEncryption: Array.isArray(sse) ? sse[0] : sse,
        body,
      });
      if (!outcome.ok) return s3Error(outcome.refusal.status, outcome.refusal.code, outcome.refusal.message, ctx.requestId);
      return { status: 200, headers: { ETag: outcome.etag, 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-request-id': ctx.requestId } };
    },
    problem(problem, ctx) {
      return s3Error(problem.status, s3CodeOf(problem), problem.kind === 'too-large' ? 'Your proposed upload exceeds the maximum allowed size' : problem.message, ctx.requestId);
    },
  });
}

/** S3's error codes for the server's own refusals. */
function s3CodeOf(problem: Problem): string {
  switch (problem.kind) {
    case 'too-large':
      return 'EntityTooLarge';
    case 'busy':
      return 'SlowDown';
    case 'forbidden-host':
      return 'AccessDenied';
    default:
      return 'InvalidRequest';
  }
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function s3Error(status: number, code: string, message: string, requestId: string): RouteResponse {
  const escape = (s: string) => s.replace(/[&<>"']/gu, (c) => XML_ESCAPES[c] as string);
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escape(code)}</Code><Message>${escape(message)}</Message><RequestId>${escape(requestId)}</RequestId></Error>`;
  return { status, contentType: 'application/xml', body, headers: { 'x-amz-request-id': requestId } };
}
