import argon2 from 'argon2';

/**
 * Password hashing with argon2id. The native binding runs on libuv's thread pool, so hashing
 * never blocks the event loop. Hashes are PHC strings carrying their own parameters, so
 * changing the configured cost leaves old hashes verifiable.
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
}

export function createArgon2Hasher(params: Argon2Params): PasswordHasher {
  const options = {
    type: argon2.argon2id,
    memoryCost: params.memoryKib,
    timeCost: params.iterations,
    parallelism: params.parallelism,
  } as const;
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => argon2.hash(password, options),
    async verify(phc, password) {
      try {
        return await argon2.verify(phc, password);
      } catch {
        return false;
      }
    },
    async verifyDummy(password) {
      dummy ??= argon2.hash('userpoold-dummy-password', options);
      await argon2.verify(await dummy, password).catch(() => false);
    },
  };
}
