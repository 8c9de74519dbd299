import type { Deps } from '../deps.js';

/**
 * The `state` userpoold sends to an OIDC or social provider: the authorize request the sign-in
 * continues, the provider, the nonce the ID token must carry, and the digest of a random value
 * kept in a cookie of the browser that started it (so a state cannot be finished in another
 * browser: login CSRF, RFC 6749 §10.12). Sealed with the server key, so it can be neither forged
 * nor read; good for 5 minutes (as a SAML sign-in, §4.7) and, through the single-use port, once.
 */
export interface OidcState {
  poolId: string;
  provider: string;
  /** The authorize query the sign-in started from, as received. */
  query: string;
  nonce: string;
  /** secrets.digest of the browser cookie's value. */
  browser: string;
  expiresAt: number;
}

export const OIDC_SIGN_IN_MS = 5 * 60 * 1000;
const PURPOSE = 'oidc-state';

export function sealOidcState(deps: Pick<Deps, 'secrets' | 'clock'>, state: Omit<OidcState, 'expiresAt'>): string {
  return deps.secrets.seal(JSON.stringify({ purpose: PURPOSE, ...state, expiresAt: deps.clock.nowMs() + OIDC_SIGN_IN_MS }));
}

/** The state if this server sealed it for an OIDC sign-in (expired or not); else undefined. */
export function openOidcState(deps: Pick<Deps, 'secrets'>, value: string): OidcState | undefined {
  if (value.length > 16_384) return undefined;
  try {
    const s = JSON.parse(deps.secrets.open(value)) as Partial<OidcState> & { purpose?: unknown };
    if (s.purpose !== PURPOSE) return undefined;
    if (typeof s.poolId !== 'string' || typeof s.provider !== 'string' || typeof s.query !== 'string' || typeof s.nonce !== 'string') return undefined;
    if (typeof s.browser !== 'string' || typeof s.expiresAt !== 'number') return undefined;
    return { poolId: s.poolId, provider: s.provider, query: s.query, nonce: s.nonce, browser: s.browser, expiresAt: s.expiresAt };
  } catch {
    return undefined;
  }
}

export function browserDigest(deps: Pick<Deps, 'secrets'>, value: string): string {
  return deps.secrets.digest('oidc-state-browser', value);
}

/** Marks the state used; false when it came back before (a replayed or reloaded callback). */
export function useOidcStateOnce(deps: Pick<Deps, 'secrets' | 'store' | 'clock'>, value: string, state: OidcState): Promise<boolean> {
  return deps.store.useOnce(`oidc-state:${deps.secrets.digest(PURPOSE, value)}`, state.expiresAt, deps.clock.nowMs());
}
