import { decodeJwt } from 'jose';
import type { Deps } from '../../../services/deps.js';
import type { ClientRecord } from '../../../domain/clients/client.js';
import type { AuthenticationResultType } from '../../../model/generated/types.js';
import { clientSettingsOf } from '../../../domain/clients/app-client.js';
import { secretHash } from '../../../domain/clients/secret-hash.js';
import { settingsOf } from '../../../domain/pools/user-pool.js';
import { OAuthError } from '../../../domain/oauth/grant.js';
import { redirectWith, type AuthorizeRequest } from '../../../domain/oauth/authorize-request.js';
import type { ServiceError } from '../../../kernel/errors.js';
import { OPERATIONS, type OperationName } from '../../../model/generated/operations.js';
import type { Input } from '../../../features/operation.js';
import { validateInput } from '../../api/validate.js';
import { openClientSecrets } from '../../../services/directory/client-secret.js';
import type { SignInClient } from '../../../features/auth/sign-in-client.js';
import { authorizeRequestOf, implicitGrant, issueCode } from '../../../features/oauth/index.js';
import { pageCss } from '../../../features/branding/ui-customization.js';
import { redirect, type RouteRequest, type RouteResponse } from '../route.js';
import { csrfSecret, csrfToken, sessionCookie, type SamlSessionInfo } from './browser-session.js';
import { endpointPool, type EndpointPool } from './endpoint-pool.js';
import { errorPage, page } from './pages.js';

/**
 * What every managed login page shares (managed-login.ts, signup-pages.ts, challenge-pages.ts):
 * the authorize request its query carries, re-checked on every page so no page can be steered
 * to another client's redirect_uri; the way back to the app once the user is proven (a code, or
 * the implicit grant's tokens in the fragment); forms with their CSRF token.
 */
export interface Ready {
  endpoint: EndpointPool;
  client: ClientRecord;
  request: AuthorizeRequest;
  /** The query to carry to the next page, as received. */
  query: string;
  /** SetUICustomization CSS for the client (or pool), safe inside <style>. */
  css: string;
}

export async function prepare(deps: Deps, r: RouteRequest<unknown>): Promise<Ready | RouteResponse> {
  const endpoint = await endpointPool(deps, r.params, r.headers, r.ctx.baseUrl);
  if (!endpoint) return errorPage('No user pool domain answers here.', 404);
  const { outcome, client } = await authorizeRequestOf(deps, endpoint.pool, r.query);
  if (outcome.kind === 'page' || !client) return errorPage(outcome.kind === 'page' ? outcome.message : 'The application (client_id) is not known here.');
  if (outcome.kind === 'redirect') {
    return redirect(redirectWith(outcome.redirectUri, { error: outcome.error.error, ...(outcome.error.description && { error_description: outcome.error.description }), state: outcome.state }));
  }
  const css = await pageCss(deps.store, endpoint.pool.id, client.id);
  return { endpoint, client, request: outcome.request, query: r.query.toString(), css };
}

export const secure = (ready: Ready) => ready.endpoint.base.startsWith('https:');

/** The sign-in context of InitiateAuth's flows for the page's client. */
export function signInClientOf(deps: Deps, ready: Ready): SignInClient {
  const pool = ready.endpoint.pool;
  return { pool, settings: settingsOf(pool), client: ready.client, clientSettings: clientSettingsOf(ready.client), clientSecrets: openClientSecrets(ready.client, deps.secrets) };
}

/**
 * The way back to the app for the signed-in user, with the session cookie: the code
 * (response_type=code) in the query, or the implicit grant's tokens in the fragment
 * (response_type=token: RFC 6749 §4.2.2, no refresh token, cognito-facts-areas.md §4.2).
 */
export async function complete(deps: Deps, ready: Ready, sub: string, authTime: number, baseUrl: string, saml?: SamlSessionInfo): Promise<RouteResponse> {
  const { request } = ready;
  // A SAML sign-in's NameID and SessionIndex ride in the session, for the single logout of /logout.
  const cookie = sessionCookie(deps, { poolId: ready.endpoint.pool.id, sub, authTime, ...(saml && { saml }) }, ready.endpoint.cookiePath, secure(ready));
  const headers = { 'Set-Cookie': cookie, 'Cache-Control': 'no-store' };
  if (request.responseType === 'token') {
    let fragment: Record<string, string>;
    try {
      fragment = await implicitGrant(deps, ready.endpoint.pool, ready.client, sub, request, baseUrl);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      fragment = { error: err.error };
    }
    const params = new URLSearchParams({ ...fragment, ...(request.state !== undefined && { state: request.state }) });
    return redirect(`${request.redirectUri}#${params.toString()}`, 302, headers);
  }
  const code = issueCode(deps, {
    poolId: ready.endpoint.pool.id,
    clientId: ready.client.id,
    redirectUri: request.redirectUri,
    userSub: sub,
    scopes: request.scopes,
    challenge: request.challenge,
    nonce: request.nonce,
    authTime,
  });
  return redirect(redirectWith(request.redirectUri, { code, state: request.state }), 302, headers);
}

/**
 * The sign-in proved the user; the tokens it made are not the ones the app gets (those come from
 * the code, with the granted scopes). Its refresh token is revoked at once, so no live token
 * exists that nobody holds.
 */
export async function fromTokens(deps: Deps, ready: Ready, result: AuthenticationResultType, baseUrl: string): Promise<RouteResponse> {
  const claims = decodeJwt(result.IdToken as string);
  const origin = decodeJwt(result.AccessToken as string).origin_jti;
  const unused = typeof origin === 'string' ? await deps.store.getRefreshTokenByOrigin(origin) : undefined;
  if (unused) await deps.store.revokeRefreshToken(unused.tokenHash, deps.clock.nowMs());
  return complete(deps, ready, claims.sub as string, claims.auth_time as number, baseUrl);
}

export function secretHashFor(deps: Deps, client: ClientRecord, username: string): string | undefined {
  const secrets = openClientSecrets(client, deps.secrets);
  return secrets[0] === undefined ? undefined : secretHash(secrets[0], username, client.id);
}

/** A page with a form, its CSRF token, and the cookie that gives the browser a CSRF secret. */
export function formPage(deps: Deps, ready: Ready, r: RouteRequest<unknown>, title: string, render: (csrf: string) => string, status = 200): RouteResponse {
  const csrf = csrfSecret(deps, r.headers, ready.endpoint.cookiePath, secure(ready));
  return page(title, render(csrfToken(deps, csrf.secret)), status, csrf.setCookie ? [csrf.setCookie] : [], ready.css);
}

/** The URL of a managed login page, keeping the authorize query. */
export const at = (ready: Ready, path: string) => `${ready.endpoint.base}${path}?${ready.query}`;

/** The message a refused step shows: AWS's own text, except where it would tell which users exist. */
export function shown(err: ServiceError): string {
  if (err.name === 'UserNotFoundException') return 'Incorrect username or password.';
  return err.message;
}

/** A form field's value; an absurdly long one counts as empty (the form limit bounds the total). */
export function field(body: URLSearchParams, name: string): string {
  const value = body.get(name) ?? '';
  return value.length > 4096 ? '' : value;
}

/**
 * The input of an operation a page calls, checked against the model as the API checks every
 * call (lengths, patterns, required members): a page's form never reaches an operation with
 * what the API itself would refuse. The refusal is the API's InvalidParameterException.
 */
export function checked<N extends OperationName>(name: N, input: Input<N>): Input<N> {
  validateInput(OPERATIONS[name].input as string, input as Record<string, unknown>);
  return input;
}
