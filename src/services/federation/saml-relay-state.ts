import type { Deps } from '../deps.js';

/**
 * The RelayState of an SP-initiated SAML sign-in: the authorize request it continues, the
 * provider, and the ID of the AuthnRequest the response must answer (InResponseTo), sealed with
 * the server key so it cannot be forged or read, and good for 5 minutes ("A SAML sign-in left
 * unfinished for 5 min is cancelled", cognito-facts-areas.md §4.7). Nothing is stored until the
 * response comes back, when the single-use port makes it usable once. AWS's RelayState is also
 * an opaque token longer than SAML's 80 bytes (DG "Things to know about SAML IdPs").
 */
export interface SamlRelayState {
  poolId: string;
  provider: string;
  /** The authorize query the sign-in started from, as received. */
  query: string;
  requestId: string;
  expiresAt: number;
}

export const SAML_SIGN_IN_MS = 5 * 60 * 1000;
const PURPOSE = 'saml-relay-state';

export function sealRelayState(deps: Pick<Deps, 'secrets' | 'clock'>, state: Omit<SamlRelayState, 'expiresAt'>): string {
  const sealed: SamlRelayState & { purpose: string } = { purpose: PURPOSE, ...state, expiresAt: deps.clock.nowMs() + SAML_SIGN_IN_MS };
  return deps.secrets.seal(JSON.stringify(sealed));
}

/** The state if the value is one this server sealed for a SAML sign-in (expired or not); else undefined. */
export function openRelayState(deps: Pick<Deps, 'secrets'>, value: string): SamlRelayState | undefined {
  if (value.length > 16_384) return undefined;
  try {
    const state = JSON.parse(deps.secrets.open(value)) as Partial<SamlRelayState> & { purpose?: unknown };
    if (state.purpose !== PURPOSE || typeof state.poolId !== 'string' || typeof state.provider !== 'string' || typeof state.query !== 'string') return undefined;
    if (typeof state.requestId !== 'string' || typeof state.expiresAt !== 'number') return undefined;
    return { poolId: state.poolId, provider: state.provider, query: state.query, requestId: state.requestId, expiresAt: state.expiresAt };
  } catch {
    return undefined;
  }
}

/** Marks the RelayState used; false when it was used before (a replayed response). */
export function useRelayStateOnce(deps: Pick<Deps, 'secrets' | 'store' | 'clock'>, value: string, state: SamlRelayState): Promise<boolean> {
  return deps.store.useOnce(`saml-relay:${deps.secrets.digest(PURPOSE, value)}`, state.expiresAt, deps.clock.nowMs());
}
