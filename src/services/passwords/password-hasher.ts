import argon2 from 'argon2';
import { threadPoolSize } from '../../kernel/thread-pool-size.js';
import { concurrencyLimit } from './concurrency-limit.js';

/**
 * Password hashing with argon2id. The native binding runs on libuv's thread pool, so hashing
 * never blocks the event loop. Hashes are PHC strings carrying their own parameters, so
 * changing the configured cost leaves old hashes verifiable. At most `concurrency` hashes run
 * at once: each holds its memory cost (19 MiB by default) while it runs, and more at once than
 * the cores can run adds memory, not hashes per second (thread-pool-size.ts).
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(phc: string, password: string): Promise<boolean>;
  /** Spends the time of one verification, for unknown users, so timing does not reveal them. */
  verifyDummy(password: string): Promise<void>;
}

export interface Argon2Params {
  memoryKib: number;
  iterations: number;
  parallelism: number;
  /** Hashes and verifications running at once; unset, as many as libuv's pool has threads. */
  concurrency?: number | undefined;
}

export function createArgon2Hasher(params: Argon2Params): PasswordHasher {
  const options = {
    type: argon2.argon2id,
    memoryCost: params.memoryKib,
    timeCost: params.iterations,
    parallelism: params.parallelism,
  } as const;
  const limited = concurrencyLimit(params.concurrency || threadPoolSize());
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => limited(() => argon2.hash(password, options)),
    async verify(phc, password) {
      try {
        return await limited(() => argon2.verify(phc, password));
      } catch {
        return false;
      }
    },
    async verifyDummy(password) {
      dummy ??= limited(() => argon2.hash('userpoold-dummy-password', options));
      const phc = await dummy;
      await limited(() => argon2.verify(phc, password)).catch(() => false);
    },
  };
}
