import type { SecretBox } from '../../kernel/secret-box.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import { lookupKey } from '../../domain/users/username.js';

/**
 * The stand-in for a name that reaches nobody (unknown, or a user hidden because it is disabled
 * or has no verified contact) when the client prevents user existence errors. Everything about
 * it is derived from a keyed hash of the pool and the name as looked up, so the same name always
 * behaves the same, and nobody without the server key can tell it from a real user:
 * - `sub`, UUID-shaped like a real one (as AWS's simulated SRP answer uses "the same ... internal
 *   user id in UUID format for the same user name", cognito-user-pool-managing-errors), keys
 *   the stand-in's codes and counters, so code requests and guesses for an unknown name hit
 *   the same limits at the same counts as a real user's;
 * - `seed` feeds the invented masked destination (inventedDestination).
 */
export interface HiddenUser {
  poolId: string;
  sub: string;
  seed: Buffer;
}

export function hiddenUser(secrets: SecretBox, poolId: string, settings: PoolSettings, name: string): HiddenUser {
  const key = `${poolId}\0${lookupKey(settings, name)}`;
  const id = Buffer.from(secrets.digest('hidden-user:sub', key), 'base64url');
  const seed = Buffer.from(secrets.digest('hidden-user:destination', key), 'base64url');
  return { poolId, sub: uuidFrom(id), seed };
}

/** RFC 4122 version 4 layout, so the stand-in's id looks like any random `sub`. */
function uuidFrom(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
