import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/**
 * The only source of randomness in userpoold, always a CSPRNG. Tests may substitute a
 * deterministic implementation to pin ids; production never does.
 */
export interface Random {
  bytes(n: number): Buffer;
  /** Uniform integer in [min, max). */
  int(min: number, max: number): number;
  uuid(): string;
}

export const cryptoRandom: Random = {
  bytes: (n) => randomBytes(n),
  int: (min, max) => randomInt(min, max),
  uuid: () => randomUUID(),
};

/** A string of `length` characters drawn uniformly from `alphabet`. */
export function randomString(random: Random, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[random.int(0, alphabet.length)];
  return out;
}

export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';
