import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { join } from 'node:path';
import { newPoolId } from '../src/domain/ids.js';
import { poolSettingsFromRequest } from '../src/domain/user-pool.js';
import { systemClock } from '../src/services/clock.js';
import { createCodes } from '../src/services/codes.js';
import { derivePasswordSecrets } from '../src/services/password-secrets.js';
import type { PasswordHasher } from '../src/services/password-hasher.js';
import { cryptoRandom, type Random } from '../src/services/random.js';
import { createSecretBox, loadOrCreateServerKey } from '../src/services/secret-box.js';
import type { Database, UsersTable } from '../src/storage/schema.js';
import { openSqliteStore } from '../src/storage/sqlite.js';
import type { PoolRecord, SrpVerifierRecord } from '../src/storage/store.js';

/**
 * Bulk seeding, which is setup and not measured: the schema comes from the store's own
 * migrations, then users go in through one prepared INSERT (the SQL Kysely compiles for the
 * users table) in transactions of 50,000 rows with synchronous=OFF. They share one argon2id hash
 * computed once; the users that sign in with SRP get a verifier made as the server makes it;
 * the users that confirm a reset get a code issued through the codes service, all the same known
 * code (each user's code is still hashed with the server key, bound to that user).
 */
export const SEEDED_PASSWORD = 'Seeded-passw0rd!';
export const SEEDED_CODE = '424242';
export const seededUsername = (i: number) => `user${i}`;
export const seededEmail = (i: number) => `user${i}@example.com`;
/** Subs follow the user number so that later steps can find them without a lookup. */
export const seededSub = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

export async function createPool(dataDir: string, name: string, now: number): Promise<PoolRecord> {
  const store = await openSqliteStore(dataDir);
  try {
    const pool: PoolRecord = { id: newPoolId(cryptoRandom, 'us-east-1'), name, settings: poolSettingsFromRequest({}), createdAt: now, updatedAt: now };
    await store.insertPool(pool);
    return pool;
  } finally {
    await store.close();
  }
}

export interface SeedPlan {
  from: number;
  to: number;
  passwordHash: string;
  /** User numbers that get an SRP verifier. */
  srpUsers?: (i: number) => boolean;
}

/** Adds users numbered [from, to) to the pool. */
export async function seedUsers(dataDir: string, pool: PoolRecord, plan: SeedPlan, now: number): Promise<void> {
  const random = cryptoRandom;
  const secrets = createSecretBox(loadOrCreateServerKey(dataDir, random), random);
  const sharedHash: PasswordHasher = { hash: async () => plan.passwordHash, verify: async () => false, verifyDummy: async () => {} };
  const database = new BetterSqlite3(join(dataDir, 'userpoold.sqlite'));
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = OFF');
    const rowOf = (i: number, srp: SrpVerifierRecord | null): UsersTable => {
      const sub = seededSub(i);
      const attributes = { sub, email: seededEmail(i), email_verified: 'true', given_name: `Given${i % 1000}` };
      return {
        sub,
        pool_id: pool.id,
        username: seededUsername(i),
        username_key: seededUsername(i),
        status: 'CONFIRMED',
        enabled: 1,
        password_hash: plan.passwordHash,
        password_updated_at: now,
        srp_salt: srp?.saltHex ?? null,
        srp_verifier_sealed: srp?.verifierSealed ?? null,
        attributes: JSON.stringify(attributes),
        alias_email: null,
        alias_phone: null,
        alias_preferred_username: null,
        email: attributes.email,
        phone_number: null,
        name: null,
        given_name: attributes.given_name,
        family_name: null,
        preferred_username: null,
        created_at: now,
        updated_at: now,
      };
    };
    const compiler = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    const { sql } = compiler.insertInto('users').values(rowOf(0, null)).compile();
    const insert = database.prepare(sql);
    const BATCH = 50_000;
    for (let start = plan.from; start < plan.to; start += BATCH) {
      const end = Math.min(plan.to, start + BATCH);
      const rows: unknown[][] = [];
      for (let i = start; i < end; i++) {
        const srp = plan.srpUsers?.(i) ? (await derivePasswordSecrets({ hasher: sharedHash, secrets, random }, pool, seededUsername(i), SEEDED_PASSWORD)).srp : null;
        rows.push(Object.values(rowOf(i, srp)));
      }
      database.transaction(() => {
        for (const row of rows) insert.run(...row);
      })();
    }
    database.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    database.close();
  }
}

/** Issues a reset code (SEEDED_CODE) to each of the given users, through the codes service. */
export async function issueResetCodes(dataDir: string, pool: PoolRecord, users: readonly number[], ttlMs: number): Promise<void> {
  const secrets = createSecretBox(loadOrCreateServerKey(dataDir, cryptoRandom), cryptoRandom);
  const fixed: Random = { ...cryptoRandom, int: () => Number(SEEDED_CODE) };
  const codes = createCodes(systemClock, fixed, secrets);
  const store = await openSqliteStore(dataDir);
  try {
    for (let start = 0; start < users.length; start += 5_000) {
      await store.transaction(async (tx) => {
        for (const i of users.slice(start, start + 5_000)) {
          // Codes are bound to where they were sent: the seeded users' verified email.
          await codes.issue(tx, { poolId: pool.id, userSub: seededSub(i), purpose: 'reset_password', destination: seededEmail(i) }, ttlMs);
        }
      });
    }
  } finally {
    await store.close();
  }
}
