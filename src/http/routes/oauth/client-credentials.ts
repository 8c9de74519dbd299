import type { IncomingHttpHeaders } from 'node:http';
import { OAuthError } from '../../../domain/oauth/grant.js';
import type { ClientCredentials } from '../../../features/oauth/index.js';

/**
 * The client's credentials from `Authorization: Basic base64(id:secret)` (each part
 * form-urlencoded first, RFC 6749 §2.3.1) or from client_id / client_secret in the form. One
 * method only (§2.3); a Basic header that does not decode is invalid_client; no client_id at all
 * is invalid_request.
 */
export function clientCredentialsOf(headers: IncomingHttpHeaders, form: { client_id?: string | undefined; client_secret?: string | undefined }): ClientCredentials {
  const authorization = headers.authorization;
  if (authorization !== undefined && /^basic /i.test(authorization)) {
    if (form.client_secret !== undefined) throw new OAuthError('invalid_request', 'use one client authentication method');
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new OAuthError('invalid_client');
    let clientId: string;
    let secret: string;
    try {
      clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      throw new OAuthError('invalid_client');
    }
    if (form.client_id !== undefined && form.client_id !== clientId) throw new OAuthError('invalid_client');
    return { clientId, secret, viaBasic: true };
  }
  if (form.client_id === undefined) throw new OAuthError('invalid_request', 'client_id is required');
  return { clientId: form.client_id, secret: form.client_secret, viaBasic: false };
}
