import type { Deps } from '../../../services/deps.js';
import { defineRoute, type Method, type Route, type RouteRequest, type RouteResponse } from '../route.js';
import { POOL_ID } from './endpoint-pool.js';
import { logoutHandler } from './logout-route.js';
import { authorizeHandler, confirmForgotSubmitHandler, forgotPageHandler, forgotSubmitHandler, loginPageHandler, loginSubmitHandler } from './managed-login.js';
import { errorPage } from './pages.js';
import { oauthProblem, wrongMethod } from './oauth-response.js';
import { revokeHandler } from './revoke-route.js';
import { tokenHandler } from './token-route.js';
import { userInfoHandler } from './user-info-route.js';

/** Forms of the endpoints and pages are small: codes and tokens are a few hundred bytes. */
const FORM_LIMIT = 16 * 1024;
const OTHER_METHODS: readonly Method[] = ['GET', 'PUT', 'DELETE', 'PATCH'];

/**
 * The OAuth 2.0 endpoints and managed login pages, each at `/<poolId>/<path>` and at `/<path>` for a Host naming a
 * user pool domain (endpoint-pool.ts, docs/oauth.md). Methods an endpoint does not take answer
 * 405 in the OAuth error shape; oversized or non-form bodies too (oauthProblem).
 */
export function oauthRoutes(deps: Deps): Route[] {
  const routes: Route[] = [];
  for (const prefix of ['/:poolId', '']) {
    const params = prefix === '' ? undefined : { poolId: POOL_ID };
    const at = (path: string) => `${prefix}${path}`;
    const form = (name: string, path: string, handle: (r: RouteRequest<URLSearchParams>) => Promise<RouteResponse>) => {
      routes.push(
        defineRoute({ name, methods: ['POST'], path: at(path), ...(params && { params }), body: { kind: 'form', limit: FORM_LIMIT }, cors: true, handle, problem: oauthProblem }),
        defineRoute({ name: `${name}-method`, methods: OTHER_METHODS, path: at(path), ...(params && { params }), body: { kind: 'none' }, cors: false, handle: () => wrongMethod('POST') }),
      );
    };
    form('oauth2-token', '/oauth2/token', tokenHandler(deps));
    form('oauth2-revoke', '/oauth2/revoke', revokeHandler(deps));
    const pageRoute = (name: string, methods: readonly Method[], path: string, handle: (r: RouteRequest<unknown>) => Promise<RouteResponse>) =>
      routes.push(defineRoute({ name, methods, path: at(path), ...(params && { params }), body: { kind: 'none' }, cors: false, handle, problem: (p) => errorPage(p.message, p.status) }));
    const formRoute = (name: string, path: string, handle: (r: RouteRequest<URLSearchParams>) => Promise<RouteResponse>) =>
      routes.push(
        defineRoute({ name, methods: ['POST'], path: at(path), ...(params && { params }), body: { kind: 'form', limit: FORM_LIMIT }, cors: false, handle, problem: (p) => errorPage(p.message, p.status) }),
      );
    pageRoute('oauth2-authorize', ['GET'], '/oauth2/authorize', authorizeHandler(deps));
    pageRoute('login-page', ['GET'], '/login', loginPageHandler(deps));
    formRoute('login-submit', '/login', loginSubmitHandler(deps));
    pageRoute('forgot-password-page', ['GET'], '/forgotPassword', forgotPageHandler(deps));
    formRoute('forgot-password-submit', '/forgotPassword', forgotSubmitHandler(deps));
    formRoute('confirm-forgot-password-submit', '/confirmForgotPassword', confirmForgotSubmitHandler(deps));
    pageRoute('logout', ['GET'], '/logout', logoutHandler(deps));
    routes.push(
      defineRoute({ name: 'oauth2-userinfo', methods: ['GET', 'POST'], path: at('/oauth2/userInfo'), ...(params && { params }), body: { kind: 'none' }, cors: true, handle: userInfoHandler(deps), problem: oauthProblem }),
    );
  }
  return routes;
}
