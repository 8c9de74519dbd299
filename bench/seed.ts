import { newPoolId } from '../src/domain/ids.js';
import { poolSettingsFromRequest, type PoolSettings } from '../src/domain/pools/user-pool.js';
import { emptyUserMfa } from '../src/domain/mfa/mfa-settings.js';
import { newTotpSecret, sealTotpSecret } from '../src/services/mfa/user-mfa.js';
import { systemClock } from '../src/kernel/clock.js';
import { createCodes } from '../src/services/codes/codes.js';
import { derivePasswordSecrets } from '../src/services/passwords/password-secrets.js';
import type { PasswordHasher } from '../src/services/passwords/password-hasher.js';
import { cryptoRandom, type Random } from '../src/kernel/random.js';
import { createSecretBox } from '../src/kernel/secret-box.js';
import type { UsersTable } from '../src/storage/schema.js';
import type { PoolRecord } from '../src/domain/pools/pool.js';
import type { SrpVerifierRecord } from '../src/domain/users/user.js';
import type { BenchDatabase } from './databases.js';

/**
 * Bulk seeding, which is setup and not measured: the schema comes from the store's own
 * migrations, then users go in through the database's bulk path (databases.ts) in transactions
 * of 50,000 rows with durability relaxed. They share one argon2id hash
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

/** A pool written straight into the store; `settings` defaults to CreateUserPool's with no options. */
export async function createPool(db: BenchDatabase, name: string, now: number, settings: PoolSettings = poolSettingsFromRequest({})): Promise<PoolRecord> {
  const store = await db.openStore();
  try {
    const pool: PoolRecord = { id: newPoolId(cryptoRandom, 'us-east-1'), name, settings, createdAt: now, updatedAt: now };
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
export async function seedUsers(db: BenchDatabase, pool: PoolRecord, plan: SeedPlan, now: number): Promise<void> {
  const random = cryptoRandom;
  const secrets = createSecretBox(db.serverKey, random);
  const sharedHash: PasswordHasher = { hash: async () => plan.passwordHash, verify: async () => false, verifyDummy: async () => {} };
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
  async function* batches(): AsyncGenerator<UsersTable[]> {
    const BATCH = 50_000;
    for (let start = plan.from; start < plan.to; start += BATCH) {
      const rows: UsersTable[] = [];
      for (let i = start; i < Math.min(plan.to, start + BATCH); i++) {
        const srp = plan.srpUsers?.(i) ? (await derivePasswordSecrets({ hasher: sharedHash, secrets, random }, pool, seededUsername(i), SEEDED_PASSWORD)).srp : null;
        rows.push(rowOf(i, srp));
      }
      yield rows;
    }
  }
  await db.insertUsers(batches());
}

/** Issues a reset code (SEEDED_CODE) to each of the given users, through the codes service. */
export async function issueResetCodes(db: BenchDatabase, pool: PoolRecord, users: readonly number[], ttlMs: number): Promise<void> {
  const secrets = createSecretBox(db.serverKey, cryptoRandom);
  const fixed: Random = { ...cryptoRandom, int: () => Number(SEEDED_CODE) };
  const codes = createCodes(systemClock, fixed, secrets);
  const store = await db.openStore();
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

/** Groups named `names`, with no role, precedence by position (setup for the groups workloads). */
export async function seedGroups(db: BenchDatabase, poolId: string, names: readonly string[], now: number): Promise<void> {
  const store = await db.openStore();
  try {
    await store.transaction(async (tx) => {
      for (const [k, name] of names.entries()) await tx.insertGroup({ poolId, name, description: null, roleArn: null, precedence: k, createdAt: now, updatedAt: now });
    });
  } finally {
    await store.close();
  }
}

/** Makes each of the seeded users a member of each of the groups (group_members rows, written directly). */
export async function seedMemberships(db: BenchDatabase, poolId: string, groups: readonly string[], users: readonly number[]): Promise<void> {
  const store = await db.openStore();
  try {
    for (let start = 0; start < users.length; start += 5_000) {
      await store.transaction(async (tx) => {
        for (const i of users.slice(start, start + 5_000)) {
          for (const group of groups) await tx.addGroupMember(poolId, group, { sub: seededSub(i), usernameKey: seededUsername(i) });
        }
      });
    }
  } finally {
    await store.close();
  }
}

/**
 * Gives each seeded user a verified authenticator (its TOTP secret sealed with the server key, as
 * VerifySoftwareToken stores it) with SOFTWARE_TOKEN_MFA preferred; returns the secrets in clear,
 * which the load generator needs to compute codes.
 */
export async function seedTotpUsers(db: BenchDatabase, poolId: string, users: readonly number[], now: number): Promise<Map<number, string>> {
  const secrets = createSecretBox(db.serverKey, cryptoRandom);
  const out = new Map<number, string>();
  const store = await db.openStore();
  try {
    await store.transaction(async (tx) => {
      for (const i of users) {
        const secret = newTotpSecret({ random: cryptoRandom });
        out.set(i, secret);
        await tx.putUserMfa({
          ...emptyUserMfa(poolId, seededSub(i), now),
          totpSecretSealed: sealTotpSecret({ secrets }, secret),
          totpDeviceName: 'bench',
          totpEnabled: true,
          preferred: 'SOFTWARE_TOKEN_MFA',
        });
      }
    });
  } finally {
    await store.close();
  }
  return out;
}
