import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { candidateOf, planBatch, type Candidate } from '../../domain/import/batch.js';
import type { CsvChunk } from '../../domain/import/chunks.js';
import { checkHeader, readRow, type CsvLayout, type RowOutcome } from '../../domain/import/csv.js';
import { importSub } from '../../domain/import/import-sub.js';
import { COMPLETION, completionOf, withSummary, type ImportJobRecord } from '../../domain/import/import-job.js';
import { emptyUserMfa } from '../../domain/mfa/mfa-settings.js';
import { settingsOf, type PoolSettings } from '../../domain/pools/user-pool.js';
import type { AliasKind } from '../../domain/users/user.js';
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { Random } from '../../kernel/random.js';
import type { Store, StoreTx } from '../../ports/store.js';
import { UniqueViolation } from '../../ports/unique-violation.js';

export interface ImportRunnerOptions {
  store: Store;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Written into the jobs this runner claims; unique per process. */
  workerId: string;
  /** How long a claim lasts without a batch renewing it (config importClaimTtlMs). */
  claimTtlMs: number;
  /** How often it looks for runnable jobs when not woken. */
  pollMs?: number;
  /**
   * Batches in flight at once: 3 on SQLite, where the writer thread commits them in order on
   * its one connection, those waiting together in one transaction (sqlite-writer.ts), while the
   * next one is checked; 1 on PostgreSQL, where transactions run side by side and a later batch
   * must not commit before an earlier one.
   */
  pipeline?: number;
}

export interface ImportRunner {
  /** Begins looking for jobs (and resumes those a stopped or crashed runner left). */
  start(): void;
  /** A job was started or stopped: look now. */
  wake(): void;
  /** Runs every runnable job to its end (tests); resolves when none is left. */
  runOnce(): Promise<void>;
  /** Stops after the batch in flight and hands its job back (unclaimed), so a restart resumes it at once. */
  stop(): Promise<void>;
}

/** A batch found the job taken over by another runner: it rolled back, and this runner lets the job go. */
class LeaseLost extends Error {}

const DEFAULT_POLL_MS = 1000;
const POOL_GONE = 'The user pool no longer exists.';
const ALIAS_KINDS: readonly AliasKind[] = ['email', 'phone_number', 'preferred_username'];
/** The CSV rules run in slices of about this long between yields, so requests interleave. */
const SLICE_MS = 4;
/** Times a batch is decided again when a user it would add was created meanwhile. */
const BATCH_ATTEMPTS = 5;

/**
 * Runs user import jobs: claims one job at a time with a lease (like the outbox worker), imports
 * its file one stored chunk (ROWS_PER_BATCH lines) per transaction, and yields between batches
 * so requests interleave. Each batch's transaction (Store.commitImportBatch: on SQLite on a
 * thread of its own, off the request path) writes its users, its refused-row log, the job's
 * counts, the next chunk to import and the renewed lease together, and only while this runner
 * still holds the lease and the job is at that chunk: after a crash the job resumes at the first
 * chunk not committed, so no row is imported twice and the counts stay exact; two instances
 * never run one job at once. Which usernames and aliases are taken is read just before; a user
 * created between that read and the commit makes the commit fail whole (unique indexes), and
 * the batch is decided again.
 */
export function createImportRunner(options: ImportRunnerOptions): ImportRunner {
  const { store, clock, random, logger, workerId, claimTtlMs } = options;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const pipeline = Math.max(1, options.pipeline ?? 1);
  let started = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  function schedule(delayMs: number): void {
    if (!started || stopping) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, delayMs);
    timer.unref();
  }

  function tick(): void {
    timer = undefined;
    void runAll().finally(() => schedule(pollMs));
  }

  /** One loop at a time: whoever asks while it runs shares it. */
  function runAll(): Promise<void> {
    if (running) return running;
    const run = (async () => {
      try {
        while (!stopping) {
          const now = clock.nowMs();
          const job = await store.transaction((tx) => tx.claimImportJob(workerId, now, now + claimTtlMs));
          if (!job) return;
          await runJob(job);
        }
      } catch (err) {
        logger.warn('import runner failed', { error: errorText(err) });
      }
    })();
    running = run;
    void run.finally(() => {
      if (running === run) running = undefined;
    });
    return run;
  }

  async function runJob(claimed: ImportJobRecord): Promise<void> {
    try {
      if (claimed.status === 'Stopping') return await finish(claimed.jobId, 'Stopped', withSummary(COMPLETION.stopped, claimed));
      const pool = await store.getPool(claimed.poolId);
      if (!pool) return await finish(claimed.jobId, 'Failed', POOL_GONE);
      if (claimed.uploadProblem !== null) return await finish(claimed.jobId, 'Failed', claimed.uploadProblem);
      if (claimed.uploadId === null) return await finish(claimed.jobId, 'Failed', 'No CSV file was uploaded to the pre-signed URL before the job started.');
      const settings = settingsOf(pool);
      const header = await store.getImportChunk(claimed.jobId, claimed.uploadId, 0);
      const checked = header === undefined ? { problem: 'The CSV file has no header row.' } : checkHeader(settings, header.data);
      if ('problem' in checked) return await finish(claimed.jobId, 'Failed', checked.problem);
      // Only a job still Pending: one stopped meanwhile stays Stopping (its first batch ends it).
      if (claimed.status === 'Pending') await write(claimed.jobId, (job) => (job.status === 'Pending' ? { ...job, status: 'InProgress' } : job));

      // Batches in flight, oldest first: each is awaited before more than `pipeline` are begun.
      const inFlight: Promise<boolean>[] = [];
      /** When the last batch begun was handed to the store: the next one goes after it. */
      let lastHandedOver = Promise.resolve();
      const settle = async (): Promise<boolean> => {
        const stopped = await (inFlight.shift() as Promise<boolean>);
        if (stopped) await Promise.allSettled(inFlight);
        return stopped;
      };
      for (let seq = claimed.nextChunk; seq < claimed.chunkCount; seq++) {
        if (stopping) {
          await Promise.allSettled(inFlight);
          return await release(claimed.jobId);
        }
        const chunk = await store.getImportChunk(claimed.jobId, claimed.uploadId, seq);
        if (!chunk) {
          // A batch in flight may have ended the job (and deleted its file): that is no fault.
          while (inFlight.length > 0) if (await settle()) return;
          throw new Error(`chunk ${seq} of import job ${claimed.jobId} is missing`);
        }
        let handedOver = () => {};
        const after = lastHandedOver;
        lastHandedOver = new Promise<void>((resolve) => (handedOver = resolve));
        const batch = importBatch(claimed.jobId, claimed.poolId, settings, checked.layout, chunk, inFlight.at(-1) ?? Promise.resolve(false), { after, done: handedOver });
        batch.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
        inFlight.push(batch);
        // One batch checked at a time: the next begins once this one is with the store. Checked
        // side by side, their rows stayed live through more of the young generation's
        // collections, which then promoted them: a larger heap and more time collecting.
        await lastHandedOver;
        if (inFlight.length >= pipeline && (await settle())) return;
        await yieldToOthers();
      }
      while (inFlight.length > 0) if (await settle()) return;
      const job = await store.getImportJob(claimed.jobId);
      if (!job) return;
      if (job.status === 'Stopping') return await finish(job.jobId, 'Stopped', withSummary(COMPLETION.stopped, job));
      const done = completionOf(job);
      await finish(job.jobId, done.status, done.message);
    } catch (err) {
      if (err instanceof LeaseLost) {
        logger.warn('import job taken over by another runner', { jobId: claimed.jobId });
        return;
      }
      // A fault of this process (database gone ...): the lease runs out and the job resumes later.
      logger.error('import job interrupted', { jobId: claimed.jobId, error: errorText(err) });
    }
  }

  /**
   * Imports one chunk; true when the job turned out to be stopping (and is now Stopped) or
   * otherwise ended. `previous` is the batch before it, still in flight when pipelined.
   */
  async function importBatch(
    jobId: string,
    poolId: string,
    settings: PoolSettings,
    layout: CsvLayout,
    chunk: CsvChunk,
    previous: Promise<boolean>,
    handOver: { after: Promise<void>; done: () => void },
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      // Only the commit's promise is kept while it runs, not the rows decided: several batches
      // are in flight at once, and each one's objects would otherwise stay on the heap until
      // its commit (a retry decides the chunk again).
      let sent: { committed: Promise<boolean> };
      try {
        sent = await sendBatch(jobId, poolId, settings, layout, chunk, attempt === 1 ? handOver.after : undefined);
      } finally {
        handOver.done();
      }
      const { committed } = sent;
      try {
        if (await committed) return false;
      } catch (err) {
        if (!(err instanceof UniqueViolation) || attempt >= BATCH_ATTEMPTS) throw err;
        // A user of this chunk was created meanwhile (by a request, or by the batch before this
        // one when the file names a user twice): decide again once that batch is in.
        await previous.catch(() => undefined);
        continue;
      }
      // The job was not where this batch expected it: see why once the batch before has settled.
      await previous.catch(() => undefined);
      const outcome = await recheck(jobId, poolId, chunk.seq);
      if (outcome !== 'again') return outcome;
      if (attempt >= BATCH_ATTEMPTS) throw new Error(`import job ${jobId}: chunk ${chunk.seq} could not be committed in ${BATCH_ATTEMPTS} attempts`);
    }
  }

  /**
   * Checks the chunk's rows (the CSV rules need no database: before the transaction, which stays
   * short, in slices between which other requests run), decides them against the users the
   * pool has, and hands the batch to the store.
   */
  async function sendBatch(jobId: string, poolId: string, settings: PoolSettings, layout: CsvLayout, chunk: CsvChunk, after?: Promise<void>): Promise<{ committed: Promise<boolean> }> {
    const outcomes: RowOutcome[] = [];
    const candidates = new Map<number, Candidate>();
    const lines = chunk.data.split('\n');
    let sliceFrom = clock.nowMs();
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i] as string;
      if (text === '') continue;
      const outcome = readRow(settings, layout, chunk.firstLine + i, text, importSub(sliceFrom, random.uuid()));
      outcomes.push(outcome);
      if (outcome.ok) candidates.set(outcome.row.line, candidateOf(settings, outcome.row));
      if ((i & 31) === 31 && clock.nowMs() - sliceFrom >= SLICE_MS) {
        await yieldToOthers();
        sliceFrom = clock.nowMs();
      }
    }
    const keys = [...candidates.values()].map((c) => c.usernameKey);
    const aliasKeys = Object.fromEntries(ALIAS_KINDS.map((kind) => [kind, [...candidates.values()].flatMap((c) => (c.aliases[kind] === null ? [] : [c.aliases[kind] as string]))])) as Record<
      AliasKind,
      string[]
    >;
    const taken = {
      usernames: await store.existingUsernameKeys(poolId, keys),
      aliases: {
        email: aliasKeys.email.length === 0 ? new Set<string>() : await store.takenAliasKeys(poolId, 'email', aliasKeys.email),
        phone_number: aliasKeys.phone_number.length === 0 ? new Set<string>() : await store.takenAliasKeys(poolId, 'phone_number', aliasKeys.phone_number),
        preferred_username: aliasKeys.preferred_username.length === 0 ? new Set<string>() : await store.takenAliasKeys(poolId, 'preferred_username', aliasKeys.preferred_username),
      },
    };
    // The lookups ran on the event loop (the driver is synchronous): requests go first now.
    await yieldToOthers();
    const now = clock.nowMs();
    const plan = planBatch(outcomes, candidates, taken, poolId, now);
    const skipped = plan.refused.filter((r) => r.outcome === 'SKIPPED').length;
    // Batches are checked side by side but handed over in file order: the writer commits them
    // in the order it gets them, and each one's guard expects the one before it committed.
    if (after) await after;
    const committed = store.commitImportBatch({
      jobId,
      poolId,
      worker: workerId,
      seq: chunk.seq,
      users: plan.users,
      mfa: plan.mfa.map((sub) => ({ ...emptyUserMfa(poolId, sub, now), smsEnabled: true })),
      refused: plan.refused.map((r) => ({ jobId, ...r })),
      imported: plan.users.length,
      skipped,
      failed: plan.refused.length - skipped,
      claimedUntil: now + claimTtlMs,
    });
    committed.catch(() => undefined); // awaited by the caller; never an unhandled rejection meanwhile
    return { committed };
  }

  /**
   * After a batch's guard failed: the job stopping, its pool deleted, ended by the batch before,
   * taken over, or (pipelined) the batch before committed only after this one was tried, having
   * been decided again: then this one is tried again ('again').
   */
  async function recheck(jobId: string, poolId: string, seq: number): Promise<boolean | 'again'> {
    return store.transaction(async (tx) => {
      const job = await tx.getImportJob(jobId);
      // Ended by the batch before this one (pipelined: stopped, or its pool deleted): nothing more to do.
      if (job !== undefined && job.claimedBy === null && (job.status === 'Stopped' || job.status === 'Failed')) return true;
      if (!job || job.claimedBy !== workerId) throw new LeaseLost();
      const now = clock.nowMs();
      if (job.status === 'Stopping') {
        await closeJob(tx, job, 'Stopped', withSummary(COMPLETION.stopped, job), now);
        return true;
      }
      // "The job fails on ... a deleted pool" (DG23).
      if (!(await tx.getPool(poolId))) {
        await closeJob(tx, job, 'Failed', POOL_GONE, now);
        return true;
      }
      if (job.status === 'InProgress' && job.nextChunk === seq) return 'again';
      // Progress moves one chunk at a time: a batch whose predecessor did not commit must not either.
      throw new Error(`import job ${jobId}: chunk ${seq} out of order (next is ${job.nextChunk}, ${job.status})`);
    });
  }

  async function write(jobId: string, change: (job: ImportJobRecord) => ImportJobRecord): Promise<void> {
    await store.transaction(async (tx) => {
      const job = await tx.getImportJob(jobId);
      if (!job || job.claimedBy !== workerId) throw new LeaseLost();
      if (!(await tx.updateImportJob(change(job), workerId))) throw new LeaseLost();
    });
  }

  async function finish(jobId: string, status: 'Succeeded' | 'Failed' | 'Stopped', message: string): Promise<void> {
    await store.transaction(async (tx) => {
      const job = await tx.getImportJob(jobId);
      if (!job || job.claimedBy !== workerId) throw new LeaseLost();
      await closeJob(tx, job, status, message, clock.nowMs());
    });
  }

  /** The job's end: final status and message, the lease let go, the file deleted (AWS keeps no data of a finished job). */
  async function closeJob(tx: StoreTx, job: ImportJobRecord, status: 'Succeeded' | 'Failed' | 'Stopped', message: string, now: number): Promise<void> {
    await tx.updateImportJob({ ...job, status, completionMessage: message, completedAt: now, claimedBy: null, claimedUntil: null }, workerId);
    await tx.deleteImportChunks(job.jobId);
  }

  /** Hands the job back without waiting for its lease to run out. */
  async function release(jobId: string): Promise<void> {
    await write(jobId, (job) => ({ ...job, claimedBy: null, claimedUntil: null }));
  }

  return {
    start() {
      if (started) return;
      started = true;
      schedule(0);
    },
    wake() {
      schedule(0);
    },
    async runOnce() {
      await runAll();
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
