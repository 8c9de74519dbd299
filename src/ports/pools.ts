import type { PoolRecord } from '../domain/pools/pool.js';
import type { Page } from './page.js';

export interface PoolsPort {
  insertPool(pool: PoolRecord): Promise<void>;
  getPool(id: string): Promise<PoolRecord | undefined>;
  updatePool(pool: PoolRecord): Promise<void>;
  /** Deletes the pool and everything in it (clients, users, codes, tokens, keys, queued messages). */
  deletePool(id: string): Promise<void>;
  listPools(page: Page): Promise<PoolRecord[]>;
}
