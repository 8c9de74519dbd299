import type { Clock } from '../../kernel/clock.js';
import type { Random } from '../../kernel/random.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import type { StoreTx } from '../../ports/store.js';
import { codeMismatch, expiredCode, limitExceeded, MESSAGES, type ServiceError } from '../../kernel/errors.js';

/**
 * One-time codes: 6 digits from the CSPRNG, stored only as a keyed hash bound to the user and
 * purpose, one live code per user and purpose (a new one replaces the old), single use,
 * with an expiry and a per-user attempt limit counted in the store before comparing.
 */
export type CodePurpose = 'reset_password' | 'confirm_sign_up' | 'sign_in_mfa' | `verify_${string}`;

export type CodeOutcome = 'ok' | 'mismatch' | 'expired' | 'limit';

const HOUR_MS = 3_600_000;

export interface Codes {
  /** Issues a fresh code, replacing any earlier one; returns the plaintext to deliver. */
  issue(tx: StoreTx, target: CodeTarget, ttlMs: number): Promise<string>;
  /**
   * Counts one attempt, then compares. Does not consume: call `consume` in the transaction
   * that applies the change, so a crash in between leaves the code usable.
   * Run it in its own transaction so the counted attempt commits whatever the outcome.
   */
  attempt(tx: StoreTx, target: CodeTarget, code: string, attemptLimit: number): Promise<CodeOutcome>;
  /** Consumes the code if it is still the one that was checked; false when it was not. */
  consume(tx: StoreTx, target: CodeTarget, code: string): Promise<boolean>;
}

export interface CodeTarget {
  poolId: string;
  userSub: string;
  purpose: CodePurpose;
  /**
   * Where the code was sent (an email address or phone number). It is part of the code's hash,
   * so a code proves only the destination it went to: once the user's address changes, by any
   * operation, the old code no longer matches.
   */
  destination: string;
}

export function createCodes(clock: Clock, random: Random, secrets: SecretBox): Codes {
  const hashOf = (target: CodeTarget, code: string) =>
    secrets.digest(`code:${target.purpose}:${target.userSub}:${target.destination}`, code);
  const counterKey = (target: CodeTarget) => `code-attempts:${target.userSub}:${target.purpose}`;
  return {
    async issue(tx, target, ttlMs) {
      const code = String(random.int(0, 1_000_000)).padStart(6, '0');
      const now = clock.nowMs();
      await tx.putCode({
        poolId: target.poolId,
        userSub: target.userSub,
        purpose: target.purpose,
        codeHash: hashOf(target, code),
        createdAt: now,
        expiresAt: now + ttlMs,
      });
      return code;
    },
    async attempt(tx, target, code, attemptLimit) {
      const now = clock.nowMs();
      const window = Math.floor(now / HOUR_MS) * HOUR_MS;
      // A refused attempt is not counted again: the JS SDK retries LimitExceededException,
      // and those retries must not push the user's lock further out.
      if ((await tx.getCounter(counterKey(target), window)) >= attemptLimit) return 'limit';
      await tx.incrementCounter(counterKey(target), window);
      const stored = await tx.getCode(target.userSub, target.purpose);
      if (!stored || stored.expiresAt <= now) return 'expired';
      return secrets.digestEquals(stored.codeHash, hashOf(target, code)) ? 'ok' : 'mismatch';
    },
    async consume(tx, target, code) {
      const consumed = await tx.consumeCode(target.userSub, target.purpose, hashOf(target, code));
      if (consumed) await tx.resetCounter(counterKey(target));
      return consumed;
    },
  };
}

/** AWS's error for a failed code outcome. */
export function codeError(outcome: Exclude<CodeOutcome, 'ok'>): ServiceError {
  switch (outcome) {
    case 'mismatch':
      return codeMismatch(MESSAGES.codeMismatch);
    case 'expired':
      return expiredCode(MESSAGES.expiredCode);
    case 'limit':
      return limitExceeded(MESSAGES.attemptLimit);
  }
}
