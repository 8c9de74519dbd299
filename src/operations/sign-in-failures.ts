import type { Store } from '../storage/store.js';
import { activeStreak, failureKey, lockedUntil, type FailureStreak } from '../domain/sign-in.js';

/**
 * Consecutive sign-in failures of one name in one pool, kept in two store counters: the
 * streak's count (its window starts with the streak) and the time of its latest failure
 * (the window start of the second counter).
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

  private async streak(nowMs: number): Promise<(FailureStreak & { startedAt: number }) | undefined> {
    const [count, last] = [await this.store.readCounter(this.countKey), await this.store.readCounter(this.lastKey)];
    if (!count || !last) return undefined;
    const live = activeStreak({ failures: count.count, lastFailureAt: last.windowStart }, nowMs);
    return live && { ...live, startedAt: count.windowStart };
  }

  async isLocked(nowMs: number): Promise<boolean> {
    return lockedUntil(await this.streak(nowMs), nowMs) !== undefined;
  }

  async recordFailure(nowMs: number): Promise<void> {
    const live = await this.streak(nowMs);
    await this.store.incrementCounter(this.countKey, live ? live.startedAt : nowMs);
    await this.store.incrementCounter(this.lastKey, nowMs);
  }

  async clear(): Promise<void> {
    await this.store.resetCounter(this.countKey);
    await this.store.resetCounter(this.lastKey);
  }
}
