import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { Store } from '../../ports/store.js';

/**
 * Fixed-window request counting shared by every process on the same store, cheap on the
 * request path. A store write costs an fsync (SQLite, synchronous=FULL) or a round trip
 * (PostgreSQL), so most requests do not wait for one:
 *
 * - Each process estimates the window's total: the total the store last reported to it, plus
 *   what it admitted since. While the estimate stays below `limit - reserve`, it admits from
 *   memory and adds its counts to the store in the background, at most one write per key every
 *   `windowMs / 20` (so under load one write carries many requests, and the writes, which
 *   block the event loop on SQLite, stay few). It never admits more than a `slice` (a twentieth
 *   of the limit, at least one) that the store has not yet answered for: the request past that
 *   waits for a write.
 * - The last `reserve` requests of a window are admitted only once an awaited store increment
 *   answers a total within the limit; that increment is atomic on both dialects, so these are
 *   exact across processes.
 * - Once a window is known full, requests are refused from memory, without a write.
 *
 * One process alone is exact. With several, a process learns what the others admitted only
 * when it writes, so each may admit up to a slice beyond what it knows: N processes bursting at
 * the same moment may pass about N slices over the limit, and the reserve (two slices or more)
 * absorbs that for two or three processes. Windows align to the clock, so a burst straddling
 * two windows may pass up to twice the limit within one window's length, as with any fixed
 * window; processes whose clocks disagree by more than a window reset each other's count at the
 * boundary.
 */
export interface WindowLimiter {
  /** Counts one request under `key`; false (nothing more counted) when the window is full. */
  take(key: string, limit: number, windowMs: number): Promise<boolean>;
}

interface Slot {
  windowStart: number;
  windowEnd: number;
  /** The total the store last reported for this window. */
  known: number;
  /** Admitted here and not yet added to the store. */
  unpushed: number;
  /** Being added to the store: counted here until the store's answer includes them. */
  inflight: number;
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

/** How far one process may run ahead of the store. */
export function sliceOf(limit: number): number {
  return Math.max(1, Math.floor(limit / 20));
}

export function createWindowLimiter(deps: { store: Store; clock: Clock; logger: Logger }, prefix: string): WindowLimiter {
  const slots = new Map<string, Slot>();

  /** Adds `n` to the store's count and learns the total. */
  const add = async (key: string, slot: Slot, n: number): Promise<number> => {
    slot.inflight += n;
    try {
      const total = await deps.store.incrementCounter(prefix + key, slot.windowStart, n);
      slot.known = Math.max(slot.known, total);
      return total;
    } finally {
      slot.inflight -= n;
    }
  };

  const push = async (key: string, slot: Slot, paceMs: number): Promise<void> => {
    // The store keeps one window per key: a late write for a past window would reset the
    // count of the current one.
    if (slots.get(key) !== slot || deps.clock.nowMs() >= slot.windowEnd) {
      slot.unpushed = 0;
      return;
    }
    slot.pushing = true;
    slot.lastPushAt = performance.now();
    const n = slot.unpushed;
    slot.unpushed = 0;
    try {
      await add(key, slot, n);
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

  const slotFor = (key: string, windowStart: number, windowMs: number): Slot => {
    const current = slots.get(key);
    if (current && current.windowStart === windowStart) return current;
    if (slots.size >= SWEEP_AT) {
      for (const [k, s] of slots) if (s.windowStart < windowStart && !s.pushing && s.timer === undefined) slots.delete(k);
    }
    const slot: Slot = { windowStart, windowEnd: windowStart + windowMs, known: 0, unpushed: 0, inflight: 0, pushing: false, lastPushAt: -Infinity, timer: undefined };
    slots.set(key, slot);
    return slot;
  };

  return {
    async take(key, limit, windowMs) {
      const now = deps.clock.nowMs();
      const slot = slotFor(key, Math.floor(now / windowMs) * windowMs, windowMs);
      const estimate = slot.known + slot.inflight + slot.unpushed;
      if (estimate >= limit) return false;
      // From memory only while this process is less than a slice ahead of the store's answers.
      if (estimate + 1 <= limit - reserveOf(limit) && slot.unpushed + slot.inflight < sliceOf(limit)) {
        slot.unpushed++;
        schedule(key, slot, windowMs / 20);
        return true;
      }
      const n = slot.unpushed + 1;
      slot.unpushed = 0;
      try {
        return (await add(key, slot, n)) <= limit;
      } catch (err) {
        slot.unpushed += n - 1;
        throw err;
      }
    },
  };
}
