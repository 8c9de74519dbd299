import type { Deps } from '../../../services/deps.js';
import { OAuthError } from '../../../domain/oauth/grant.js';
import { authenticateClient, authorizationCodeGrant, clientCredentialsGrant, refreshTokenGrant } from '../../../features/oauth/index.js';
import { json, type RouteRequest, type RouteResponse } from '../route.js';
import { clientCredentialsOf } from './client-credentials.js';
import { endpointPool } from './endpoint-pool.js';
import { NO_STORE, formParams, noEndpoint, oauthError } from './oauth-response.js';

const PARAMS = ['grant_type', 'client_id', 'client_secret', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'scope'] as const;

/**
 * POST /oauth2/token (cognito-facts-areas.md §4.4): the client authenticates (Basic or form),
 * then its grant: client_credentials, authorization_code (PKCE S256) or refresh_token. Every
 * refusal is an RFC 6749 §5.2 error body; nothing here answers 500 for what a client sent.
 */
export function tokenHandler(deps: Deps) {
  return async ({ params, headers, body, ctx }: RouteRequest<URLSearchParams>): Promise<RouteResponse> => {
    const endpoint = await endpointPool(deps, params, headers, ctx.baseUrl);
    if (!endpoint) return noEndpoint();
    const viaBasic = /^basic /i.test(headers.authorization ?? '');
    try {
      const form = formParams(body, PARAMS);
      const creds = clientCredentialsOf(headers, form);
      if (form.grant_type === undefined) throw new OAuthError('invalid_request', 'grant_type is required');
      if (!['client_credentials', 'authorization_code', 'refresh_token'].includes(form.grant_type)) throw new OAuthError('unsupported_grant_type');
      const client = await authenticateClient(deps, endpoint.pool, creds);
      const { pool } = endpoint;
      switch (form.grant_type) {
        case 'client_credentials':
          return json(await clientCredentialsGrant(deps, pool, client, form.scope, ctx.baseUrl), 200, NO_STORE);
        case 'authorization_code':
          return json(await authorizationCodeGrant(deps, pool, client, { code: form.code, redirectUri: form.redirect_uri, codeVerifier: form.code_verifier }, ctx.baseUrl), 200, NO_STORE);
        default:
          return json(await refreshTokenGrant(deps, pool, client, form.refresh_token, ctx.baseUrl), 200, NO_STORE);
      }
    } catch (err) {
      if (err instanceof OAuthError) return oauthError(err, { viaBasic });
      throw err;
    }
  };
}
