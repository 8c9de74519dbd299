/**
 * What every layer may know about the request being served beyond its body: who sent it,
 * where it arrived, and (once the signature is checked) who signed it. Built by the HTTP layer,
 * read by operations, quotas and the audit log.
 */
export interface RequestContext {
  requestId: string;
  sourceIp: string;
  /** The base URL this request reached, e.g. http://127.0.0.1:9229 (token issuers). */
  baseUrl: string;
  /** The verified caller of a signed operation (set by the SigV4 step of the pipeline). */
  principal?: { arn: string; accessKeyId: string } | undefined;
}

/** The request as it arrived, for checks that need more than the body (SigV4). */
export interface RawRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What happened to one API request, for the audit log: never secrets or codes. */
export interface Outcome {
  operation: string | undefined;
  input: Record<string, unknown> | undefined;
  ctx: RequestContext;
  status: number;
  errorType: string | undefined;
}
