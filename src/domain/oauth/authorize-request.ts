import type { ClientSettings } from '../clients/app-client.js';
import { OAuthError, allowsOAuthFlow, authorizeScopes, validChallenge } from './grant.js';

/** An authorization request that may proceed to sign-in (cognito-facts-areas.md §4.2). */
export interface AuthorizeRequest {
  /** code (the authorization code grant) or token (the implicit grant, where the client allows it). */
  responseType: 'code' | 'token';
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string | undefined;
  nonce?: string | undefined;
  challenge?: string | undefined;
  /** identity_provider / idp_identifier: sign in at that provider directly (§4.2); COGNITO is the pages' own sign-in. */
  identityProvider?: string | undefined;
  idpIdentifier?: string | undefined;
}

/**
 * What an authorize (or /login) query leads to. An unknown client or a redirect_uri that is not
 * exactly one of the client's CallbackURLs is an error page, never a redirect (RFC 6749 §4.1.2.1:
 * no open redirects); every other refusal goes back to the redirect_uri as `?error=`.
 */
export type AuthorizeOutcome =
  | { kind: 'ok'; request: AuthorizeRequest }
  | { kind: 'page'; message: string }
  | { kind: 'redirect'; redirectUri: string; error: OAuthError; state?: string | undefined };

export const AUTHORIZE_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'state', 'scope', 'nonce', 'code_challenge', 'code_challenge_method', 'identity_provider', 'idp_identifier'] as const;
/** Longest value of any parameter: more is a malformed request, not something to echo or store. */
const MAX_PARAM = 2048;

export function checkAuthorizeRequest(
  query: URLSearchParams,
  client: { id: string; settings: ClientSettings } | undefined,
  existingScopes: ReadonlySet<string>,
): AuthorizeOutcome {
  const one = (name: string): string | undefined | null => {
    const all = query.getAll(name);
    if (all.length > 1 || (all[0] !== undefined && all[0].length > MAX_PARAM)) return null;
    return all[0] === '' ? undefined : all[0];
  };
  const clientId = one('client_id');
  const redirectUri = one('redirect_uri');
  if (!clientId || !client || client.id !== clientId) return { kind: 'page', message: 'The application (client_id) is not known here.' };
  if (!redirectUri || !(client.settings.CallbackURLs ?? []).includes(redirectUri)) return { kind: 'page', message: 'The redirect_uri is not registered for this application.' };
  const state = one('state');
  const back = (error: OAuthError): AuthorizeOutcome => ({ kind: 'redirect', redirectUri, error, ...(typeof state === 'string' && { state }) });
  if (state === null) return back(new OAuthError('invalid_request'));
  for (const name of AUTHORIZE_PARAMS) if (one(name) === null) return back(new OAuthError('invalid_request'));
  const responseType = one('response_type');
  if (!responseType) return back(new OAuthError('invalid_request'));
  if (responseType !== 'code' && responseType !== 'token') return back(new OAuthError('unsupported_response_type'));
  // The implicit grant only where the client lists it (AllowedOAuthFlows implicit, §4.6).
  if (!allowsOAuthFlow(client.settings, responseType === 'token' ? 'implicit' : 'code') || (client.settings.SupportedIdentityProviders ?? []).length === 0) return back(new OAuthError('unauthorized_client'));
  // Which providers the client may use is checked where the sign-in goes (federation-redirect.ts, the /login form).
  const identityProvider = one('identity_provider') ?? undefined;
  const idpIdentifier = one('idp_identifier') ?? undefined;
  const challenge = one('code_challenge') ?? undefined;
  const method = one('code_challenge_method') ?? undefined;
  // PKCE: S256 only, both or neither (§4.2).
  if ((challenge === undefined) !== (method === undefined) || (method !== undefined && method !== 'S256') || (challenge !== undefined && !validChallenge(challenge))) {
    return back(new OAuthError('invalid_request'));
  }
  let scopes: string[];
  try {
    scopes = authorizeScopes(one('scope') ?? undefined, client.settings, existingScopes);
  } catch (err) {
    if (err instanceof OAuthError) return back(err);
    throw err;
  }
  const nonce = one('nonce') ?? undefined;
  return { kind: 'ok', request: { responseType, clientId, redirectUri, scopes, state: state ?? undefined, nonce, challenge, identityProvider, idpIdentifier } };
}

/** `redirect_uri` with the query parameters added (keeping its own). */
export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}
