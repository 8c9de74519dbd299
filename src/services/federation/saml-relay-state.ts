import { sealedStates, stringFields } from '../sessions/sealed-state.js';

/**
 * The RelayState of an SP-initiated SAML sign-in: the authorize request it continues, the
 * provider, and the ID of the AuthnRequest the response must answer (InResponseTo), sealed
 * (sessions/sealed-state.ts) and good for 5 minutes ("A SAML sign-in left unfinished for 5 min is
 * cancelled", cognito-facts-areas.md §4.7). Nothing is stored until the response comes back, when
 * the single-use port makes it usable once. AWS's RelayState is also an opaque token longer than
 * SAML's 80 bytes (DG "Things to know about SAML IdPs").
 */
export interface SamlRelayState {
  poolId: string;
  provider: string;
  /** The authorize query the sign-in started from, as received. */
  query: string;
  requestId: string;
}

export const samlRelayStates = sealedStates<SamlRelayState>({
  kind: 'saml-relay-state',
  lifetimeMs: 5 * 60 * 1000,
  maxLength: 16_384,
  read: (f) => stringFields(f, ['poolId', 'provider', 'query', 'requestId']),
});
