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

/**
 * Small draws (a seal's IV, a salt, a refresh token) are cut from a block filled by the CSPRNG
 * 4 KiB at a time: one call into OpenSSL per block instead of one per draw, which was 2% of a
 * password reset's server CPU (bench/RESULTS.md). Node's randomUUID caches the same way. Every
 * byte is handed out once, copied out of the block.
 */
const BLOCK_BYTES = 4096;
const SMALL_DRAW = 64;
let block = Buffer.alloc(0);
let offset = 0;

function pooledBytes(n: number): Buffer {
  if (n > SMALL_DRAW) return randomBytes(n);
  if (offset + n > block.length) {
    block = randomBytes(BLOCK_BYTES);
    offset = 0;
  }
  const out = Buffer.from(block.subarray(offset, offset + n));
  offset += n;
  return out;
}

export const cryptoRandom: Random = {
  bytes: pooledBytes,
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
