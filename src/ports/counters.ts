/** Rate counters in fixed windows (attempt limits, quotas, lockouts). */
export interface CountersPort {
  /** Adds `by` (default one) to the counter of `key` in the window starting at `windowStart`; returns the new count. */
  incrementCounter(key: string, windowStart: number, by?: number): Promise<number>;
  getCounter(key: string, windowStart: number): Promise<number>;
  /** The counter of `key` whatever its window, for callers whose window start is itself data. */
  readCounter(key: string): Promise<{ windowStart: number; count: number } | undefined>;
  /** Sets the counter of `key` to `count` in the window starting at `windowStart`, whatever it held. */
  setCounter(key: string, windowStart: number, count: number): Promise<void>;
  resetCounter(key: string): Promise<void>;
}
