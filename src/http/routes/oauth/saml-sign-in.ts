import type { Deps } from '../../../services/deps.js';
import type { IdentityProviderRecord } from '../../../domain/idp/identity-provider.js';
import { redirectWith } from '../../../domain/oauth/authorize-request.js';
import { SAML_MESSAGES } from '../../../domain/idp/saml-rules.js';
import { SamlMetadataError, idpMetadata } from '../../../services/federation/saml-metadata.js';
import { samlRelayStates } from '../../../services/federation/saml-relay-state.js';
import { authnRequest, newRequestId } from '../../../services/federation/saml-service-provider.js';
import { redirect, type RouteRequest, type RouteResponse } from '../route.js';
import type { Ready } from './login-kit.js';
import { escape, page } from './pages.js';

/** Where the pool's SAML IdPs post their responses: the ACS URL (§4.7 `https://<domain>/saml2/idpresponse`). */
export function acsUrlOf(ready: Pick<Ready, 'endpoint'>): string {
  return `${ready.endpoint.base}/saml2/idpresponse`;
}

/**
 * The SP-initiated SAML sign-in (cognito-facts-areas.md §4.7), the SAML entry of the federation
 * starters (federation-redirect.ts STARTERS): an AuthnRequest for the provider's IdP, with a
 * RelayState that carries this authorize request sealed (saml-relay-state.ts), sent by redirect
 * (HTTP-Redirect binding) or, when the IdP offers only HTTP-POST, by a form the browser posts.
 * Metadata that cannot be read sends the browser back to the app with error=invalid_request.
 */
export async function startSaml(deps: Deps, ready: Ready, provider: IdentityProviderRecord, _r: RouteRequest<unknown>): Promise<RouteResponse> {
  let metadata;
  try {
    metadata = await idpMetadata(deps, provider);
  } catch (err) {
    if (!(err instanceof SamlMetadataError)) throw err;
    const description = SAML_MESSAGES.metadata(provider.name, err.message);
    return redirect(redirectWith(ready.request.redirectUri, { error_description: description, error: 'invalid_request', state: ready.request.state }), 302, { 'Cache-Control': 'no-store' });
  }
  const poolId = ready.endpoint.pool.id;
  const requestId = newRequestId(deps);
  const relayState = samlRelayStates.seal(deps, { poolId, provider: provider.name, query: ready.query, requestId });
  const message = await authnRequest(deps, { poolId, acsUrl: acsUrlOf(ready) }, provider, metadata, requestId, relayState);
  if (message.binding === 'redirect') return redirect(message.url, 302, { 'Cache-Control': 'no-store' });
  // HTTP-POST binding: the pages run no script, so the browser posts the form when the user continues.
  const inputs = Object.entries(message.fields)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('');
  return page(
    `Sign in with ${provider.name}`,
    `<form method="post" action="${escape(message.url)}">${inputs}<button class="submitButton-customizable" type="submit">Continue to ${escape(provider.name)}</button></form>`,
    200,
    [],
    ready.css,
  );
}
