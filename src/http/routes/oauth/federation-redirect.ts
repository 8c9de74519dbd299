import type { Deps } from '../../../services/deps.js';
import type { IdentityProviderRecord } from '../../../domain/idp/identity-provider.js';
import type { IdentityProviderTypeType } from '../../../model/generated/types.js';
import { clientSettingsOf } from '../../../domain/clients/app-client.js';
import { FederationRefusal } from '../../../domain/idp/federated-profile.js';
import { redirectWith } from '../../../domain/oauth/authorize-request.js';
import { authorizationUrl, providerEndpoints } from '../../../services/federation/oidc-relying-party.js';
import { oidcStates } from '../../../services/federation/oidc-state.js';
import { redirect, type RouteRequest, type RouteResponse } from '../route.js';
import type { Ready } from './login-kit.js';
import { startSaml } from './saml-sign-in.js';
import { errorPage, escape } from './pages.js';

/**
 * /oauth2/authorize with `identity_provider` or `idp_identifier` (cognito-facts-areas.md §4.2):
 * the browser goes straight to that provider, which must be one of the pool's and listed in the
 * client's SupportedIdentityProviders. Each provider type has its starter: OIDC and the social
 * providers here; SAML has its own (the SAML routes), registered in STARTERS.
 */
export type FederationStarter = (deps: Deps, ready: Ready, provider: IdentityProviderRecord, r: RouteRequest<unknown>) => Promise<RouteResponse>;

/** The cookie tying a provider's callback to the browser that went there (oidc-state.ts). */
export const FEDERATION_COOKIE = 'userpoold_federation';

/**
 * The hosted UI's text when the provider asked for is not one the client may use (field reports
 * of the classic hosted UI's error page); an unknown name gets the same answer.
 */
export const NOT_AVAILABLE = 'Login option is not available. Please try another one';

/** The way back to the app with an error (§4.2 "IdP trouble": error=invalid_request + error_description). */
export function backWithError(ready: Ready, error: string, description: string, headers?: Record<string, string | string[]>): RouteResponse {
  return redirect(redirectWith(ready.request.redirectUri, { error_description: description, error, state: ready.request.state }), 302, { 'Cache-Control': 'no-store', ...headers });
}

const startOidc: FederationStarter = async (deps, ready, provider) => {
  let endpoints;
  try {
    endpoints = await providerEndpoints(deps, provider);
  } catch (err) {
    if (err instanceof FederationRefusal) return backWithError(ready, err.error, err.description);
    throw err;
  }
  const browser = deps.random.bytes(24).toString('base64url');
  const nonce = deps.random.bytes(24).toString('base64url');
  const state = oidcStates.seal(deps, { poolId: ready.endpoint.pool.id, provider: provider.name, query: ready.query, nonce }, browser);
  const secure = ready.endpoint.base.startsWith('https:') ? '; Secure' : '';
  const cookie = `${FEDERATION_COOKIE}=${browser}; Path=${ready.endpoint.cookiePath}; HttpOnly; SameSite=Lax; Max-Age=300${secure}`;
  const location = authorizationUrl(provider, endpoints, { redirectUri: `${ready.endpoint.base}/oauth2/idpresponse`, state, nonce });
  return redirect(location, 302, { 'Set-Cookie': cookie, 'Cache-Control': 'no-store' });
};

/** The starter of each provider type (SAML: saml-sign-in.ts). */
export const STARTERS: Partial<Record<IdentityProviderTypeType, FederationStarter>> = {
  OIDC: startOidc,
  Google: startOidc,
  Facebook: startOidc,
  LoginWithAmazon: startOidc,
  SignInWithApple: startOidc,
  SAML: startSaml,
};

/** The provider's sign-in when the authorize request names one (not COGNITO); undefined for the pages' own sign-in. */
export async function federationRedirect(deps: Deps, ready: Ready, r: RouteRequest<unknown>): Promise<RouteResponse | undefined> {
  const { identityProvider, idpIdentifier } = ready.request;
  if (identityProvider === 'COGNITO' || (identityProvider === undefined && idpIdentifier === undefined)) return undefined;
  const pool = ready.endpoint.pool;
  const provider = identityProvider !== undefined
    ? await deps.store.getIdentityProvider(pool.id, identityProvider)
    : await deps.store.identityProviderByIdentifier(pool.id, idpIdentifier as string);
  const supported = clientSettingsOf(ready.client).SupportedIdentityProviders ?? [];
  const starter = provider && supported.includes(provider.name) ? STARTERS[provider.type] : undefined;
  if (!provider || !starter) return errorPage(NOT_AVAILABLE);
  return starter(deps, ready, provider, r);
}

/** The client may sign in with the pool's own users (COGNITO among its SupportedIdentityProviders). */
export function allowsCognito(ready: Ready): boolean {
  return (clientSettingsOf(ready.client).SupportedIdentityProviders ?? []).includes('COGNITO');
}

/** "Sign in with <name>" for each provider the client supports, as links to /oauth2/authorize with identity_provider. */
export function federationLinks(ready: Ready): string {
  const names = (clientSettingsOf(ready.client).SupportedIdentityProviders ?? []).filter((n) => n !== 'COGNITO');
  if (names.length === 0) return '';
  const links = names.map((name) => {
    const query = new URLSearchParams(ready.query);
    query.delete('idp_identifier');
    query.set('identity_provider', name);
    const href = `${ready.endpoint.base}/oauth2/authorize?${query.toString()}`;
    return `<li><a class="idpButton-customizable" href="${escape(href)}">Sign in with ${escape(name)}</a></li>`;
  });
  return `<ul class="idp-links">${links.join('')}</ul>`;
}
