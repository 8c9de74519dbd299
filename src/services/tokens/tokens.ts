import { SignJWT, decodeJwt, decodeProtectedHeader, errors as joseErrors, exportJWK, generateKeyPair, importJWK, jwtVerify, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import type { Deps } from '../deps.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import type { AuthenticationResultType } from '../../model/generated/types.js';
import { clientSettingsOf, tokenValiditySeconds } from '../../domain/clients/app-client.js';
import { attributeClaims, readableAttributes } from '../../domain/auth/sign-in.js';
import type { ClientRecord } from '../../domain/clients/client.js';
import { accessTokenGroupClaims, idTokenGroupClaims } from '../../domain/groups/group.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { SigningKeyRecord } from '../../ports/signing-keys.js';
import type { Store } from '../../ports/store.js';
import type { UserRecord } from '../../domain/users/user.js';
import { settingsOf } from '../../domain/pools/user-pool.js';
import { identitiesClaim } from '../../domain/idp/federated-profile.js';
import { customizeClaims, type TokenClaims, type TokenGenerationSource } from '../triggers/token-generation.js';

/**
 * Cognito-shaped JWTs. Each pool has one RS256 key pair, made on first use and stored with its
 * private half sealed; `putSigningKeyIfAbsent` makes instances sharing a database agree on it.
 * Refresh tokens are opaque random strings kept only as keyed digests.
 */

const ALG = 'RS256';
export const ACCESS_SCOPE = 'aws.cognito.signin.user.admin';
const REFRESH_TOKEN_BYTES = 64;

/** What the pool's key pair needs: made on first use (random, clock), kept sealed in the store. */
type KeyDeps = 'store' | 'secrets' | 'random' | 'clock';
/** What issuing tokens needs: the pool's key, the issuer (config) and the refresh token's digest. */
export type TokenIssuerDeps = 'store' | 'secrets' | 'random' | 'clock' | 'config' | 'lambda';

interface PoolKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** Keys by store and pool: a store is one database, so one cache per store is exact. */
const keyCache = new WeakMap<Store, Map<string, Promise<PoolKey>>>();

function cacheOf(store: Store): Map<string, Promise<PoolKey>> {
  let cache = keyCache.get(store);
  if (!cache) {
    cache = new Map();
    keyCache.set(store, cache);
  }
  return cache;
}

async function unseal(secrets: SecretBox, record: SigningKeyRecord): Promise<PoolKey> {
  const privateJwk = JSON.parse(secrets.open(record.privateJwkSealed)) as JWK;
  const privateKey = (await importJWK(privateJwk, ALG)) as CryptoKey;
  return { kid: record.kid, privateKey, publicJwk: JSON.parse(record.publicJwk) as JWK };
}

async function loadOrCreateKey(deps: Pick<Deps, KeyDeps>, poolId: string): Promise<PoolKey> {
  const existing = await deps.store.getSigningKey(poolId);
  if (existing) return unseal(deps.secrets, existing);
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true, modulusLength: 2048 });
  const kid = deps.random.bytes(20).toString('base64url');
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
  const privateJwk = await exportJWK(privateKey);
  const stored = await deps.store.putSigningKeyIfAbsent({
    poolId,
    kid,
    privateJwkSealed: deps.secrets.seal(JSON.stringify(privateJwk)),
    publicJwk: JSON.stringify(publicJwk),
    createdAt: deps.clock.nowMs(),
  });
  // Another instance may have won the race; its key is the pool's key.
  return unseal(deps.secrets, stored);
}

function poolKey(deps: Pick<Deps, KeyDeps>, poolId: string): Promise<PoolKey> {
  const cache = cacheOf(deps.store);
  let key = cache.get(poolId);
  if (!key) {
    key = loadOrCreateKey(deps, poolId);
    cache.set(poolId, key);
    key.catch(() => cache.delete(poolId));
  }
  return key;
}

/** The pool's public keys as a JWKS document (creating the key pair if the pool has none). */
export async function poolJwks(deps: Pick<Deps, KeyDeps>, poolId: string): Promise<{ keys: JWK[] }> {
  return { keys: [(await poolKey(deps, poolId)).publicJwk] };
}

/** `<public URL or the URL the request reached>/<poolId>`, as Cognito's `iss`. */
export function issuerOf(deps: Pick<Deps, 'config'>, baseUrl: string, poolId: string): string {
  // AWS's own issuer, for verifiers that accept no other (aws-jwt-verify checks the issuer's
  // form); tokens are still checked here by the pool id at its end, whichever form it has.
  if (deps.config.issuerFormat === 'aws') return `https://cognito-idp.${deps.config.region}.amazonaws.com/${poolId}`;
  return `${(deps.config.publicUrl ?? baseUrl).replace(/\/+$/, '')}/${poolId}`;
}

export interface TokenGrant {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  /** The base URL of the request (issuer prefix when no public URL is configured). */
  baseUrl: string;
  /** From a refresh: the sign-in's time and origin; otherwise this is a new sign-in. */
  refreshOf?: { authTime: number; originJti: string };
  /**
   * From a refresh that rotates the refresh token (RefreshTokenRotationType): a new refresh
   * token is issued, keeping the sign-in's time and the old token's expiry (its lifetime counts
   * from the sign-in, not from each rotation).
   */
  rotatedFrom?: { authTime: number; expiresAt: number };
  /**
   * The PreTokenGeneration source (default TokenGeneration_RefreshTokens for a refresh,
   * TokenGeneration_Authentication otherwise) and the ClientMetadata the calling operation
   * passes to it (RespondToAuthChallenge does, InitiateAuth does not: cognito-facts-areas.md §2.2).
   */
  trigger?: { source?: TokenGenerationSource; clientMetadata?: Record<string, string> | undefined };
  /**
   * Tokens of the OAuth 2.0 endpoints (src/http/routes/oauth/): the granted scopes replace
   * `aws.cognito.signin.user.admin` in the access token, and the authorize request's nonce goes
   * into the ID token (cognito-facts-areas.md §1.3, §1.5).
   */
  oauth?: { scopes: readonly string[]; nonce?: string | undefined };
  /**
   * The remembered-devices DeviceKey of the sign-in (cognito-facts-areas.md 3.5): the access
   * token carries it as `device_key` and a new refresh token is bound to it.
   */
  deviceKey?: string | undefined;
}

/**
 * ID and access tokens for a user and client, plus, for a new sign-in, a refresh token whose
 * digest is stored. A refresh keeps the sign-in's auth_time and origin_jti and gets no new
 * refresh token, as in Cognito.
 */
export async function issueTokens(deps: Pick<Deps, TokenIssuerDeps>, grant: TokenGrant): Promise<AuthenticationResultType> {
  const { pool, client, user } = grant;
  const settings = clientSettingsOf(client);
  const validity = tokenValiditySeconds(settings);
  const key = await poolKey(deps, pool.id);
  const nowMs = deps.clock.nowMs();
  const iat = Math.floor(nowMs / 1000);
  const authTime = grant.refreshOf?.authTime ?? grant.rotatedFrom?.authTime ?? iat;
  const originJti = grant.refreshOf?.originJti ?? deps.random.uuid();
  const eventId = deps.random.uuid();
  const iss = issuerOf(deps, grant.baseUrl, pool.id);
  // Read at every issue (sign-in and refresh), so a membership change shows in the next tokens:
  // one indexed query, returning nothing for a user in no group.
  const groups = await deps.store.groupClaimsOf(pool.id, user.sub);

  const sign = (payload: JWTPayload, lifetime: number) =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: ALG, kid: key.kid })
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetime)
      .setJti(deps.random.uuid())
      .sign(key.privateKey);

  const issued: TokenClaims = {
    id: {
      sub: user.sub,
      ...attributeClaims(readableAttributes(settings, user.attributes)),
      // A federated user's identities: an array of objects in the ID token, not the stored JSON text (§4.8).
      ...(user.attributes.identities !== undefined && { identities: identitiesClaim(user.attributes.identities) }),
      iss,
      ...idTokenGroupClaims(groups),
      'cognito:username': user.username,
      origin_jti: originJti,
      aud: client.id,
      event_id: eventId,
      token_use: 'id',
      auth_time: authTime,
      ...(grant.oauth?.nonce !== undefined && { nonce: grant.oauth.nonce }),
    },
    access: {
      sub: user.sub,
      ...accessTokenGroupClaims(groups),
      iss,
      client_id: client.id,
      origin_jti: originJti,
      event_id: eventId,
      token_use: 'access',
      scope: grant.oauth ? grant.oauth.scopes.join(' ') : ACCESS_SCOPE,
      auth_time: authTime,
      username: user.username,
      ...(grant.deviceKey !== undefined && { device_key: grant.deviceKey }),
    },
  };
  // The pool's PreTokenGeneration function, if any, has the last word on the claims it may change.
  const claims = await customizeClaims(
    deps,
    {
      source: grant.trigger?.source ?? (grant.refreshOf || grant.rotatedFrom ? 'TokenGeneration_RefreshTokens' : 'TokenGeneration_Authentication'),
      settings: settingsOf(pool),
      clientId: client.id,
      user,
      groups,
      clientMetadata: grant.trigger?.clientMetadata,
    },
    issued,
  );
  const idToken = await sign(claims.id, validity.id);
  const accessToken = await sign(claims.access, validity.access);

  const result: AuthenticationResultType = { AccessToken: accessToken, ExpiresIn: validity.access, TokenType: 'Bearer', IdToken: idToken };
  if (!grant.refreshOf) {
    const refreshToken = deps.random.bytes(REFRESH_TOKEN_BYTES).toString('base64url');
    await deps.store.insertRefreshToken({
      tokenHash: refreshTokenDigest(deps, refreshToken),
      poolId: pool.id,
      clientId: client.id,
      userSub: user.sub,
      originJti,
      authTime,
      createdAt: nowMs,
      expiresAt: grant.rotatedFrom?.expiresAt ?? nowMs + validity.refresh * 1000,
      revokedAt: null,
      deviceKey: grant.deviceKey ?? null,
    });
    result.RefreshToken = refreshToken;
  }
  return result;
}

/**
 * A token with no user behind it (the client_credentials grant's access token), signed with the
 * pool's key like every other: header, iat, exp and jti set here, the claims are the caller's.
 */
export async function signPoolToken(deps: Pick<Deps, KeyDeps>, poolId: string, claims: JWTPayload, lifetimeSeconds: number): Promise<string> {
  const key = await poolKey(deps, poolId);
  const iat = Math.floor(deps.clock.nowMs() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALG, kid: key.kid })
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetimeSeconds)
    .setJti(deps.random.uuid())
    .sign(key.privateKey);
}

export function refreshTokenDigest(deps: Pick<Deps, 'secrets'>, token: string): string {
  return deps.secrets.digest('refresh', token);
}

export interface VerifiedToken {
  poolId: string;
  claims: JWTPayload & Record<string, unknown>;
}

/**
 * Checks a token issued by this server: a pool named by its issuer, that pool's key, the
 * signature and the expiry (against deps.clock). What it claims is for the caller to judge.
 */
export async function verifyPoolToken(deps: Pick<Deps, 'store' | 'clock'>, token: string): Promise<VerifiedToken | 'invalid' | 'expired'> {
  let poolId: string;
  let kid: string | undefined;
  try {
    const iss = decodeJwt(token).iss;
    kid = decodeProtectedHeader(token).kid;
    if (typeof iss !== 'string') return 'invalid';
    poolId = iss.slice(iss.lastIndexOf('/') + 1);
  } catch {
    return 'invalid';
  }
  const verifier = await verificationKey(deps, poolId);
  if (!verifier || verifier.kid !== kid) return 'invalid';
  try {
    const { payload } = await jwtVerify(token, verifier.key, { algorithms: [ALG], currentDate: new Date(deps.clock.nowMs()) });
    return { poolId, claims: payload as VerifiedToken['claims'] };
  } catch (err) {
    return err instanceof joseErrors.JWTExpired ? 'expired' : 'invalid';
  }
}

const verifierCache = new WeakMap<Store, Map<string, { kid: string; key: CryptoKey | Uint8Array }>>();

/**
 * The pool's public key, imported once per store. A pool's key never changes once stored
 * (putSigningKeyIfAbsent), so it can be kept; a pool without a key is looked up again next
 * time and never given one here, so a forged issuer cannot make the server create keys.
 */
async function verificationKey(deps: Pick<Deps, 'store'>, poolId: string): Promise<{ kid: string; key: CryptoKey | Uint8Array } | undefined> {
  let cache = verifierCache.get(deps.store);
  if (!cache) {
    cache = new Map();
    verifierCache.set(deps.store, cache);
  }
  const cached = cache.get(poolId);
  if (cached) return cached;
  const record = await deps.store.getSigningKey(poolId);
  if (!record) return undefined;
  const entry = { kid: record.kid, key: await importJWK(JSON.parse(record.publicJwk) as JWK, ALG) };
  cache.set(poolId, entry);
  return entry;
}

/** Whether the text has the shape of a JWT (three base64url parts), e.g. to tell token kinds apart. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}
