import type { Deps } from '../deps.js';
import type { StoreTx } from '../../ports/store.js';
import { base32Encode, matchTotp, totpStep, TOTP_STEP_SECONDS, TOTP_WINDOW } from '../../domain/mfa/totp.js';
import { emptyUserMfa, type UserMfaRecord } from '../../domain/mfa/mfa-settings.js';
import type { UserRecord } from '../../domain/users/user.js';

/**
 * A user's MFA setup and what proving a factor takes: TOTP secrets sealed with the server key
 * (never stored or logged in clear), codes of an authenticator checked against a per-user
 * attempt budget and usable once.
 */

/** 20 random bytes (160 bits, RFC 4226's recommended key size) as 32 base32 characters. */
export function newTotpSecret(deps: Pick<Deps, 'random'>): string {
  return base32Encode(deps.random.bytes(20));
}

const SEAL_PREFIX = 'totp:';

export function sealTotpSecret(deps: Pick<Deps, 'secrets'>, secret: string): string {
  return deps.secrets.seal(`${SEAL_PREFIX}${secret}`);
}

export function openTotpSecret(deps: Pick<Deps, 'secrets'>, sealed: string | null): string | undefined {
  if (sealed === null) return undefined;
  try {
    const opened = deps.secrets.open(sealed);
    return opened.startsWith(SEAL_PREFIX) ? opened.slice(SEAL_PREFIX.length) : undefined;
  } catch {
    return undefined;
  }
}

export async function loadUserMfa(deps: Pick<Deps, 'store' | 'clock'>, user: Pick<UserRecord, 'poolId' | 'sub'>, tx: StoreTx = deps.store): Promise<UserMfaRecord> {
  return (await tx.getUserMfa(user.poolId, user.sub)) ?? emptyUserMfa(user.poolId, user.sub, deps.clock.nowMs());
}

const HOUR_MS = 3_600_000;

export type MfaAttempt = 'ok' | 'mismatch' | 'limit';

/**
 * One try of an authenticator code: the attempt is counted in the store (one transaction that
 * checks the budget and counts) before the code is compared, so parallel guesses cannot all pass
 * the check; a right code is usable once (the step is spent) and clears the count. The budget is
 * the server's code attempt limit per user per hour, shared by sign-in and VerifySoftwareToken.
 */
export async function tryTotpCode(deps: Pick<Deps, 'store' | 'clock' | 'config'>, userSub: string, secret: string, code: string): Promise<MfaAttempt> {
  const now = deps.clock.nowMs();
  const key = `code-attempts:${userSub}:totp`;
  const window = Math.floor(now / HOUR_MS) * HOUR_MS;
  const taken = await deps.store.transaction(async (tx) => {
    if ((await tx.getCounter(key, window)) >= deps.config.codeAttemptLimit) return false;
    await tx.incrementCounter(key, window);
    return true;
  });
  if (!taken) return 'limit';
  const step = matchTotp(secret, code, now);
  if (step === undefined) return 'mismatch';
  // A code works once: replaying one seen inside its window is a mismatch.
  const spentUntil = (totpStep(now) + TOTP_WINDOW + 1) * TOTP_STEP_SECONDS * 1000;
  if (!(await deps.store.useOnce(`totp-step:${userSub}:${step}`, spentUntil, now))) return 'mismatch';
  await deps.store.resetCounter(key);
  return 'ok';
}
