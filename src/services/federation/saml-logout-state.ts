import type { Deps } from '../deps.js';

/**
 * The RelayState of an SP-initiated SAML single logout (DG "SAML sign-out flow"): the provider,
 * the ID of the LogoutRequest the IdP's LogoutResponse must answer, and where the browser goes
 * once it does (the client's logout_uri, or the sign-in page) — sealed with the server key so it
 * can be neither read nor forged, good for 5 minutes and, through the single-use port, once.
 */
export interface SamlLogoutState {
  poolId: string;
  provider: string;
  requestId: string;
  /** The redirect that finishes the sign-out. */
  target: string;
  expiresAt: number;
}

export const SAML_SIGN_OUT_MS = 5 * 60 * 1000;
const PURPOSE = 'saml-logout-state';

export function sealLogoutState(deps: Pick<Deps, 'secrets' | 'clock'>, state: Omit<SamlLogoutState, 'expiresAt'>): string {
  return deps.secrets.seal(JSON.stringify({ purpose: PURPOSE, ...state, expiresAt: deps.clock.nowMs() + SAML_SIGN_OUT_MS }));
}

/** The state if the value is one this server sealed for a SAML sign-out (expired or not); else undefined. */
export function openLogoutState(deps: Pick<Deps, 'secrets'>, value: string): SamlLogoutState | undefined {
  if (value.length > 16_384) return undefined;
  try {
    const s = JSON.parse(deps.secrets.open(value)) as Partial<SamlLogoutState> & { purpose?: unknown };
    if (s.purpose !== PURPOSE || typeof s.poolId !== 'string' || typeof s.provider !== 'string' || typeof s.requestId !== 'string') return undefined;
    if (typeof s.target !== 'string' || typeof s.expiresAt !== 'number') return undefined;
    return { poolId: s.poolId, provider: s.provider, requestId: s.requestId, target: s.target, expiresAt: s.expiresAt };
  } catch {
    return undefined;
  }
}

/** Marks the RelayState used; false when it was used before (a replayed LogoutResponse). */
export function useLogoutStateOnce(deps: Pick<Deps, 'secrets' | 'store' | 'clock'>, value: string, state: SamlLogoutState): Promise<boolean> {
  return deps.store.useOnce(`saml-logout:${deps.secrets.digest(PURPOSE, value)}`, state.expiresAt, deps.clock.nowMs());
}
