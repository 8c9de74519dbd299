import type { Deps } from '../deps.js';
import { srpPoolName, verifierOf } from '../../domain/auth/srp-protocol.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import type { SrpVerifierRecord, UserRecord } from '../../domain/users/user.js';

/**
 * Everything stored for a new password: the argon2id hash (password sign-in) and the SRP
 * verifier (USER_SRP_AUTH). Every operation that sets a password derives both here, before
 * its transaction, so the two never disagree.
 */
export interface PasswordSecrets {
  passwordHash: string;
  srp: SrpVerifierRecord;
}

const SALT_BYTES = 16;
const VERSION = 1;
const BINDING = 'srp-verifier-binding';

export async function derivePasswordSecrets(
  deps: Pick<Deps, 'hasher' | 'secrets' | 'random'>,
  pool: { id: string },
  username: string,
  password: string,
): Promise<PasswordSecrets> {
  const passwordHash = await deps.hasher.hash(password);
  const saltHex = deps.random.bytes(SALT_BYTES).toString('hex');
  const verifier = verifierOf(srpPoolName(pool.id), username, password, saltHex);
  // Bound to the hash: a later write that replaces the hash without a new verifier (or
  // clears it) leaves this verifier unusable instead of letting the old password in.
  const sealed = deps.secrets.seal(JSON.stringify({ v: VERSION, verifier: verifier.toString(16), bound: deps.secrets.digest(BINDING, passwordHash) }));
  return { passwordHash, srp: { saltHex, verifierSealed: sealed } };
}

/** The user's verifier, when it belongs to the password they have now. */
export function openVerifier(secrets: SecretBox, user: Pick<UserRecord, 'passwordHash' | 'srp'>): { saltHex: string; verifier: bigint } | undefined {
  if (!user.srp || user.passwordHash === null) return undefined;
  try {
    const parsed = JSON.parse(secrets.open(user.srp.verifierSealed)) as { v?: number; verifier?: string; bound?: string };
    if (parsed.v !== VERSION || typeof parsed.verifier !== 'string' || typeof parsed.bound !== 'string') return undefined;
    if (!secrets.digestEquals(parsed.bound, secrets.digest(BINDING, user.passwordHash))) return undefined;
    return { saltHex: user.srp.saltHex, verifier: BigInt(`0x${parsed.verifier}`) };
  } catch {
    return undefined;
  }
}
