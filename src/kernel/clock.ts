/**
 * The only source of time in userpoold. Production uses the system clock; tests pass a
 * ManualClock so that expiry, lockouts and timestamps can be pinned and advanced.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

export class ManualClock implements Clock {
  constructor(private current: number = Date.UTC(2026, 0, 1)) {}
  nowMs(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** AWS JSON timestamps are epoch seconds, fractions allowed. */
export function toEpochSeconds(ms: number): number {
  return ms / 1000;
}
