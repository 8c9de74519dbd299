/**
 * A passkey (WebAuthn credential) a user registered (cognito-facts-areas.md §3.6): what
 * ListWebAuthnCredentials shows and what a WEB_AUTHN sign-in verifies against. The public key
 * is not a secret; the signature counter detects a cloned authenticator.
 */
export interface WebAuthnCredentialRecord {
  poolId: string;
  userSub: string;
  /** base64url, as the authenticator's rawId. */
  credentialId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The authenticator's signature counter at the last accepted use (0: the authenticator keeps none). */
  signCount: number;
  transports: string[];
  friendlyName: string | null;
  relyingPartyId: string;
  /** `platform` or `cross-platform`, when the browser said. */
  attachment: string | null;
  createdAt: number;
}

/** How many passkeys one user may register (a per-user limit is not documented by AWS, §3.6: ours). */
export const MAX_CREDENTIALS_PER_USER = 20;
