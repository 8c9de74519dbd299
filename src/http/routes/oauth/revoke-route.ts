import type { Deps } from '../../../services/deps.js';
import { OAuthError } from '../../../domain/oauth/grant.js';
import { authenticateClient, revokeGrant } from '../../../features/oauth/index.js';
import { empty, type RouteRequest, type RouteResponse } from '../route.js';
import { clientCredentialsOf } from './client-credentials.js';
import { endpointPool } from './endpoint-pool.js';
import { NO_STORE, formParams, noEndpoint, oauthError } from './oauth-response.js';

/**
 * POST /oauth2/revoke (§4.4, RFC 7009): `token` (a refresh token) with the client's
 * credentials; 200 with an empty body, also for a token that is unknown or already revoked.
 */
export function revokeHandler(deps: Deps) {
  return async ({ params, headers, body, ctx }: RouteRequest<URLSearchParams>): Promise<RouteResponse> => {
    const endpoint = await endpointPool(deps, params, headers, ctx.baseUrl);
    if (!endpoint) return noEndpoint();
    const viaBasic = /^basic /i.test(headers.authorization ?? '');
    try {
      const form = formParams(body, ['token', 'client_id', 'client_secret', 'token_type_hint']);
      const creds = clientCredentialsOf(headers, form);
      const client = await authenticateClient(deps, endpoint.pool, creds);
      await revokeGrant(deps, client, form.token);
      return empty(200, NO_STORE);
    } catch (err) {
      if (err instanceof OAuthError) return oauthError(err, { viaBasic });
      throw err;
    }
  };
}
