import type { JsonObject } from '../pools/pool.js';

/** An app client of a pool. */
export interface ClientRecord {
  id: string;
  poolId: string;
  name: string;
  /** The client secret sealed with the server key, or null for public clients. */
  secretSealed: string | null;
  settings: JsonObject;
  createdAt: number;
  updatedAt: number;
}
