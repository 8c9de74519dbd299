import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { ALGORITHM_IDENTIFIER, SignatureV4Base, getCanonicalHeaders, getSigningKey } from '@smithy/signature-v4';
import type { HttpRequest, QueryParameterBag } from '@smithy/types';
import { ServiceError } from '../../kernel/errors.js';
import type { RawRequest } from '../../kernel/request-context.js';

/**
 * AWS Signature Version 4 as a server checks it, in the order AWS's JSON services report
 * problems: the form of the signature (no key needed), then its date, scope and signed
 * headers, then (by the caller, who knows the keys) the key, the signature itself and the
 * session token. The canonical request, string to sign and signing key come from
 * @smithy/signature-v4, the implementation the AWS SDKs sign with.
 */

export const SIGNING_SERVICE = 'cognito-idp';
const SHA256 = Hash.bind(null, 'sha256');
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

/** A signature as the request carries it: well-formed, not yet checked against any key. */
export interface SignatureClaim {
  form: 'header' | 'query';
  accessKeyId: string;
  scope: { date: string; region: string; service: string; terminator: string };
  /** The request time in ISO 8601 basic format (20261126T120000Z), as it enters the string to sign. */
  longDate: string;
  dateMs: number;
  /** The header holding the request time (header form): x-amz-date, else date. */
  dateHeader: 'x-amz-date' | 'date' | undefined;
  signedHeaders: string[];
  signature: string;
  sessionToken: string | undefined;
  /** Presigned form: X-Amz-Expires, seconds. */
  expiresSeconds: number | undefined;
  /** Presigned form with the operation in the (signed) query: no x-amz-target header need be signed. */
  targetInQuery: boolean;
}

export const SIGV4_MESSAGES = {
  missingToken: 'Missing Authentication Token',
  mismatch:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  unrecognized: 'The security token included in the request is invalid.',
  hostNotSigned: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
  // AWS's wording for a header it requires signed (as for Host and X-Amz-Date above), applied to
  // the header that names the operation: see signedTarget.
  targetNotSigned: "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.",
} as const;

export const missingAuthenticationToken = () => new ServiceError('MissingAuthenticationTokenException', SIGV4_MESSAGES.missingToken);
export const unrecognizedClient = () => new ServiceError('UnrecognizedClientException', SIGV4_MESSAGES.unrecognized);
export const invalidSignature = (message: string) => new ServiceError('InvalidSignatureException', message);
const incompleteSignature = (message: string) => new ServiceError('IncompleteSignatureException', message);

/**
 * The signature the request carries, checked for form only; undefined when it carries none
 * (no Authorization header of the AWS4 kind and no X-Amz-Algorithm query parameter).
 */
export function readSignature(request: RawRequest): SignatureClaim | undefined {
  const authorization = header(request, 'authorization');
  const presigned = request.query.has('X-Amz-Algorithm');
  if (authorization !== undefined && presigned) {
    throw invalidSignature("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  if (presigned) return readQueryForm(request);
  if (authorization === undefined || !authorization.trim().startsWith('AWS4-')) return undefined;
  return readHeaderForm(request, authorization);
}

function readHeaderForm(request: RawRequest, authorization: string): SignatureClaim {
  const text = authorization.trim();
  const space = text.search(/\s/);
  const algorithm = space < 0 ? text : text.slice(0, space);
  const params = new Map<string, string>();
  for (const raw of (space < 0 ? '' : text.slice(space + 1)).split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw incompleteSignature(`'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${redacted(authorization)}'.`);
    params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const amzDate = header(request, 'x-amz-date');
  const httpDate = header(request, 'date');
  let missing = '';
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!params.has(name) || (name !== 'SignedHeaders' && params.get(name) === '')) missing += `Authorization header requires '${name}' parameter. `;
  }
  if (amzDate === undefined && httpDate === undefined) missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  if (missing !== '') throw incompleteSignature(`${missing}Authorization=${redacted(authorization)}`);
  checkAlgorithm(algorithm);
  const { accessKeyId, scope } = readCredential(params.get('Credential') as string);
  const when = amzDate !== undefined ? basicDate(amzDate) : httpDateOf(httpDate as string);
  return {
    form: 'header',
    accessKeyId,
    scope,
    ...when,
    dateHeader: amzDate !== undefined ? 'x-amz-date' : 'date',
    signedHeaders: headerList(params.get('SignedHeaders') as string),
    signature: params.get('Signature') as string,
    sessionToken: header(request, 'x-amz-security-token'),
    expiresSeconds: undefined,
    targetInQuery: false,
  };
}

function readQueryForm(request: RawRequest): SignatureClaim {
  const q = request.query;
  let missing = '';
  for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date']) {
    if (!q.get(name)) missing += `AWS query-string parameters must include '${name}'. `;
  }
  if (missing !== '') throw incompleteSignature(`${missing}Re-examine the query-string parameters.`);
  checkAlgorithm(q.get('X-Amz-Algorithm') as string);
  const { accessKeyId, scope } = readCredential(q.get('X-Amz-Credential') as string);
  const expires = q.get('X-Amz-Expires');
  let expiresSeconds: number | undefined;
  if (expires !== null) {
    if (!/^\d{1,7}$/.test(expires)) throw incompleteSignature('X-Amz-Expires should be a number');
    expiresSeconds = Number(expires);
    if (expiresSeconds > MAX_PRESIGNED_SECONDS) throw incompleteSignature(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_SECONDS}`);
  }
  return {
    form: 'query',
    accessKeyId,
    scope,
    ...basicDate(q.get('X-Amz-Date') as string),
    dateHeader: undefined,
    signedHeaders: headerList(q.get('X-Amz-SignedHeaders') as string),
    signature: q.get('X-Amz-Signature') as string,
    sessionToken: q.get('X-Amz-Security-Token') ?? undefined,
    expiresSeconds,
    targetInQuery: queryTarget(q) !== undefined,
  };
}

function checkAlgorithm(algorithm: string): void {
  if (algorithm !== ALGORITHM_IDENTIFIER) throw incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `);
}

function readCredential(credential: string): Pick<SignatureClaim, 'accessKeyId' | 'scope'> {
  const parts = credential.split('/');
  if (parts.length !== 5) {
    throw incompleteSignature(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`);
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  return { accessKeyId, scope: { date, region, service, terminator } };
}

function headerList(value: string): string[] {
  return value === '' ? [] : value.split(';').map((h) => h.trim().toLowerCase());
}

function basicDate(value: string): { longDate: string; dateMs: number } {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  const ms = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
  if (Number.isNaN(ms) || formatBasic(ms) !== value) {
    throw incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  return { longDate: value, dateMs: ms };
}

function httpDateOf(value: string): { longDate: string; dateMs: number } {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  const whole = Math.floor(ms / 1000) * 1000;
  return { longDate: formatBasic(whole), dateMs: whole };
}

function formatBasic(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** Echoed in error messages the way AWS echoes the header, but never with the signature. */
function redacted(authorization: string): string {
  return authorization.replace(/Signature=[^,\s]*/g, 'Signature=<redacted>');
}

const TARGET_HEADER = 'x-amz-target';

/**
 * The operation a request names, bound to its signature. The operation comes from the
 * X-Amz-Target header, which SigV4 covers only when it is listed among the signed headers
 * (checkClaim requires that); a presigned request may instead carry it in its query, which
 * the signature always covers: the SDK's presigner moves every x-amz-* header there
 * (@smithy/signature-v4 moveHeadersToQuery), keeping the header's spelling. Then a header
 * naming another operation is refused, as is a query naming two: only the signed one may
 * decide which operation runs.
 */
export function signedTarget(request: RawRequest, targetHeader: string | undefined): string | undefined {
  // A request that is not presigned: its query is signed or ignored, never a target.
  if (!request.query.has('X-Amz-Algorithm')) return targetHeader;
  const fromQuery = queryTarget(request.query);
  if (fromQuery === undefined) return targetHeader;
  if (targetHeader !== undefined && targetHeader !== fromQuery) throw invalidSignature(SIGV4_MESSAGES.mismatch);
  return fromQuery;
}

/** The x-amz-target query parameter (any spelling), undefined when absent; refused when ambiguous. */
function queryTarget(query: URLSearchParams): string | undefined {
  let found: string | undefined;
  for (const [key, value] of query) {
    if (key.length !== TARGET_HEADER.length || key.toLowerCase() !== TARGET_HEADER) continue;
    if (found !== undefined && found !== value) throw invalidSignature(SIGV4_MESSAGES.mismatch);
    found = value;
  }
  return found;
}

/** Date, signed headers and scope: the checks that need the server's settings but no key. */
export function checkClaim(claim: SignatureClaim, server: { region: string; nowMs: number; skewSeconds: number }): void {
  const now = Math.floor(server.nowMs / 1000) * 1000;
  const skewMs = server.skewSeconds * 1000;
  const span = server.skewSeconds % 60 === 0 ? `${server.skewSeconds / 60} min.` : `${server.skewSeconds} sec.`;
  if (claim.expiresSeconds !== undefined) {
    const ttl = claim.expiresSeconds * 1000;
    if (claim.dateMs + ttl < now) {
      throw invalidSignature(`Signature expired: ${claim.longDate} is now earlier than ${formatBasic(now - ttl)} (${formatBasic(now)} - ${claim.expiresSeconds} sec.)`);
    }
  } else if (claim.dateMs < now - skewMs) {
    throw invalidSignature(`Signature expired: ${claim.longDate} is now earlier than ${formatBasic(now - skewMs)} (${formatBasic(now)} - ${span})`);
  }
  if (claim.dateMs > now + skewMs) {
    throw invalidSignature(`Signature not yet current: ${claim.longDate} is still later than ${formatBasic(now + skewMs)} (${formatBasic(now)} + ${span})`);
  }
  if (!claim.signedHeaders.includes('host')) throw invalidSignature(SIGV4_MESSAGES.hostNotSigned);
  if (claim.dateHeader !== undefined && !claim.signedHeaders.includes(claim.dateHeader)) {
    throw invalidSignature(`'${claim.dateHeader === 'date' ? 'Date' : 'X-Amz-Date'}' must be a 'SignedHeader' in the AWS Authorization.`);
  }
  if (!claim.targetInQuery && !claim.signedHeaders.includes(TARGET_HEADER)) throw invalidSignature(SIGV4_MESSAGES.targetNotSigned);
  let scope = '';
  if (claim.scope.region !== server.region) scope += `Credential should be scoped to a valid region, not '${claim.scope.region}'. `;
  if (claim.scope.service !== SIGNING_SERVICE) scope += `Credential should be scoped to correct service: '${SIGNING_SERVICE}'. `;
  if (claim.scope.terminator !== 'aws4_request') scope += `Credential should be scoped with a valid terminator: 'aws4_request', not '${claim.scope.terminator}'. `;
  const day = claim.longDate.slice(0, 8);
  if (claim.scope.date !== day) {
    scope += `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${claim.scope.date}' != '${day}', from '${claim.longDate}'.`;
  }
  if (scope !== '') throw invalidSignature(scope);
}

/** The smithy signer's canonicalization, applied to a request as received rather than as sent. */
class Recomputer extends SignatureV4Base {
  constructor() {
    super({ service: SIGNING_SERVICE, region: 'unused', credentials: { accessKeyId: '', secretAccessKey: '' }, sha256: SHA256 });
  }
  async signature(request: HttpRequest, canonicalHeaders: Record<string, string>, payloadHash: string, claim: SignatureClaim, signingKey: Uint8Array): Promise<string> {
    const scope = [claim.scope.date, claim.scope.region, claim.scope.service, claim.scope.terminator].join('/');
    const canonical = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    const stringToSign = await this.createStringToSign(claim.longDate, scope, canonical, ALGORITHM_IDENTIFIER);
    const mac = new SHA256(signingKey);
    mac.update(Buffer.from(stringToSign, 'utf8'));
    return Buffer.from(await mac.digest()).toString('hex');
  }
}
const recomputer = new Recomputer();

/**
 * Whether the claim's signature is the one this secret makes for this request: method, path,
 * query (without X-Amz-Signature), the signed headers only, and the exact body. Compared in
 * constant time.
 */
export async function signatureMatches(claim: SignatureClaim, request: RawRequest, secretAccessKey: string): Promise<boolean> {
  const payloadHash = createHash('sha256').update(request.body, 'utf8').digest('hex');
  // The signer trusts this header as the body's hash, so a body changed under it must not pass.
  const declared = header(request, 'x-amz-content-sha256');
  if (declared !== undefined && declared !== payloadHash) return false;
  const headers: Record<string, string> = {};
  for (const name of claim.signedHeaders) {
    const value = header(request, name);
    if (value === undefined) return false;
    headers[name] = value;
  }
  const canonicalHeaders = getCanonicalHeaders({ headers } as unknown as HttpRequest, undefined, new Set(claim.signedHeaders)) as Record<string, string>;
  const query: QueryParameterBag = {};
  for (const key of new Set(request.query.keys())) {
    if (key === 'X-Amz-Signature') continue;
    const values = request.query.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  const rebuilt = { method: request.method, protocol: 'http:', hostname: '', path: request.path, query, headers } as unknown as HttpRequest;
  const key = await getSigningKey(SHA256, { accessKeyId: claim.accessKeyId, secretAccessKey }, claim.scope.date, claim.scope.region, claim.scope.service);
  const expected = await recomputer.signature(rebuilt, canonicalHeaders, payloadHash, claim, key);
  return constantTimeEquals(expected, claim.signature);
}

export function constantTimeEquals(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(request: RawRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
