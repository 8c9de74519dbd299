import type { Deps } from '../../../services/deps.js';
import { defineRoute, type Method, type Route, type RouteRequest, type RouteResponse } from '../route.js';
import { POOL_ID } from './endpoint-pool.js';
import { logoutHandler } from './logout-route.js';
import { authorizeHandler, confirmForgotSubmitHandler, forgotPageHandler, forgotSubmitHandler, loginPageHandler, loginSubmitHandler, signInPage } from './managed-login.js';
import { challengeSubmitHandler } from './challenge-pages.js';
import { confirmUserPageHandler, confirmUserSubmitHandler, signUpPageHandler, signUpSubmitHandler } from './signup-pages.js';
import { errorPage } from './pages.js';
import { idpResponseHandler } from './idp-response-route.js';
import { samlProblem, samlResponseHandler } from './saml-response-route.js';
import { samlLogoutHandler, samlLogoutProblem } from './saml-logout-route.js';
import { oauthProblem, wrongMethod } from './oauth-response.js';
import { revokeHandler } from './revoke-route.js';
import { tokenHandler } from './token-route.js';
import { userInfoHandler } from './user-info-route.js';

/** Forms of the endpoints and pages are small: codes and tokens are a few hundred bytes. */
const FORM_LIMIT = 16 * 1024;
/** A SAMLResponse of 100,000 characters, form-encoded, with its RelayState. */
const SAML_FORM_LIMIT = 256 * 1024;
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
    // Where OIDC and social providers send the browser back (GET, or POST for form_post).
    pageRoute('oauth2-idpresponse', ['GET'], '/oauth2/idpresponse', idpResponseHandler(deps));
    formRoute('oauth2-idpresponse-post', '/oauth2/idpresponse', idpResponseHandler(deps));
    // The SAML assertion consumer service (POST binding); responses of up to 100,000 characters (saml-response-route.ts).
    routes.push(
      defineRoute({ name: 'saml2-idpresponse', methods: ['POST'], path: at('/saml2/idpresponse'), ...(params && { params }), body: { kind: 'form', limit: SAML_FORM_LIMIT }, cors: false, handle: samlResponseHandler(deps), problem: samlProblem }),
      // SAML single logout: the IdP's LogoutResponse or LogoutRequest, by HTTP POST (saml-logout-route.ts).
      defineRoute({ name: 'saml2-logout', methods: ['POST'], path: at('/saml2/logout'), ...(params && { params }), body: { kind: 'form', limit: SAML_FORM_LIMIT }, cors: false, handle: samlLogoutHandler(deps), problem: samlLogoutProblem }),
    );
    pageRoute('login-page', ['GET'], '/login', loginPageHandler(deps));
    formRoute('login-submit', '/login', loginSubmitHandler(deps));
    pageRoute('forgot-password-page', ['GET'], '/forgotPassword', forgotPageHandler(deps));
    formRoute('forgot-password-submit', '/forgotPassword', forgotSubmitHandler(deps));
    formRoute('confirm-forgot-password-submit', '/confirmForgotPassword', confirmForgotSubmitHandler(deps));
    // Sign-up and the sign-in challenges (signup-pages.ts, challenge-pages.ts); other methods get an error page.
    const wrongPageMethod = (name: string, path: string, allowed: readonly Method[]) =>
      routes.push(
        defineRoute({
          name: `${name}-method`,
          methods: (['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const).filter((m) => !allowed.includes(m)),
          path: at(path),
          ...(params && { params }),
          body: { kind: 'none' },
          cors: false,
          handle: () => {
            const refused = errorPage('This page does not answer that kind of request.', 405);
            return { ...refused, headers: { ...refused.headers, Allow: allowed.join(', ') } };
          },
          problem: (p) => errorPage(p.message, p.status),
        }),
      );
    formRoute('challenge-submit', '/challenge', challengeSubmitHandler(deps));
    wrongPageMethod('challenge', '/challenge', ['POST']);
    // The IdP's logout messages come by HTTP POST only (AWS: "Your IdP must send the LogoutResponse in an HTTP POST request").
    wrongPageMethod('saml2-logout', '/saml2/logout', ['POST']);
    pageRoute('signup-page', ['GET'], '/signup', signUpPageHandler(deps));
    formRoute('signup-submit', '/signup', signUpSubmitHandler(deps, signInPage));
    wrongPageMethod('signup', '/signup', ['GET', 'POST']);
    pageRoute('confirm-user-page', ['GET'], '/confirmUser', confirmUserPageHandler(deps));
    formRoute('confirm-user-submit', '/confirmUser', confirmUserSubmitHandler(deps, signInPage));
    wrongPageMethod('confirm-user', '/confirmUser', ['GET', 'POST']);
    pageRoute('logout', ['GET'], '/logout', logoutHandler(deps));
    routes.push(
      defineRoute({ name: 'oauth2-userinfo', methods: ['GET', 'POST'], path: at('/oauth2/userInfo'), ...(params && { params }), body: { kind: 'none' }, cors: true, handle: userInfoHandler(deps), problem: oauthProblem }),
    );
  }
  return routes;
}
