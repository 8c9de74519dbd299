import type { Deps } from '../../../services/deps.js';
import type { IdentityProviderRecord } from '../../../domain/idp/identity-provider.js';
import { clientSettingsOf } from '../../../domain/clients/app-client.js';
import { FederationRefusal } from '../../../domain/idp/federated-profile.js';
import { MAX_SAML_RESPONSE, SAML_MESSAGES, SamlRejection, samlRefusalText } from '../../../domain/idp/saml-rules.js';
import { ServiceError } from '../../../kernel/errors.js';
import { signInFederated } from '../../../services/federation/federated-user.js';
import { SamlMetadataError, idpMetadata } from '../../../services/federation/saml-metadata.js';
import { samlRelayStates } from '../../../services/federation/saml-relay-state.js';
import { verifySamlResponse } from '../../../services/federation/saml-service-provider.js';
import type { Problem, RouteRequest, RouteResponse } from '../route.js';
import { endpointPool } from './endpoint-pool.js';
import { NOT_AVAILABLE, backWithError } from './federation-redirect.js';
import { complete, prepare, type Ready } from './login-kit.js';
import { errorPage } from './pages.js';
import { acsUrlOf } from './saml-sign-in.js';

/**
 * POST /saml2/idpresponse, the pool's assertion consumer service (cognito-facts-areas.md §4.7;
 * DG "The IdP SAML assertion endpoint"): a form with SAMLResponse and RelayState.
 *
 * - SP-initiated: the RelayState is one this server sealed (saml-relay-state.ts) for this pool,
 *   less than 5 minutes old and not used before; it names the authorize request, the provider and
 *   the AuthnRequest ID the response must answer.
 * - IdP-initiated, only for a provider with `IDPInit` `true` (DG "Implement IdP-initiated SAML
 *   sign-in"): the RelayState carries the authorize parameters (client_id, redirect_uri,
 *   response_type, scope, state, and identity_provider or idp_identifier); the assertion must have
 *   no InResponseTo and be at most 6 minutes old. Otherwise AWS's page text for a response it
 *   cannot tie to a sign-in.
 *
 * A response that cannot be tied to a sign-in has no trustworthy way back to an app: an error
 * page (400). After that every refusal goes back to the app's redirect_uri with error and
 * error_description (a refused response: error=server_error with AWS's "Invalid SAML response
 * received: ..." texts), never a 500. On success: the user (federated-user.ts, NameID as the
 * provider's user id), then the way back of every managed login sign-in (login-kit complete).
 */
export function samlResponseHandler(deps: Deps) {
  return async (r: RouteRequest<URLSearchParams>): Promise<RouteResponse> => {
    const endpoint = await endpointPool(deps, r.params, r.headers, r.ctx.baseUrl);
    if (!endpoint) return errorPage('No user pool domain answers here.', 404);
    const samlResponse = single(r.body, 'SAMLResponse');
    const relayValue = single(r.body, 'RelayState') ?? '';
    if (samlResponse === null || relayValue === null) return errorPage(SAML_MESSAGES.relayState);
    if (samlResponse === undefined) return errorPage(SAML_MESSAGES.relayState);
    if (samlResponse.length > MAX_SAML_RESPONSE) return errorPage(SAML_MESSAGES.tooLarge);

    const opened = samlRelayStates.open(deps, relayValue);
    if (opened) {
      const state = opened.state;
      if (state.poolId !== endpoint.pool.id) return errorPage(SAML_MESSAGES.relayState);
      if (samlRelayStates.expired(deps, opened)) return errorPage(SAML_MESSAGES.expiredSignIn);
      if (!(await samlRelayStates.useOnce(deps, relayValue, opened))) return errorPage(SAML_MESSAGES.relayState);
      const ready = await prepare(deps, { ...r, query: new URLSearchParams(state.query) });
      if (!('request' in ready)) return ready;
      const provider = await deps.store.getIdentityProvider(endpoint.pool.id, state.provider);
      return finish(deps, ready, r, provider, samlResponse, state.requestId);
    }

    // IdP-initiated: the RelayState is the authorize request's parameters.
    const query = relayValue.length <= 8192 ? new URLSearchParams(relayValue) : undefined;
    const named = query?.get('identity_provider') ?? query?.get('idp_identifier');
    if (!query || !named || !query.get('client_id')) return errorPage(SAML_MESSAGES.relayState);
    const ready = await prepare(deps, { ...r, query });
    if (!('request' in ready)) return ready;
    const { identityProvider, idpIdentifier } = ready.request;
    const provider =
      identityProvider !== undefined && identityProvider !== 'COGNITO'
        ? await deps.store.getIdentityProvider(endpoint.pool.id, identityProvider)
        : idpIdentifier !== undefined
          ? await deps.store.identityProviderByIdentifier(endpoint.pool.id, idpIdentifier)
          : undefined;
    if (!provider || provider.type !== 'SAML') return errorPage(SAML_MESSAGES.relayState);
    if (provider.details.IDPInit !== 'true') return errorPage(SAML_MESSAGES.relayState);
    return finish(deps, ready, r, provider, samlResponse, undefined);
  };
}

/** A form parameter sent at most once: undefined when absent, null when repeated. */
function single(body: URLSearchParams, name: string): string | undefined | null {
  const values = body.getAll(name);
  if (values.length > 1) return null;
  return values[0] === undefined || values[0] === '' ? undefined : values[0];
}

async function finish(
  deps: Deps,
  ready: Ready,
  r: RouteRequest<URLSearchParams>,
  provider: IdentityProviderRecord | undefined,
  samlResponse: string,
  requestId: string | undefined,
): Promise<RouteResponse> {
  const pool = ready.endpoint.pool;
  if (!provider || provider.type !== 'SAML' || !(clientSettingsOf(ready.client).SupportedIdentityProviders ?? []).includes(provider.name)) {
    return backWithError(ready, 'invalid_request', NOT_AVAILABLE);
  }
  try {
    const metadata = await idpMetadata(deps, provider);
    const assertion = await verifySamlResponse(deps, { poolId: pool.id, acsUrl: acsUrlOf(ready) }, provider, metadata, samlResponse, requestId);
    // An assertion is good for one sign-in (an IdP-initiated one has no RelayState to spend).
    const key = `saml-assertion:${deps.secrets.digest('saml-assertion', `${pool.id} ${assertion.issuer} ${assertion.assertionId}`)}`;
    if (!(await deps.store.useOnce(key, assertion.notOnOrAfter, deps.clock.nowMs()))) throw new SamlRejection(SAML_MESSAGES.replayed);
    const user = await signInFederated(deps, {
      pool,
      provider,
      providerUserId: assertion.nameId,
      claims: assertion.attributes,
      clientId: ready.client.id,
      issuer: metadata.entityId,
    });
    const saml = { provider: provider.name, nameId: assertion.nameId, nameIdFormat: assertion.nameIdFormat, sessionIndex: assertion.sessionIndex };
    return await complete(deps, ready, user.sub, user.authTime, r.ctx.baseUrl, saml);
  } catch (err) {
    if (err instanceof SamlRejection) return backWithError(ready, 'server_error', err.message);
    if (err instanceof SamlMetadataError) return backWithError(ready, 'invalid_request', SAML_MESSAGES.metadata(provider.name, err.message));
    if (err instanceof FederationRefusal) return backWithError(ready, err.error, samlRefusalText(err.description));
    // A trigger's refusal: managed login passes its text on as error_description (§2.5).
    if (err instanceof ServiceError) return backWithError(ready, 'invalid_request', err.message);
    deps.logger.error('SAML sign-in failed', { provider: provider.name, error: err instanceof Error ? err.message : String(err) });
    return backWithError(ready, 'server_error', 'An internal error occurred during the sign-in.');
  }
}

/** Refusals before the handler (a body over the limit, not a form): a 400 page, as for a bad SAMLResponse. */
export function samlProblem(problem: Problem): RouteResponse {
  if (problem.kind === 'busy') return errorPage(problem.message, problem.status);
  return errorPage(problem.kind === 'too-large' ? SAML_MESSAGES.tooLarge : SAML_MESSAGES.relayState, 400);
}
