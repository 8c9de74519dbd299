import type { Config } from '../../kernel/config.js';
import type { Store, SweepCounts, SweepPolicy } from '../../ports/store.js';
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { Random } from '../../kernel/random.js';

const SECOND_MS = 1000;
const DAY_MS = 86_400_000;

/**
 * Refresh tokens stay two days past expiry or revocation. An access token finds its sign-in
 * through the refresh token's row (a missing row reads as revoked), and one minted just before
 * the refresh token expired lives up to a day longer (AccessTokenValidity is at most 24 hours);
 * the second day is margin for clocks of instances that disagree.
 */
export const REFRESH_TOKEN_GRACE_MS = 2 * DAY_MS;

/**
 * Counters go once their window started two days ago. The longest window any limit uses is an
 * hour (code attempts, code sends, ChangePassword); the per-address limit uses a minute, the
 * quotas a second; a sign-in failure streak restarts its window at every failure and is
 * forgotten after 15 quiet minutes. Two days keeps every live window with room for skewed clocks
 * and for a longer window added later.
 */
export const COUNTER_HORIZON_MS = 2 * DAY_MS;

/** Rows per table per pass: one short statement each, so no pass holds SQLite's write lock long. */
export const SWEEP_BATCH_SIZE = 10_000;

/** After a pass that filled a batch, the next comes this soon, to work off a backlog. */
const BACKLOG_PAUSE_MS = SECOND_MS;

export interface Sweeper {
  /** Sweeps every sweepIntervalSeconds (the first pass at a random point of the first interval); nothing when it is 0. */
  start(): void;
  /** One pass now, at the clock's time. */
  runOnce(): Promise<SweepCounts>;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

export interface SweeperOptions {
  store: Store;
  clock: Clock;
  random: Random;
  logger: Logger;
  config: Pick<Config, 'sweepIntervalSeconds' | 'outboxRetentionDays' | 'auditRetentionDays'>;
}

/**
 * Deletes what nothing reads any more, so no table grows with traffic alone. Deletes are by
 * age and idempotent, so every instance on a shared database may run one.
 */
export function createSweeper(options: SweeperOptions): Sweeper {
  const { store, clock, random, logger, config } = options;
  const intervalMs = config.sweepIntervalSeconds * SECOND_MS;
  const policy: SweepPolicy = {
    refreshTokenGraceMs: REFRESH_TOKEN_GRACE_MS,
    counterHorizonMs: COUNTER_HORIZON_MS,
    outboxRetentionMs: config.outboxRetentionDays === 0 ? undefined : config.outboxRetentionDays * DAY_MS,
    auditRetentionMs: config.auditRetentionDays === 0 ? undefined : config.auditRetentionDays * DAY_MS,
    batchSize: SWEEP_BATCH_SIZE,
  };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function runOnce(): Promise<SweepCounts> {
    const counts = await store.sweep(clock.nowMs(), policy);
    logger.debug('swept expired rows', { ...counts });
    return counts;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(tick, delayMs);
    // Sweeping is housekeeping: it must not keep the process alive.
    timer.unref();
  }

  function tick(): void {
    timer = undefined;
    let backlog = false;
    running = runOnce()
      .then((counts) => {
        backlog = Object.values(counts).some((n) => n >= policy.batchSize);
      })
      .catch((err: unknown) => logger.warn('sweep failed', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        running = undefined;
        schedule(backlog ? BACKLOG_PAUSE_MS : intervalMs);
      });
  }

  return {
    start() {
      if (intervalMs === 0 || stopped || timer !== undefined || running !== undefined) return;
      // Spread over the first interval, so instances started together do not sweep together.
      schedule(random.int(0, intervalMs));
    },
    runOnce,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
