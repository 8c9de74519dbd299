import type { Page } from './page.js';

/** A developer credential for the signed operations. */
export interface CredentialRecord {
  accessKeyId: string;
  name: string;
  arn: string;
  /** The secret access key sealed with the server key: SigV4 verification needs it back. */
  secretSealed: string;
  /** The IAM-style policy document as JSON text. */
  policy: string;
  createdAt: number;
}

export interface CredentialsPort {
  insertCredential(credential: CredentialRecord): Promise<void>;
  getCredential(accessKeyId: string): Promise<CredentialRecord | undefined>;
  /** In access key id order. */
  listCredentials(page: Page): Promise<CredentialRecord[]>;
  /** Whether any developer credential is stored (asked before every signed request). */
  hasCredentials(): Promise<boolean>;
}
