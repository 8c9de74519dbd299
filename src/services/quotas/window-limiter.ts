import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Store } from '../../storage/store.js';

/**
 * Fixed-window request counting shared by every process on the same store, cheap on the
 * request path. A store write costs an fsync (SQLite, synchronous=FULL) or a round trip
 * (PostgreSQL), so most requests do not wait for one:
 *
 * - Each process estimates the window's total: the total the store last reported to it, plus
 *   what it admitted since. While the estimate stays below `limit - reserve`, it admits from
 *   memory and adds its counts to the store in the background, at most one write per key every
 *   `windowMs / 20` (so under load one write carries many requests, and the writes, which
 *   block the event loop on SQLite, stay few).
 * - The last `reserve` requests of a window are admitted only once an awaited store increment
 *   answers a total within the limit; that increment is atomic on both dialects, so these are
 *   exact across processes.
 * - Once a window is known full, requests are refused from memory, without a write.
 *
 * One process alone is exact. With several, a process learns what the others admitted only
 * when it writes, so in the part admitted from memory it may miss up to one write's round trip
 * of their traffic (plus the pacing delay); the reserve absorbs that unless the others' burst in that moment exceeds
 * it. Windows align to the clock, so a burst straddling two windows may pass up to twice the
 * limit within one window's length, as with any fixed window; processes whose clocks disagree
 * by more than a window reset each other's count at the boundary.
 */
export interface WindowLimiter {
  /** Counts one request under `key`; false (nothing more counted) when the window is full. */
  take(key: string, limit: number, windowMs: number): Promise<boolean>;
}

interface Slot {
  windowStart: number;
  /** The total the store last reported for this window. */
  known: number;
  /** Admitted here and not yet added to the store. */
  unpushed: number;
  pushing: boolean;
  /** performance.now() of the last background write; pacing is real time, not domain time. */
  lastPushAt: number;
  timer: NodeJS.Timeout | undefined;
}

/** Slots of past windows are dropped once the map grows this large (many source addresses). */
const SWEEP_AT = 10_000;

/**
 * How many of a window's last requests wait for the store: a tenth, at least five (so small
 * limits, where one extra request matters most, are exact across processes).
 */
export function reserveOf(limit: number): number {
  return Math.min(limit, Math.max(5, Math.ceil(limit / 10)));
}

export function createWindowLimiter(deps: { store: Store; clock: Clock; logger: Logger }, prefix: string): WindowLimiter {
  const slots = new Map<string, Slot>();

  const push = async (key: string, slot: Slot, paceMs: number): Promise<void> => {
    slot.pushing = true;
    slot.lastPushAt = performance.now();
    const n = slot.unpushed;
    slot.unpushed = 0;
    try {
      slot.known = Math.max(slot.known, await deps.store.incrementCounter(prefix + key, slot.windowStart, n));
    } catch (err) {
      // Kept for the next write; meanwhile this process still counts them.
      slot.unpushed += n;
      deps.logger.warn('rate counter write failed', { error: err instanceof Error ? err.message : String(err) });
    } finally {
      slot.pushing = false;
    }
    if (slot.unpushed > 0) schedule(key, slot, paceMs);
  };

  function schedule(key: string, slot: Slot, paceMs: number): void {
    if (slot.pushing || slot.timer !== undefined) return;
    const wait = slot.lastPushAt + paceMs - performance.now();
    if (wait <= 0) {
      void push(key, slot, paceMs);
      return;
    }
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      void push(key, slot, paceMs);
    }, wait);
    slot.timer.unref();
  }

  const slotFor = (key: string, windowStart: number): Slot => {
    const current = slots.get(key);
    if (current && current.windowStart === windowStart) return current;
    if (slots.size >= SWEEP_AT) {
      for (const [k, s] of slots) if (s.windowStart < windowStart && !s.pushing && s.timer === undefined) slots.delete(k);
    }
    const slot: Slot = { windowStart, known: 0, unpushed: 0, pushing: false, lastPushAt: -Infinity, timer: undefined };
    slots.set(key, slot);
    return slot;
  };

  return {
    async take(key, limit, windowMs) {
      const now = deps.clock.nowMs();
      const slot = slotFor(key, Math.floor(now / windowMs) * windowMs);
      const estimate = slot.known + slot.unpushed;
      if (estimate >= limit) return false;
      if (estimate + 1 <= limit - reserveOf(limit)) {
        slot.unpushed++;
        schedule(key, slot, windowMs / 20);
        return true;
      }
      const n = slot.unpushed + 1;
      slot.unpushed = 0;
      let total: number;
      try {
        total = await deps.store.incrementCounter(prefix + key, slot.windowStart, n);
      } catch (err) {
        slot.unpushed += n - 1;
        throw err;
      }
      slot.known = Math.max(slot.known, total);
      return total <= limit;
    },
  };
}
