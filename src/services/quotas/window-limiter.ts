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
 *   memory and adds its counts to the store in the background, one write in flight per key
 *   (so under load one write carries many requests).
 * - The last `reserve` requests of a window are admitted only once an awaited store increment
 *   answers a total within the limit; that increment is atomic on both dialects, so these are
 *   exact across processes.
 * - Once a window is known full, requests are refused from memory, without a write.
 *
 * One process alone is exact. With several, a process learns what the others admitted only
 * when it writes, so in the part admitted from memory it may miss up to one write's round trip
 * of their traffic; the reserve absorbs that unless the others' burst in that moment exceeds
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
}

/** Slots of past windows are dropped once the map grows this large (many source addresses). */
const SWEEP_AT = 10_000;

/** How many of a window's last requests wait for the store: a tenth, at least one. */
export function reserveOf(limit: number): number {
  return Math.max(1, Math.ceil(limit / 10));
}

export function createWindowLimiter(deps: { store: Store; clock: Clock; logger: Logger }, prefix: string): WindowLimiter {
  const slots = new Map<string, Slot>();

  const push = async (key: string, slot: Slot): Promise<void> => {
    if (slot.pushing) return;
    slot.pushing = true;
    try {
      while (slot.unpushed > 0) {
        const n = slot.unpushed;
        slot.unpushed = 0;
        try {
          slot.known = Math.max(slot.known, await deps.store.incrementCounter(prefix + key, slot.windowStart, n));
        } catch (err) {
          // Kept for the next push; meanwhile this process still counts them.
          slot.unpushed += n;
          deps.logger.warn('rate counter write failed', { error: err instanceof Error ? err.message : String(err) });
          return;
        }
      }
    } finally {
      slot.pushing = false;
    }
  };

  const slotFor = (key: string, windowStart: number, now: number): Slot => {
    const current = slots.get(key);
    if (current && current.windowStart === windowStart) return current;
    if (slots.size >= SWEEP_AT) {
      for (const [k, s] of slots) if (s.windowStart < windowStart && !s.pushing && now >= s.windowStart) slots.delete(k);
    }
    const slot: Slot = { windowStart, known: 0, unpushed: 0, pushing: false };
    slots.set(key, slot);
    return slot;
  };

  return {
    async take(key, limit, windowMs) {
      const now = deps.clock.nowMs();
      const slot = slotFor(key, Math.floor(now / windowMs) * windowMs, now);
      const estimate = slot.known + slot.unpushed;
      if (estimate >= limit) return false;
      if (estimate + 1 <= limit - reserveOf(limit)) {
        slot.unpushed++;
        void push(key, slot);
        return true;
      }
      const n = slot.unpushed + 1;
      slot.unpushed = 0;
      const total = await deps.store.incrementCounter(prefix + key, slot.windowStart, n);
      slot.known = Math.max(slot.known, total);
      return total <= limit;
    },
  };
}
