/** The longest wait between two delivery tries, however many have failed. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/** Part of a delay that jitter may take off, so retries of a burst of failures spread out. */
const JITTER_FRACTION = 0.1;

/**
 * How long to wait after the `failedAttempts`-th failed try (1 for the first): `baseMs`,
 * doubling with each failure, capped at one hour. `jitter` in [0, 1) shortens the delay by up
 * to a tenth; it only ever shortens it, so a caller that waits the nominal delay is sure the
 * retry is due.
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, jitter: number): number {
  const doublings = Math.max(0, failedAttempts - 1);
  // 2 ** 40 already exceeds any cap; clamping the exponent keeps the product finite.
  const nominal = Math.min(baseMs * 2 ** Math.min(doublings, 40), MAX_RETRY_DELAY_MS);
  const clamped = Math.min(Math.max(jitter, 0), 1);
  return Math.max(1, Math.round(nominal * (1 - JITTER_FRACTION * clamped)));
}
