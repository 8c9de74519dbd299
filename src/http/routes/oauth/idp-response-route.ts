import type { Deps } from '../../../services/deps.js';
import { clientSettingsOf } from '../../../domain/clients/app-client.js';
import { FederationRefusal } from '../../../domain/idp/federated-profile.js';
import { IDP_MESSAGES } from '../../../domain/idp/identity-provider.js';
import { ServiceError } from '../../../kernel/errors.js';
import { openSecrets } from '../../../features/idp/provider-secrets.js';
import { signInFederated } from '../../../services/federation/federated-user.js';
import { identityOfCode, providerEndpoints } from '../../../services/federation/oidc-relying-party.js';
import { oidcStates } from '../../../services/federation/oidc-state.js';
import type { RouteRequest, RouteResponse } from '../route.js';
import { cookiesOf } from './browser-session.js';
import { endpointPool } from './endpoint-pool.js';
import { FEDERATION_COOKIE, backWithError } from './federation-redirect.js';
import { complete, prepare, type Ready } from './login-kit.js';
import { errorPage } from './pages.js';

/**
 * `/oauth2/idpresponse`, where OIDC and social providers send the browser back
 * (cognito-facts-areas.md §4.7): GET with the code in the query, or POST (form_post, which
 * Apple uses for name and email). The state must be one this server sealed for this pool, not
 * expired, not used before, and (for GET, where the browser's SameSite=Lax cookie comes along)
 * from the browser that started the sign-in. A bad state has no trustworthy way back to an app:
 * it is an error page. After that, every refusal goes back to the app's redirect_uri with
 * error and error_description, as AWS does (§4.2), never a 500: the provider's own error, a
 * failed code exchange, an ID token with a wrong signature, issuer, audience, nonce or expiry, a
 * refused trigger. On success: the user (federated-user.ts), then the same way back as the
 * password sign-in (login-kit complete: a code, or the implicit grant's tokens).
 */
export function idpResponseHandler(deps: Deps) {
  return async (r: RouteRequest<unknown>): Promise<RouteResponse> => {
    const endpoint = await endpointPool(deps, r.params, r.headers, r.ctx.baseUrl);
    if (!endpoint) return errorPage('No user pool domain answers here.', 404);
    const params = r.body instanceof URLSearchParams ? r.body : r.query;
    const stateValue = params.get('state') ?? '';
    const opened = oidcStates.open(deps, stateValue);
    if (!opened || opened.state.poolId !== endpoint.pool.id) return errorPage('The sign-in request is not valid. Please start again from the application.');
    if (oidcStates.expired(deps, opened)) return errorPage('The sign-in took too long. Please start again from the application.');
    const fromForm = r.body instanceof URLSearchParams;
    if (!fromForm && !oidcStates.boundTo(deps, opened, cookiesOf(r.headers).get(FEDERATION_COOKIE))) {
      return errorPage('The sign-in was started in another browser or has expired. Please start again from the application.');
    }
    if (!(await oidcStates.useOnce(deps, stateValue, opened))) return errorPage('This sign-in has already been completed. Please start again from the application.');
    const state = opened.state;

    const ready = await prepare(deps, { ...r, query: new URLSearchParams(state.query) });
    if (!('request' in ready)) return ready;
    const clear = `${FEDERATION_COOKIE}=; Path=${endpoint.cookiePath}; HttpOnly; SameSite=Lax; Max-Age=0`;
    try {
      return withCookie(await finish(deps, ready, r, params, state.provider, state.nonce), clear);
    } catch (err) {
      if (err instanceof FederationRefusal) return backWithError(ready, err.error, err.description, { 'Set-Cookie': clear });
      // A trigger's refusal: managed login passes its text on as error_description (§2.5).
      if (err instanceof ServiceError) return backWithError(ready, 'invalid_request', err.message, { 'Set-Cookie': clear });
      deps.logger.error('federated sign-in failed', { provider: state.provider, error: err instanceof Error ? err.message : String(err) });
      return backWithError(ready, 'server_error', 'An internal error occurred during the sign-in.', { 'Set-Cookie': clear });
    }
  };
}

async function finish(deps: Deps, ready: Ready, r: RouteRequest<unknown>, params: URLSearchParams, providerName: string, nonce: string): Promise<RouteResponse> {
  const idpError = params.get('error');
  if (idpError !== null) {
    const description = params.get('error_description');
    throw new FederationRefusal('invalid_request', (description ? `${idpError}: ${description}` : idpError).slice(0, 512));
  }
  const pool = ready.endpoint.pool;
  const provider = await deps.store.getIdentityProvider(pool.id, providerName);
  if (!provider) throw new FederationRefusal('invalid_request', IDP_MESSAGES.notFound(providerName));
  if (!(clientSettingsOf(ready.client).SupportedIdentityProviders ?? []).includes(provider.name)) throw new FederationRefusal('invalid_request', 'Login option is not available. Please try another one');
  const code = params.get('code');
  if (!code || code.length > 4096) throw new FederationRefusal('invalid_request', `${provider.name} Error - no authorization code in the response`);
  const endpoints = await providerEndpoints(deps, provider);
  const identity = await identityOfCode(deps, provider, openSecrets(deps.secrets, provider), endpoints, { code, redirectUri: `${ready.endpoint.base}/oauth2/idpresponse`, nonce });
  const user = await signInFederated(deps, { pool, provider, providerUserId: identity.userId, claims: identity.claims, clientId: ready.client.id, issuer: identity.issuer });
  return complete(deps, ready, user.sub, user.authTime, r.ctx.baseUrl);
}

function withCookie(response: RouteResponse, cookie: string): RouteResponse {
  const existing = response.headers?.['Set-Cookie'];
  const cookies = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  return { ...response, headers: { ...response.headers, 'Set-Cookie': [...cookies, cookie] } };
}
