import type { OutgoingHttpHeaders } from 'node:http';
import { OAuthError } from '../../../domain/oauth/grant.js';
import { json, type Problem, type RouteResponse } from '../route.js';

/** Token responses are never cached (RFC 6749 §5.1). */
export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/**
 * An OAuth error answer (RFC 6749 §5.2): 400 with `{"error": ...}`, but invalid_client is 401
 * with WWW-Authenticate when the client authenticated with HTTP Basic (§5.2 requires it;
 * cognito-facts-areas.md §4.4 notes DG23 showing 400 for the form case).
 */
export function oauthError(err: OAuthError, options: { viaBasic?: boolean; status?: number; headers?: OutgoingHttpHeaders } = {}): RouteResponse {
  const body = { error: err.error, ...(err.description !== undefined && { error_description: err.description }) };
  if (err.error === 'invalid_client') {
    if (options.viaBasic) return json(body, 401, { ...NO_STORE, 'WWW-Authenticate': 'Basic realm="oauth2", error="invalid_client"' });
    return json(body, 400, NO_STORE);
  }
  return json(body, options.status ?? 400, { ...NO_STORE, ...options.headers });
}

/** Refusals made before the handler (too large, not a form, busy) in the OAuth error shape. */
export function oauthProblem(problem: Problem): RouteResponse {
  const error = problem.kind === 'busy' ? 'temporarily_unavailable' : 'invalid_request';
  return json({ error, error_description: problem.message }, problem.status, { ...NO_STORE, ...(problem.kind === 'busy' && { 'Retry-After': '1' }) });
}

/** The endpoint answered no method but these (405 in the OAuth error shape). */
export function wrongMethod(allow: string): RouteResponse {
  return json({ error: 'invalid_request', error_description: `Use ${allow}.` }, 405, { ...NO_STORE, Allow: allow });
}

/** Not a pool's endpoint (no such pool, or a pool without a domain). */
export function noEndpoint(): RouteResponse {
  return json({ error: 'invalid_request', error_description: 'No user pool domain answers here.' }, 404, NO_STORE);
}

/**
 * A form's parameters, each at most once (RFC 6749 §3.1, §3.2: parameters MUST NOT repeat);
 * empty values count as absent (§3.1).
 */
export function formParams(form: URLSearchParams, names: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of names) {
    const values = form.getAll(name);
    if (values.length > 1) throw new OAuthError('invalid_request', `${name} is given more than once`);
    const value = values[0];
    out[name] = value === undefined || value === '' ? undefined : value;
  }
  return out;
}
