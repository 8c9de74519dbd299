import type { Deps } from '../deps.js';
import { toBigInt } from '../../domain/auth/srp-group.js';
import { SECRET_BLOCK_VALIDITY_MS, verifierOf } from '../../domain/auth/srp-protocol.js';
import type { SecretBox } from '../../kernel/secret-box.js';

/**
 * The state of an SRP sign-in between its two steps travels in SECRET_BLOCK, sealed with the
 * server key (authenticated, so any change is refused) and carrying its own id, which the
 * second step consumes once. Any instance can answer the second step.
 */
export interface SecretBlock {
  id: string;
  poolId: string;
  clientId: string;
  /** The user's sub; null for a simulated first step of an unknown user. */
  userSub: string | null;
  /** The name as typed at the first step (sign-in failures of unknown names count under it). */
  name: string;
  /** USER_ID_FOR_SRP as sent to the client. */
  userIdForSrp: string;
  /** Server private value b and client public value A, hex. */
  b: string;
  A: string;
  issuedAt: number;
  /** Issued in a custom sign-in (CUSTOM_AUTH with SRP_A): its answer must continue that sign-in's Session. */
  custom?: boolean;
}

const VERSION = 1;
/** Server private exponent size: 256 bits of entropy in a 3072-bit group. */
const B_BYTES = 32;

/** The SECRET_BLOCK string: base64 of the sealed record, as the clients expect base64. */
export function sealSecretBlock(secrets: SecretBox, block: SecretBlock): string {
  return Buffer.from(secrets.seal(JSON.stringify({ v: VERSION, ...block })), 'utf8').toString('base64');
}

/** The block's record, or undefined when it is not one this server sealed. */
export function openSecretBlock(secrets: SecretBox, secretBlock: string): SecretBlock | undefined {
  try {
    const parsed = JSON.parse(secrets.open(Buffer.from(secretBlock, 'base64').toString('utf8'))) as Partial<SecretBlock> & { v?: number };
    const { v, id, poolId, clientId, userSub, name, userIdForSrp, b, A, issuedAt, custom } = parsed;
    if (
      v !== VERSION ||
      typeof id !== 'string' ||
      typeof poolId !== 'string' ||
      typeof clientId !== 'string' ||
      (userSub !== null && typeof userSub !== 'string') ||
      typeof name !== 'string' ||
      typeof userIdForSrp !== 'string' ||
      typeof b !== 'string' ||
      typeof A !== 'string' ||
      typeof issuedAt !== 'number'
    ) {
      return undefined;
    }
    return { id, poolId, clientId, userSub: userSub ?? null, name, userIdForSrp, b, A, issuedAt, ...(custom === true && { custom }) };
  } catch {
    return undefined;
  }
}

export function secretBlockExpiresAt(block: SecretBlock): number {
  return block.issuedAt + SECRET_BLOCK_VALIDITY_MS;
}

/** A fresh server private value b. */
export function newServerSecret(deps: Pick<Deps, 'random'>): bigint {
  return toBigInt(deps.random.bytes(B_BYTES)) || 1n;
}

/**
 * For an unknown user (PreventUserExistenceErrors): a salt, verifier and USER_ID_FOR_SRP that
 * are the same every time for the same pool and name, so repeated probes look like a real user.
 */
export function simulatedUser(secrets: SecretBox, poolId: string, username: string): { saltHex: string; verifier: bigint; userIdForSrp: string } {
  const seed = Buffer.from(secrets.digest('srp-simulated-user', `${poolId}\0${username.toLowerCase()}`), 'base64url');
  const saltHex = seed.subarray(0, 16).toString('hex');
  const id = seed.subarray(16, 32).toString('hex');
  const userIdForSrp = `${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(13, 16)}-${((parseInt(id[16] ?? '0', 16) & 3) | 8).toString(16)}${id.slice(17, 20)}-${id.slice(20, 32)}`;
  const verifier = verifierOf(poolId, userIdForSrp, seed.toString('hex'), saltHex);
  return { saltHex, verifier, userIdForSrp };
}
