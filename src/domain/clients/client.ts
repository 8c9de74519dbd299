import type { JsonObject } from '../pools/pool.js';

/** One active secret of a confidential app client. */
export interface ClientSecretRecord {
  /** The secret sealed with the server key (never stored in clear). */
  sealed: string;
  /** Milliseconds since the epoch; also names the secret (see clientSecretId). */
  createdAt: number;
}

/** An app client of a pool. */
export interface ClientRecord {
  id: string;
  poolId: string;
  name: string;
  /**
   * The client's active secrets, oldest first: none for a public client, at most two
   * (MAX_CLIENT_SECRETS) while a secret is being rotated.
   */
  clientSecrets: readonly ClientSecretRecord[];
  settings: JsonObject;
  createdAt: number;
  updatedAt: number;
}
