import type { Clock } from '../clock.js';
import type { Store } from '../../storage/store.js';

/**
 * Fixed-window request counting shared by every process on the same store. Each admitted
 * request costs one counter upsert, whose returned count is exact across processes (the
 * upsert is atomic on both dialects), so at most `limit` requests pass per window in total.
 * Once a window is known to be full, this process refuses further requests in it from memory,
 * without writing, so a flood costs the store one write per process and window.
 *
 * Trade-offs: a window is aligned to the clock, so a burst straddling two windows may pass up
 * to twice the limit within one window's length (as any fixed window); processes whose clocks
 * disagree by more than a window reset each other's count at the boundary.
 */
export interface WindowLimiter {
  /** Counts one request under `key`; false (and nothing counted) when the window is full. */
  take(key: string, limit: number, windowMs: number): Promise<boolean>;
}

/** Windows known full are forgotten once past; the map is swept when it grows this large. */
const SWEEP_AT = 10_000;

export function createWindowLimiter(store: Store, clock: Clock, prefix: string): WindowLimiter {
  const fullUntil = new Map<string, number>();
  const sweep = (now: number) => {
    for (const [key, until] of fullUntil) if (until <= now) fullUntil.delete(key);
  };
  return {
    async take(key, limit, windowMs) {
      const now = clock.nowMs();
      const known = fullUntil.get(key);
      if (known !== undefined && now < known) return false;
      const windowStart = Math.floor(now / windowMs) * windowMs;
      const count = await store.incrementCounter(prefix + key, windowStart);
      if (count <= limit) return true;
      if (fullUntil.size >= SWEEP_AT) sweep(now);
      fullUntil.set(key, windowStart + windowMs);
      return false;
    },
  };
}
