import { sealedStates, stringFields } from '../sessions/sealed-state.js';

/**
 * The RelayState of an SP-initiated SAML single logout (DG "SAML sign-out flow"): the provider,
 * the ID of the LogoutRequest the IdP's LogoutResponse must answer, and where the browser goes
 * once it does (the client's logout_uri, or the sign-in page); sealed (sessions/sealed-state.ts),
 * good for 5 minutes and, through the single-use port, once.
 */
export interface SamlLogoutState {
  poolId: string;
  provider: string;
  requestId: string;
  /** The redirect that finishes the sign-out. */
  target: string;
}

export const samlLogoutStates = sealedStates<SamlLogoutState>({
  kind: 'saml-logout-state',
  lifetimeMs: 5 * 60 * 1000,
  maxLength: 16_384,
  read: (f) => stringFields(f, ['poolId', 'provider', 'requestId', 'target']),
});
