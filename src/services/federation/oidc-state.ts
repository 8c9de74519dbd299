import { sealedStates, stringFields } from '../sessions/sealed-state.js';

/**
 * The `state` userpoold sends to an OIDC or social provider: the authorize request the sign-in
 * continues, the provider, and the nonce the ID token must carry; sealed (sessions/sealed-state.ts)
 * bound to a random value kept in a cookie of the browser that started it (login CSRF, RFC 6749
 * §10.12), good for 5 minutes (as a SAML sign-in, §4.7) and, through the single-use port, once.
 */
export interface OidcState {
  poolId: string;
  provider: string;
  /** The authorize query the sign-in started from, as received. */
  query: string;
  nonce: string;
}

export const oidcStates = sealedStates<OidcState>({
  kind: 'oidc-state',
  lifetimeMs: 5 * 60 * 1000,
  maxLength: 16_384,
  read: (f) => stringFields(f, ['poolId', 'provider', 'query', 'nonce']),
});
