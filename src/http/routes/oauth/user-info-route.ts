import type { Deps } from '../../../services/deps.js';
import { OAuthError } from '../../../domain/oauth/grant.js';
import { userInfo } from '../../../features/oauth/index.js';
import { json, type RouteRequest, type RouteResponse } from '../route.js';
import { endpointPool } from './endpoint-pool.js';
import { NO_STORE, noEndpoint } from './oauth-response.js';

// AWS's texts (cognito-facts-areas.md §4.4, DG23 userinfo-endpoint).
const BAD_REQUEST = 'Bad OAuth2 request at UserInfo Endpoint';
const BAD_TOKEN = 'Access token is expired, disabled, or deleted, or the user has globally signed out.';

/**
 * GET (and POST) /oauth2/userInfo with `Authorization: Bearer <access token>`: no bearer token
 * is 400 invalid_request, a token that does not serve is 401 invalid_token, each with AWS's
 * WWW-Authenticate header.
 */
export function userInfoHandler(deps: Deps) {
  return async ({ params, headers, ctx }: RouteRequest): Promise<RouteResponse> => {
    const endpoint = await endpointPool(deps, params, headers, ctx.baseUrl);
    if (!endpoint) return noEndpoint();
    const match = /^Bearer +([^\s]+) *$/i.exec(headers.authorization ?? '');
    if (!match) {
      return json({ error: 'invalid_request', error_description: BAD_REQUEST }, 400, { ...NO_STORE, 'WWW-Authenticate': `Bearer error="invalid_request", error_description="${BAD_REQUEST}"` });
    }
    try {
      return json(await userInfo(deps, endpoint.pool, match[1] as string), 200, NO_STORE);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      return json({ error: 'invalid_token', error_description: BAD_TOKEN }, 401, { ...NO_STORE, 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${BAD_TOKEN}"` });
    }
  };
}
