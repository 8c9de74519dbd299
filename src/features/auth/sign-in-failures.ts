import type { Store, StoreTx } from '../../ports/store.js';
import { activeStreak, failureKey, lockedUntil, type FailureStreak } from '../../domain/auth/sign-in.js';

/** How long an attempt in flight keeps its place; past it, a crashed attempt frees its place. */
const IN_FLIGHT_MS = 60_000;
/** How long an attempt waits for a place while others are being checked, and how often it looks. */
const WAIT_LIMIT_MS = 10_000;
const FIRST_LOOK_MS = 5;
const MAX_LOOK_MS = 100;

export type Reservation = 'taken' | 'locked';

/**
 * Consecutive sign-in failures of one name in one pool, kept in store counters: the streak's
 * count, the time of its latest failure (the window start of the second counter), and the
 * attempts in flight. Both streak windows restart at every failure, so a streak kept alive
 * for days never looks abandoned to the sweeper, which deletes counters by the age of their
 * window.
 *
 * An attempt counts as a failure before its password is checked, and is cleared on success:
 * that is what keeps parallel guesses from all passing the lock check before any of them is
 * recorded. Attempts still being checked are counted apart, so that the right password sent
 * many times at once is never refused: an attempt that would be locked out only by others in
 * flight waits for them (64 parallel sign-ins of one user all succeed), while one locked out
 * by failures already proven is refused at once (30 parallel guesses check 5 passwords).
 */
export class SignInFailures {
  private readonly countKey: string;
  private readonly lastKey: string;
  private readonly pendingKey: string;

  constructor(
    private readonly store: Store,
    poolId: string,
    name: string,
  ) {
    this.countKey = failureKey(poolId, name);
    this.lastKey = `${this.countKey}:last`;
    this.pendingKey = `${this.countKey}:pending`;
  }

  /** The streak, and how many of its failures are attempts still being checked. */
  private async state(nowMs: number, tx: StoreTx = this.store): Promise<{ streak: FailureStreak | undefined; pending: number }> {
    const [count, last, pending] = [await tx.readCounter(this.countKey), await tx.readCounter(this.lastKey), await tx.readCounter(this.pendingKey)];
    const inFlight = pending && nowMs - pending.windowStart < IN_FLIGHT_MS ? Math.max(0, pending.count) : 0;
    if (!count || !last) return { streak: undefined, pending: 0 };
    const streak = activeStreak({ failures: count.count, lastFailureAt: last.windowStart }, nowMs);
    return { streak, pending: streak ? Math.min(inFlight, streak.failures) : 0 };
  }

  /** Locked by failures already proven (attempts in flight do not count). */
  async isLocked(nowMs: number): Promise<boolean> {
    const { streak, pending } = await this.state(nowMs);
    return lockedUntil(streak && { ...streak, failures: streak.failures - pending }, nowMs) !== undefined;
  }

  /**
   * Takes one attempt before the password is checked, counted as a failure at once: false
   * while locked by proven failures. Locked only by attempts in flight, it waits for them.
   */
  async reserve(nowMs: number): Promise<boolean> {
    let wait = FIRST_LOOK_MS;
    for (let waited = 0; ; waited += wait, wait = Math.min(wait * 2, MAX_LOOK_MS)) {
      const outcome = await this.take(nowMs);
      if (outcome !== 'busy') return outcome === 'taken';
      if (waited >= WAIT_LIMIT_MS) return false;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private take(nowMs: number): Promise<Reservation | 'busy'> {
    return this.store.transaction(async (tx) => {
      const { streak, pending } = await this.state(nowMs, tx);
      if (lockedUntil(streak, nowMs) !== undefined) {
        const proven = streak && { ...streak, failures: streak.failures - pending };
        return lockedUntil(proven, nowMs) !== undefined ? 'locked' : 'busy';
      }
      // Set, not added to: the streak read above is what counts (a stale one has already ended).
      await tx.setCounter(this.countKey, nowMs, (streak?.failures ?? 0) + 1);
      await tx.setCounter(this.lastKey, nowMs, 1);
      await tx.setCounter(this.pendingKey, nowMs, pending + 1);
      return 'taken';
    });
  }

  /** The attempt failed: it stays counted, and no longer holds a place in flight. */
  async failed(): Promise<void> {
    await this.store.transaction(async (tx) => {
      const pending = await tx.readCounter(this.pendingKey);
      if (pending && pending.count > 0) await tx.incrementCounter(this.pendingKey, pending.windowStart, -1);
    });
  }

  /**
   * The attempt succeeded: the streak ends. One transaction, as `take` reads the three counters
   * together: three separate resets let reservations land between them, and those made after
   * the count was reset but before the attempts in flight were would stay counted as proven
   * failures (a batch of 16 parallel sign-ins there locked out the right password).
   */
  async clear(): Promise<void> {
    await this.store.transaction(async (tx) => {
      await tx.resetCounter(this.countKey);
      await tx.resetCounter(this.lastKey);
      await tx.resetCounter(this.pendingKey);
    });
  }
}
