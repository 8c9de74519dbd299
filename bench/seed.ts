import { newPoolId } from '../src/domain/ids.js';
import { poolSettingsFromRequest } from '../src/domain/user-pool.js';
import type { Random } from '../src/services/random.js';
import type { PoolRecord, Store, UserRecord } from '../src/storage/store.js';

/**
 * Bulk seeding straight into the store: thousands of users per transaction, all sharing one
 * password hash computed once. This is setup, not what is measured.
 */
export async function createPool(store: Store, random: Random, name: string, now: number): Promise<PoolRecord> {
  const pool: PoolRecord = { id: newPoolId(random, 'us-east-1'), name, settings: poolSettingsFromRequest({}), createdAt: now, updatedAt: now };
  await store.insertPool(pool);
  return pool;
}

export const seededUsername = (i: number) => `user${i}`;
export const seededEmail = (i: number) => `user${i}@example.com`;

/** Adds users numbered [from, to) to the pool. */
export async function seedUsers(store: Store, random: Random, pool: PoolRecord, from: number, to: number, passwordHash: string, now: number): Promise<void> {
  const BATCH = 5000;
  for (let start = from; start < to; start += BATCH) {
    const end = Math.min(to, start + BATCH);
    await store.transaction(async (tx) => {
      for (let i = start; i < end; i++) {
        const sub = random.uuid();
        const user: UserRecord = {
          poolId: pool.id,
          sub,
          username: seededUsername(i),
          usernameKey: seededUsername(i),
          status: 'CONFIRMED',
          enabled: true,
          passwordHash,
          passwordUpdatedAt: now,
          attributes: { sub, email: seededEmail(i), email_verified: 'true', given_name: `Given${i % 1000}` },
          aliases: { email: null, phone_number: null, preferred_username: null },
          createdAt: now,
          updatedAt: now,
        };
        await tx.insertUser(user);
      }
    });
  }
}
