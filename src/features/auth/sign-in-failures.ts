import type { Store, StoreTx } from '../../ports/store.js';
import { activeStreak, failureKey, lockedUntil, type FailureStreak } from '../../domain/auth/sign-in.js';

/**
 * Consecutive sign-in failures of one name in one pool, kept in two store counters: the
 * streak's count and the time of its latest failure (the window start of the second counter).
 * Both windows restart at every failure, so a streak kept alive for days never looks
 * abandoned to the sweeper, which deletes counters by the age of their window.
 */
export class SignInFailures {
  private readonly countKey: string;
  private readonly lastKey: string;

  constructor(
    private readonly store: Store,
    poolId: string,
    name: string,
  ) {
    this.countKey = failureKey(poolId, name);
    this.lastKey = `${this.countKey}:last`;
  }

  private async streak(nowMs: number, tx: StoreTx = this.store): Promise<FailureStreak | undefined> {
    const [count, last] = [await tx.readCounter(this.countKey), await tx.readCounter(this.lastKey)];
    if (!count || !last) return undefined;
    return activeStreak({ failures: count.count, lastFailureAt: last.windowStart }, nowMs);
  }

  async isLocked(nowMs: number): Promise<boolean> {
    return lockedUntil(await this.streak(nowMs), nowMs) !== undefined;
  }

  /**
   * Takes one attempt before the password is checked: refused (false) while locked, otherwise
   * counted as a failure at once, in one transaction. Counting first is what keeps parallel
   * guesses from all passing the lock check before any of them is recorded; a successful
   * attempt then calls `clear`.
   */
  async reserve(nowMs: number): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const live = await this.streak(nowMs, tx);
      if (lockedUntil(live, nowMs) !== undefined) return false;
      // Reset first: a failure in the same millisecond as the last would otherwise add to the count twice.
      await tx.resetCounter(this.countKey);
      await tx.incrementCounter(this.countKey, nowMs, (live?.failures ?? 0) + 1);
      await tx.incrementCounter(this.lastKey, nowMs);
      return true;
    });
  }

  async clear(): Promise<void> {
    await this.store.resetCounter(this.countKey);
    await this.store.resetCounter(this.lastKey);
  }
}
