import { SignJWT, createRemoteJWKSet, errors as joseErrors, importPKCS8, jwtVerify, type JWTPayload } from 'jose';
import type { Deps } from '../deps.js';
import { isSocialDefault, type IdentityProviderRecord } from '../../domain/idp/identity-provider.js';
import { FederationRefusal, type ClaimValue } from '../../domain/idp/federated-profile.js';

/**
 * userpoold as the relying party of an OIDC provider, and of the social providers, which AWS
 * models as OAuth 2.0 / OIDC endpoints whose URLs sit in ProviderDetails (cognito-facts-areas.md
 * §4.7): where to send the browser, the code exchange at the token endpoint with
 * client_secret_post (AWS never uses client_secret_basic, DG23 cognito-user-pools-oidc-idp), the
 * ID token checked with jose (signature from the provider's JWKS, issuer, audience, expiry,
 * nonce), the userInfo / attributes request. Refusals are FederationRefusals with AWS's
 * error_description texts where they are known (§4.2: "<IdP name> Error - <status> error
 * getting token", "Timeout occurred in calling IdP token endpoint").
 */

export interface ProviderEndpoints {
  authorize: string;
  token: string;
  /** userInfo (OIDC) or the attributes URL (Facebook, LoginWithAmazon). */
  attributes?: string | undefined;
  jwksUri?: string | undefined;
  /** The `iss` the ID token must carry; undefined for providers without ID tokens. */
  issuer?: string | undefined;
}

/** Providers whose token response carries an ID token to verify (OIDC and the OIDC-based social ones). */
const ID_TOKEN_TYPES = new Set(['OIDC', 'Google', 'SignInWithApple']);
const CALL_MS = 10_000;
const DISCOVERY_TTL_MS = 10 * 60 * 1000;
const discoveries = new Map<string, { at: number; doc: Record<string, unknown> }>();
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export type RelyingPartyDeps = 'clock' | 'secrets';

function refuse(description: string): FederationRefusal {
  return new FederationRefusal('invalid_request', description);
}

async function call(url: string, init: RequestInit, what: 'token' | 'userInfo' | 'discovery'): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(CALL_MS) });
  } catch (err) {
    const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const endpoint = what === 'token' ? 'IdP token endpoint' : what === 'userInfo' ? 'IdP userInfo endpoint' : 'IdP discovery endpoint';
    throw refuse(timeout ? `Timeout occurred in calling ${endpoint}` : `Connection failed in calling ${endpoint}`);
  }
}

/** The provider's OpenID configuration (oidc_issuer + /.well-known/openid-configuration), kept 10 minutes. */
async function discovery(deps: Pick<Deps, 'clock'>, issuer: string, name: string): Promise<Record<string, unknown>> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const cached = discoveries.get(url);
  if (cached && deps.clock.nowMs() - cached.at < DISCOVERY_TTL_MS) return cached.doc;
  const res = await call(url, { headers: { Accept: 'application/json' } }, 'discovery');
  if (!res.ok) throw refuse(`${name} Error - ${res.status} error getting the OpenID configuration`);
  const doc = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!doc || typeof doc !== 'object') throw refuse(`${name} Error - the OpenID configuration is not JSON`);
  discoveries.set(url, { at: deps.clock.nowMs(), doc });
  return doc;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Where the provider's endpoints are: ProviderDetails first, discovery for what they leave out (OIDC, Google, Apple). */
export async function providerEndpoints(deps: Pick<Deps, 'clock'>, provider: IdentityProviderRecord): Promise<ProviderEndpoints> {
  const d = withoutStaleDefaults(provider);
  const usesIdToken = ID_TOKEN_TYPES.has(provider.type);
  const given: ProviderEndpoints = { authorize: d.authorize_url ?? '', token: d.token_url ?? '', attributes: d.attributes_url, jwksUri: d.jwks_uri, issuer: usesIdToken ? d.oidc_issuer : undefined };
  const complete = given.authorize && given.token && (!usesIdToken || given.jwksUri) && (provider.type !== 'OIDC' || given.attributes);
  if (complete || !usesIdToken || d.oidc_issuer === undefined) {
    if (!given.authorize || !given.token) throw refuse(`${provider.name} Error - the provider's endpoints are not configured`);
    // Google's attributes_url is its People API; its ID token says what userpoold maps.
    return provider.type === 'Google' ? { ...given, attributes: undefined } : given;
  }
  const doc = await discovery(deps, d.oidc_issuer, provider.name);
  const found: ProviderEndpoints = {
    authorize: given.authorize || str(doc.authorization_endpoint) || '',
    token: given.token || str(doc.token_endpoint) || '',
    attributes: provider.type === 'OIDC' ? (given.attributes ?? str(doc.userinfo_endpoint)) : str(doc.userinfo_endpoint),
    jwksUri: given.jwksUri ?? str(doc.jwks_uri),
    issuer: given.issuer,
  };
  if (!found.authorize || !found.token) throw refuse(`${provider.name} Error - the provider's endpoints are not configured`);
  return found;
}

/**
 * A social provider whose oidc_issuer was given (a local provider in tests, a proxy) finds its
 * endpoints from that issuer: the endpoint URLs AWS filled in for the real provider are set aside.
 */
function withoutStaleDefaults(provider: IdentityProviderRecord): Record<string, string> {
  const d = provider.details;
  if (d.oidc_issuer === undefined || isSocialDefault(provider.type, 'oidc_issuer', d.oidc_issuer)) return d;
  return Object.fromEntries(Object.entries(d).filter(([key, value]) => !isSocialDefault(provider.type, key, value)));
}

/** Scopes as the provider takes them: AWS stores Facebook's comma-separated, the others space-separated. */
export function scopesOf(provider: IdentityProviderRecord): string {
  return (provider.details.authorize_scopes ?? '').split(/[\s,]+/).filter(Boolean).join(' ');
}

/** The provider's authorization URL for this sign-in. */
export function authorizationUrl(provider: IdentityProviderRecord, endpoints: ProviderEndpoints, params: { redirectUri: string; state: string; nonce: string }): string {
  const url = new URL(endpoints.authorize);
  const scope = scopesOf(provider);
  url.searchParams.set('client_id', provider.details.client_id ?? '');
  url.searchParams.set('redirect_uri', params.redirectUri);
  url.searchParams.set('response_type', 'code');
  if (scope) url.searchParams.set('scope', scope);
  url.searchParams.set('state', params.state);
  if (ID_TOKEN_TYPES.has(provider.type)) url.searchParams.set('nonce', params.nonce);
  // Apple sends name and email only by form POST (Sign in with Apple REST API).
  if (provider.type === 'SignInWithApple' && /\b(name|email)\b/.test(scope)) url.searchParams.set('response_mode', 'form_post');
  return url.toString();
}

/** Apple's client secret: a short-lived ES256 JWT made with the team's key (ProviderDetails team_id, key_id, private_key). */
async function appleClientSecret(deps: Pick<Deps, 'clock'>, provider: IdentityProviderRecord, secrets: Record<string, string>): Promise<string> {
  const key = await importPKCS8(secrets.private_key ?? '', 'ES256').catch(() => {
    throw refuse(`${provider.name} Error - the private_key is not an ES256 PKCS#8 key`);
  });
  const now = Math.floor(deps.clock.nowMs() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: provider.details.key_id ?? '' })
    .setIssuer(provider.details.team_id ?? '')
    .setSubject(provider.details.client_id ?? '')
    .setAudience(provider.details.oidc_issuer ?? 'https://appleid.apple.com')
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(key);
}

export interface ProviderIdentity {
  /** The provider's id for the user (§4.8): `sub`, Facebook `id`, LoginWithAmazon `user_id`. */
  userId: string;
  claims: Record<string, ClaimValue>;
  issuer: string | null;
}

/**
 * The code exchanged and the identity read: the token endpoint with client_secret_post; the ID
 * token verified (signature, iss, aud, exp, nonce) where the provider type has one; then the
 * userInfo / attributes endpoint, with the HTTP method of attributes_request_method (OIDC).
 */
export async function identityOfCode(
  deps: Pick<Deps, RelyingPartyDeps>,
  provider: IdentityProviderRecord,
  secrets: Record<string, string>,
  endpoints: ProviderEndpoints,
  params: { code: string; redirectUri: string; nonce: string },
): Promise<ProviderIdentity> {
  const clientSecret = provider.type === 'SignInWithApple' ? await appleClientSecret(deps, provider, secrets) : secrets.client_secret;
  const form = new URLSearchParams({ grant_type: 'authorization_code', code: params.code, redirect_uri: params.redirectUri, client_id: provider.details.client_id ?? '' });
  if (clientSecret !== undefined) form.set('client_secret', clientSecret);
  const res = await call(endpoints.token, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, body: form.toString() }, 'token');
  if (!res.ok) throw refuse(`${provider.name} Error - ${res.status} error getting token`);
  const tokens = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  const accessToken = str(tokens?.access_token);
  const idToken = str(tokens?.id_token);

  let claims: Record<string, ClaimValue> = {};
  if (ID_TOKEN_TYPES.has(provider.type)) {
    if (!idToken) throw refuse(`${provider.name} Error - no id_token in the token response`);
    claims = await verifiedIdToken(deps, provider, endpoints, idToken, params.nonce);
  } else if (!accessToken) {
    throw refuse(`${provider.name} Error - no access_token in the token response`);
  }
  if (endpoints.attributes && accessToken) {
    const extra = await attributesOf(provider, endpoints.attributes, accessToken);
    // userInfo answers for the ID token's subject only (OIDC Core §5.3.2); the ID token's claims win.
    if (claims.sub === undefined || extra.sub === undefined || extra.sub === claims.sub) claims = { ...extra, ...claims };
  }
  const idField = provider.type === 'Facebook' ? 'id' : provider.type === 'LoginWithAmazon' ? 'user_id' : 'sub';
  const userId = claims[idField];
  if (typeof userId !== 'string' && typeof userId !== 'number') throw refuse(`${provider.name} Error - the provider sent no ${idField}`);
  return { userId: String(userId), claims, issuer: provider.type === 'OIDC' ? (endpoints.issuer ?? null) : null };
}

async function verifiedIdToken(deps: Pick<Deps, 'clock'>, provider: IdentityProviderRecord, endpoints: ProviderEndpoints, idToken: string, nonce: string): Promise<Record<string, ClaimValue>> {
  if (!endpoints.jwksUri) throw refuse(`${provider.name} Error - the provider's jwks_uri is not known`);
  let keys = keySets.get(endpoints.jwksUri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(endpoints.jwksUri), { timeoutDuration: CALL_MS });
    keySets.set(endpoints.jwksUri, keys);
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keys, {
      ...(endpoints.issuer !== undefined && { issuer: endpoints.issuer }),
      audience: provider.details.client_id ?? '',
      currentDate: new Date(deps.clock.nowMs()),
      clockTolerance: 60,
    }));
  } catch (err) {
    throw refuse(idTokenProblem(err));
  }
  if (payload.nonce !== nonce) throw refuse('Invalid id_token: nonce does not match');
  return payload as Record<string, ClaimValue>;
}

/** What was wrong with an ID token, in words (never the token itself). */
function idTokenProblem(err: unknown): string {
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `Invalid id_token: ${err.claim} claim is not valid`;
  if (err instanceof joseErrors.JWTExpired) return 'Invalid id_token: the token has expired';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey) return 'Invalid id_token: signature verification failed';
  if (err instanceof joseErrors.JWKSTimeout) return 'Timeout occurred in calling IdP jwks endpoint';
  return 'Invalid id_token';
}

/** userInfo (OIDC, by attributes_request_method) or the social attributes URL, with the access token. */
async function attributesOf(provider: IdentityProviderRecord, url: string, accessToken: string): Promise<Record<string, ClaimValue>> {
  let target = url;
  // Facebook's attributes URL ends in `fields=`: the attributes the mapping asks for are added (attributes_url_add_attributes).
  if (provider.type === 'Facebook' && provider.details.attributes_url_add_attributes === 'true') {
    const fields = new Set(['id', ...Object.values(provider.attributeMapping)]);
    target = `${url}${[...fields].join(',')}`;
  }
  const post = provider.type === 'OIDC' && provider.details.attributes_request_method === 'POST';
  const res = await call(
    target,
    post
      ? { method: 'POST', headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' }
      : { method: 'GET', headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' } },
    'userInfo',
  );
  if (!res.ok) throw refuse(`${provider.name} Error - ${res.status} error getting user info`);
  const body = (await res.json().catch(() => undefined)) as unknown;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw refuse(`${provider.name} Error - the user info is not a JSON object`);
  return body as Record<string, ClaimValue>;
}
