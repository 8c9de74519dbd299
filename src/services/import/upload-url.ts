import type { Config } from '../../kernel/config.js';
import type { RequestContext } from '../../kernel/request-context.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import { IMPORT_LIMITS } from '../../domain/import/import-job.js';

/**
 * The pre-signed URL of a job's CSV upload, served by userpoold itself (routes/import-upload.ts).
 * Its token is a keyed hash of the job id under the server key: unguessable without the key,
 * the same on every instance sharing the database, and derivable again for DescribeUserImportJob
 * (which returns the URL, as AWS's does) without being stored; the job row keeps only a keyed
 * hash of the token, compared in constant time. The query names follow S3's pre-signed URLs, so
 * tools that look at them see the familiar shape.
 */
export const UPLOAD_PATH = '/_userpoold/user-import';

export function uploadToken(secrets: SecretBox, jobId: string): string {
  return secrets.digest('import-upload-url', jobId);
}

export function uploadTokenHash(secrets: SecretBox, token: string): string {
  return secrets.digest('import-upload-token', token);
}

export function preSignedUrl(deps: { config: Pick<Config, 'publicUrl'>; secrets: SecretBox }, ctx: RequestContext, jobId: string): string {
  const base = (deps.config.publicUrl ?? ctx.baseUrl).replace(/\/+$/u, '');
  const query = new URLSearchParams({
    'X-Amz-Expires': String(IMPORT_LIMITS.uploadUrlLifetimeMs / 1000),
    'X-Amz-SignedHeaders': 'host;x-amz-server-side-encryption',
    'X-Amz-Signature': uploadToken(deps.secrets, jobId),
  });
  return `${base}${UPLOAD_PATH}/${encodeURIComponent(jobId)}?${query.toString()}`;
}
