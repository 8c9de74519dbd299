import type { WebAuthnCredentialRecord } from '../domain/webauthn/credential.js';

/** Users' passkeys (features/passkeys/), keyed by pool and credential id. */
export interface WebAuthnCredentialsPort {
  /** Stores a new credential; false when the pool already has one with this id. */
  insertWebAuthnCredential(record: WebAuthnCredentialRecord): Promise<boolean>;
  /** A user's credentials, oldest first. */
  listWebAuthnCredentials(poolId: string, userSub: string): Promise<WebAuthnCredentialRecord[]>;
  getWebAuthnCredential(poolId: string, credentialId: string): Promise<WebAuthnCredentialRecord | undefined>;
  /**
   * Moves the signature counter from `expected` to `next`; false when it no longer is `expected`
   * (another sign-in used the credential meanwhile), so two uses cannot both pass.
   */
  advanceWebAuthnSignCount(poolId: string, credentialId: string, expected: number, next: number): Promise<boolean>;
  /** Deletes one of a user's credentials; false when the user has none with this id. */
  deleteWebAuthnCredential(poolId: string, userSub: string, credentialId: string): Promise<boolean>;
}
