import type { Deps } from '../../../services/deps.js';
import { clientSettingsOf } from '../../../domain/clients/app-client.js';
import { redirect, type RouteRequest, type RouteResponse } from '../route.js';
import { clearSessionCookie, openBrowserSession } from './browser-session.js';
import { endpointPool } from './endpoint-pool.js';
import { errorPage } from './pages.js';
import { startSamlLogout } from './saml-logout-route.js';

/**
 * GET /logout (cognito-facts-areas.md §4.3): ends the managed login session and sends the
 * browser to `logout_uri`, which must be exactly one of the client's LogoutURLs; or, given
 * `redirect_uri` and `response_type` instead, back to the sign-in page with those parameters.
 * Anything else is an error page, never a redirect. A session from a SAML provider with
 * IDPSignout goes first to the IdP's single logout (saml-logout-route.ts), which comes back to
 * `/saml2/logout` and then to the same place.
 */
export function logoutHandler(deps: Deps) {
  return async (r: RouteRequest<unknown>): Promise<RouteResponse> => {
    const endpoint = await endpointPool(deps, r.params, r.headers, r.ctx.baseUrl);
    if (!endpoint) return errorPage('No user pool domain answers here.', 404);
    const clientId = r.query.get('client_id');
    const client = clientId && clientId.length <= 128 ? await deps.store.getClient(clientId) : undefined;
    if (!client || client.poolId !== endpoint.pool.id) return errorPage('The application (client_id) is not known here.');
    const clear = { 'Set-Cookie': clearSessionCookie(endpoint.cookiePath, endpoint.base.startsWith('https:')), 'Cache-Control': 'no-store' };
    const logoutUri = r.query.get('logout_uri');
    if (logoutUri !== null) {
      if (!(clientSettingsOf(client).LogoutURLs ?? []).includes(logoutUri)) return errorPage('The logout_uri is not registered for this application.');
      return (await startSamlLogout(deps, endpoint, openBrowserSession(deps, r.headers, endpoint.pool.id), logoutUri)) ?? redirect(logoutUri, 302, clear);
    }
    if (r.query.get('redirect_uri') !== null && r.query.get('response_type') !== null) {
      // The sign-in page checks the redirect_uri against the client's callback URLs itself.
      const target = `${endpoint.base}/login?${r.query.toString()}`;
      return (await startSamlLogout(deps, endpoint, openBrowserSession(deps, r.headers, endpoint.pool.id), target)) ?? redirect(target, 302, clear);
    }
    return errorPage('A logout_uri, or a redirect_uri and response_type, is required.');
  };
}
