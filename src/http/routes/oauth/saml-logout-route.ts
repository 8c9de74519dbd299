import type { Deps } from '../../../services/deps.js';
import type { IdentityProviderRecord } from '../../../domain/idp/identity-provider.js';
import { MAX_SAML_RESPONSE, SAML_LOGOUT_MESSAGES, SamlRejection } from '../../../domain/idp/saml-rules.js';
import { SamlMetadataError, idpMetadata, type SamlIdpMetadata } from '../../../services/federation/saml-metadata.js';
import { samlLogoutStates } from '../../../services/federation/saml-logout-state.js';
import { logoutRequestUrl, logoutResponseUrl, verifyLogoutRequest, verifyLogoutResponse, type SamlLogoutEndpoints } from '../../../services/federation/saml-logout.js';
import { newRequestId } from '../../../services/federation/saml-service-provider.js';
import { redirect, type Problem, type RouteRequest, type RouteResponse } from '../route.js';
import { clearSessionCookie, openBrowserSession, type BrowserSession } from './browser-session.js';
import { endpointPool, type EndpointPool } from './endpoint-pool.js';
import { errorPage } from './pages.js';

/**
 * SAML single logout (DG "SAML sign-out flow"; cognito-facts-areas.md §4.7 `https://<domain>/saml2/logout`).
 *
 * - SP-initiated: `/logout` for a browser whose session came from a SAML provider with
 *   `IDPSignout` `true` (and a SingleLogoutService in its metadata) ends the pool session and
 *   sends the browser to the IdP with a signed LogoutRequest (startSamlLogout); the IdP's
 *   LogoutResponse, posted to `/saml2/logout`, finishes it: the browser goes where `/logout` was
 *   asked to send it (logout_uri, or the sign-in page).
 * - IdP-initiated: a LogoutRequest posted to `/saml2/logout` by a provider with `IDPSignout`
 *   `true` ends the browser's pool session when it is that user's, and the browser goes back to
 *   the IdP with a signed LogoutResponse.
 *
 * A message that does not verify gets a 400 page (it has no verified way back to an app).
 */
function logoutEndpoints(endpoint: EndpointPool): SamlLogoutEndpoints {
  return { poolId: endpoint.pool.id, logoutUrl: `${endpoint.base}/saml2/logout` };
}

function clearing(endpoint: EndpointPool): Record<string, string> {
  return { 'Set-Cookie': clearSessionCookie(endpoint.cookiePath, endpoint.base.startsWith('https:')), 'Cache-Control': 'no-store' };
}

/** The provider's metadata when it takes single logout: a SAML provider with IDPSignout true and a SingleLogoutService. */
async function sloMetadata(deps: Deps, provider: IdentityProviderRecord | undefined): Promise<SamlIdpMetadata | undefined> {
  if (!provider || provider.type !== 'SAML' || provider.details.IDPSignout !== 'true') return undefined;
  try {
    const metadata = await idpMetadata(deps, provider);
    return metadata.sloUrl ? metadata : undefined;
  } catch (err) {
    if (!(err instanceof SamlMetadataError)) throw err;
    deps.logger.warn('SAML sign-out skipped: the metadata cannot be read', { provider: provider.name, error: err.message });
    return undefined;
  }
}

/**
 * For `/logout`: when the session came from a SAML provider that takes single logout, the
 * redirect to its SingleLogoutService (clearing the pool session); undefined otherwise, for the
 * ordinary sign-out. `target` is where the browser goes once the IdP answers.
 */
export async function startSamlLogout(deps: Deps, endpoint: EndpointPool, session: BrowserSession | undefined, target: string): Promise<RouteResponse | undefined> {
  const saml = session?.saml;
  if (!saml) return undefined;
  const provider = await deps.store.getIdentityProvider(endpoint.pool.id, saml.provider);
  const metadata = await sloMetadata(deps, provider);
  if (!metadata) return undefined;
  const requestId = newRequestId(deps);
  const relayState = samlLogoutStates.seal(deps, { poolId: endpoint.pool.id, provider: saml.provider, requestId, target });
  const url = await logoutRequestUrl(deps, logoutEndpoints(endpoint), metadata, saml, requestId, relayState);
  return redirect(url, 302, clearing(endpoint));
}

/** A form parameter sent at most once: undefined when absent, null when repeated. */
function single(body: URLSearchParams, name: string): string | undefined | null {
  const values = body.getAll(name);
  if (values.length > 1) return null;
  return values[0] === undefined || values[0] === '' ? undefined : values[0];
}

/** POST /saml2/logout: the IdP's LogoutResponse (SAMLResponse) or LogoutRequest (SAMLRequest). */
export function samlLogoutHandler(deps: Deps) {
  return async (r: RouteRequest<URLSearchParams>): Promise<RouteResponse> => {
    const endpoint = await endpointPool(deps, r.params, r.headers, r.ctx.baseUrl);
    if (!endpoint) return errorPage('No user pool domain answers here.', 404);
    const response = single(r.body, 'SAMLResponse');
    const request = single(r.body, 'SAMLRequest');
    const relayState = single(r.body, 'RelayState');
    if (response === null || request === null || relayState === null) return errorPage(SAML_LOGOUT_MESSAGES.relayState);
    if ((response === undefined) === (request === undefined)) return errorPage(SAML_LOGOUT_MESSAGES.missing);
    if ((response ?? request ?? '').length > MAX_SAML_RESPONSE) return errorPage(SAML_LOGOUT_MESSAGES.malformed);
    try {
      if (response !== undefined) return await finishLogout(deps, endpoint, response, relayState ?? '');
      return await answerIdpLogout(deps, endpoint, r, request as string, relayState);
    } catch (err) {
      if (err instanceof SamlRejection) return errorPage(err.message);
      throw err;
    }
  };
}

/** The IdP's answer to our LogoutRequest: verified against the sealed RelayState, then on to the sign-out's target. */
async function finishLogout(deps: Deps, endpoint: EndpointPool, samlResponse: string, relayValue: string): Promise<RouteResponse> {
  const opened = samlLogoutStates.open(deps, relayValue);
  if (!opened || opened.state.poolId !== endpoint.pool.id) return errorPage(SAML_LOGOUT_MESSAGES.relayState);
  if (samlLogoutStates.expired(deps, opened)) return errorPage(SAML_LOGOUT_MESSAGES.expired);
  const state = opened.state;
  const metadata = await sloMetadata(deps, await deps.store.getIdentityProvider(endpoint.pool.id, state.provider));
  if (!metadata) return errorPage(SAML_LOGOUT_MESSAGES.unknownProvider);
  await verifyLogoutResponse(deps, logoutEndpoints(endpoint), metadata, samlResponse, state.requestId);
  if (!(await samlLogoutStates.useOnce(deps, relayValue, opened))) return errorPage(SAML_LOGOUT_MESSAGES.replayed);
  return redirect(state.target, 302, clearing(endpoint));
}

/** The pool's SAML providers with single logout whose entity ID is `issuer`: the browser's own provider first. */
async function providerOf(deps: Deps, endpoint: EndpointPool, session: BrowserSession | undefined, issuer: string): Promise<{ provider: IdentityProviderRecord; metadata: SamlIdpMetadata } | undefined> {
  const candidates: IdentityProviderRecord[] = [];
  const own = session?.saml ? await deps.store.getIdentityProvider(endpoint.pool.id, session.saml.provider) : undefined;
  if (own) candidates.push(own);
  // A pool has at most 300 providers (§4.7).
  for (const p of await deps.store.listIdentityProviders(endpoint.pool.id, { limit: 300 })) if (p.type === 'SAML' && p.name !== own?.name) candidates.push(p);
  for (const provider of candidates) {
    const metadata = await sloMetadata(deps, provider);
    if (metadata && metadata.entityId === issuer) return { provider, metadata };
  }
  return undefined;
}

/** The Issuer of a posted message, read only to find its provider (the message is verified after). */
function issuerOf(base64: string): string {
  const match = /<(?:[\w-]+:)?Issuer\b[^>]*>([^<]*)<\/(?:[\w-]+:)?Issuer>/.exec(Buffer.from(base64.replace(/\s+/g, ''), 'base64').toString('utf8'));
  return (match?.[1] ?? '').trim();
}

/** An IdP-initiated LogoutRequest: ends the browser's session if it is that user's, and answers with a LogoutResponse. */
async function answerIdpLogout(deps: Deps, endpoint: EndpointPool, r: RouteRequest<URLSearchParams>, samlRequest: string, relayState: string | undefined): Promise<RouteResponse> {
  const session = openBrowserSession(deps, r.headers, endpoint.pool.id);
  const found = await providerOf(deps, endpoint, session, issuerOf(samlRequest));
  if (!found) return errorPage(SAML_LOGOUT_MESSAGES.unknownProvider);
  const endpoints = logoutEndpoints(endpoint);
  const request = await verifyLogoutRequest(deps, endpoints, found.metadata, samlRequest);
  // A LogoutRequest is good once, for as long as a sign-out may take.
  const key = `saml-logout-request:${deps.secrets.digest('saml-logout-request', `${endpoint.pool.id} ${found.metadata.entityId} ${request.id}`)}`;
  if (!(await deps.store.useOnce(key, deps.clock.nowMs() + 5 * 60 * 1000, deps.clock.nowMs()))) return errorPage(SAML_LOGOUT_MESSAGES.replayed);
  const saml = session?.saml;
  // The session ends when it is this user's sign-in through this provider (and, when the IdP names one, this SessionIndex).
  const mine = saml !== undefined && saml.provider === found.provider.name && saml.nameId === request.nameId && (request.sessionIndex === undefined || saml.sessionIndex === undefined || saml.sessionIndex === request.sessionIndex);
  const url = await logoutResponseUrl(deps, endpoints, found.metadata, request, relayState ?? '');
  return redirect(url, 302, mine ? clearing(endpoint) : { 'Cache-Control': 'no-store' });
}

/** Refusals before the handler (a body over the limit, not a form): a 400 page. */
export function samlLogoutProblem(problem: Problem): RouteResponse {
  if (problem.kind === 'busy') return errorPage(problem.message, problem.status);
  return errorPage(problem.kind === 'too-large' ? SAML_LOGOUT_MESSAGES.malformed : SAML_LOGOUT_MESSAGES.missing, 400);
}
