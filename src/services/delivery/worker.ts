import type { Config } from '../../kernel/config.js';
import type { OutboxRecord } from '../../ports/outbox.js';
import type { Store } from '../../ports/store.js';
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { Random } from '../../kernel/random.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import { retryDelayMs } from './backoff.js';
import { openPayload, type MessagePayload } from './message-view.js';
import { renderEmail, renderSms, secretOf } from './placeholders.js';
import { PermanentDeliveryError, type EmailTransport, type SmsTransport } from './transport.js';
import type { NotificationLog } from './notification-log.js';
import type { CustomSenderTransport } from './custom-sender-transport.js';

type Channel = OutboxRecord['channel'];

export interface DeliveryWorkerOptions {
  store: Store;
  clock: Clock;
  random: Random;
  secrets: SecretBox;
  logger: Logger;
  config: Pick<Config, 'deliveryMaxAttempts' | 'deliveryBackoffMs' | 'deliveryPollMs' | 'deliveryClaimTtlMs'>;
  email?: EmailTransport | undefined;
  sms?: SmsTransport | undefined;
  /** Delivers the messages routed to pools' CustomEmailSender/CustomSMSSender functions. */
  customSender?: CustomSenderTransport | undefined;
  /** Written into the rows this worker claims; unique per process. */
  workerId: string;
  /** A send that takes longer counts as a failed try; by default half the claim, so it ends inside it. */
  sendTimeoutMs?: number;
  /** Sends running at once (and so rows claimed at once). */
  concurrency?: number;
  /** Where failed tries are reported for pools that ask (SetLogDeliveryConfiguration); unset: nowhere. */
  notificationLog?: NotificationLog | undefined;
}

export interface DeliveryWorker {
  readonly workerId: string;
  /** The channels this worker delivers: those with a transport. Others stay pending, untouched. */
  readonly channels: readonly Channel[];
  /** Begins polling (and delivers what is already due, e.g. after a restart). */
  start(): void;
  /** A message was queued: look now rather than at the next poll. */
  wake(): void;
  /** Delivers everything due now and waits for every send in flight; resolves to the number of tries it began. */
  runOnce(): Promise<number>;
  /** Stops claiming and lets the sends in flight finish (waiting up to `timeoutMs`). */
  drain(timeoutMs?: number): Promise<void>;
  /** drain(), then closes the transports. */
  stop(timeoutMs?: number): Promise<void>;
}

const MAX_SEND_TIMEOUT_MS = 60_000;
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
const MAX_ERROR_LENGTH = 200;

type Outcome = { delivered: true } | { delivered: false; permanent: boolean; reason: string };

/**
 * Takes due messages from the outbox and hands each to the transport of its channel, at least
 * once: a row is claimed for a while, and a worker that dies mid-send leaves it to be claimed
 * again when the claim runs out. Failed tries are retried with a doubling delay until
 * deliveryMaxAttempts; the row records every try, never the code.
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { store, clock, random, secrets, logger, config, email, sms, workerId } = options;
  const claimTtlMs = config.deliveryClaimTtlMs;
  const sendTimeoutMs = options.sendTimeoutMs ?? Math.min(MAX_SEND_TIMEOUT_MS, Math.floor(claimTtlMs / 2));
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const channels: Channel[] = [];
  if (email) channels.push('EMAIL');
  if (sms) channels.push('SMS');
  if (options.customSender) channels.push('CustomEmailSender', 'CustomSMSSender');

  let started = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  // Sends in flight, at most `concurrency`: a slow or hanging one holds its lane only, and a
  // lane that frees up is refilled without waiting for the others.
  const active = new Set<Promise<void>>();
  // One claim query at a time, shared by whoever asks while it runs.
  let claiming: Promise<number> | undefined;

  function fillLanes(): Promise<number> {
    if (claiming) return claiming;
    const run = claimAndBegin();
    claiming = run;
    const done = () => {
      if (claiming === run) claiming = undefined;
    };
    run.then(done, done);
    return run;
  }

  /** Claims as many due rows as there are free lanes and begins sending them; resolves to how many. */
  async function claimAndBegin(): Promise<number> {
    let begun = 0;
    while (!stopping && channels.length > 0 && active.size < concurrency) {
      const free = concurrency - active.size;
      const now = clock.nowMs();
      // One statement, atomic on its own (storage/kysely/outbox.ts): no transaction around it, so
      // a poll takes no place in the transactions of requests (on SQLite it would join their
      // batch; user-existence.test.ts sees a request's transactions and nothing of the outbox's).
      const rows = await store.claimMessages(workerId, now, now + claimTtlMs, free, channels);
      for (const row of rows) begin(row);
      begun += rows.length;
      if (rows.length < free) break;
    }
    return begun;
  }

  function begin(row: OutboxRecord): void {
    const send = deliverOne(row)
      .catch((err: unknown) => logger.warn('delivery failed unexpectedly', { id: row.id, error: errorText(err) }))
      .finally(() => {
        active.delete(send);
        // A free lane: there may be more waiting.
        schedule(0);
      });
    active.add(send);
  }

  /** Everything due now, tried, and each try recorded. */
  async function runOnce(): Promise<number> {
    let tries = 0;
    for (;;) {
      tries += await fillLanes();
      if (active.size === 0) return tries;
      await Promise.all([...active]);
    }
  }

  function schedule(delayMs: number): void {
    if (!started || stopping || channels.length === 0) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, delayMs);
    // The outbox is durable: a pending poll is no reason to keep the process alive.
    timer.unref();
  }

  function tick(): void {
    timer = undefined;
    fillLanes()
      .catch((err: unknown) => logger.warn('delivery poll failed', { error: errorText(err) }))
      .finally(() => {
        // A wake() or a finished send meanwhile has already set a sooner timer; keep it.
        if (timer === undefined) schedule(config.deliveryPollMs);
      });
  }

  async function deliverOne(row: OutboxRecord): Promise<void> {
    const outcome = await attempt(row);
    const now = clock.nowMs();
    const attempts = row.attempts + 1;
    let updated: OutboxRecord;
    if (outcome.delivered) {
      updated = { ...row, state: 'delivered', attempts, deliveredAt: now, claimedUntil: null };
    } else {
      const failed = outcome.permanent || attempts >= config.deliveryMaxAttempts;
      const jitter = random.int(0, 1000) / 1000;
      updated = {
        ...row,
        state: failed ? 'failed' : 'pending',
        attempts,
        lastError: outcome.reason,
        nextAttemptAt: failed ? row.nextAttemptAt : now + retryDelayMs(attempts, config.deliveryBackoffMs, jitter),
        claimedBy: null,
        claimedUntil: null,
      };
    }
    try {
      await store.updateMessage(updated);
    } catch (err) {
      // The claim will lapse and the row be tried again: at-least-once, never lost.
      logger.warn('could not record a delivery try', { id: row.id, error: errorText(err) });
      return;
    }
    const fields = { id: row.id, channel: row.channel, state: updated.state, attempts };
    if (outcome.delivered) logger.info('message delivered', fields);
    else {
      logger.warn('message not delivered', { ...fields, error: outcome.reason, nextAttemptAt: updated.state === 'pending' ? updated.nextAttemptAt : undefined });
      await options.notificationLog?.failed(row, { attempts, willRetry: updated.state === 'pending', reason: outcome.reason });
    }
  }

  async function attempt(row: OutboxRecord): Promise<Outcome> {
    let payload: MessagePayload;
    try {
      payload = openPayload(row, secrets);
    } catch {
      return { delivered: false, permanent: true, reason: 'the sealed payload cannot be opened (was the server key replaced?)' };
    }
    // A code that no longer works is not worth sending (a transport configured after a backlog
    // built up must not mail dead codes), nor worth retrying.
    if (payload.expiresAt !== undefined && clock.nowMs() >= payload.expiresAt) {
      return { delivered: false, permanent: true, reason: 'expired before it could be delivered' };
    }
    try {
      await withTimeout(send(row, payload), sendTimeoutMs);
      return { delivered: true };
    } catch (err) {
      return { delivered: false, permanent: err instanceof PermanentDeliveryError, reason: redact(errorText(err), payload, row) };
    }
  }

  function send(row: OutboxRecord, payload: MessagePayload): Promise<void> {
    if (row.channel === 'CustomEmailSender' || row.channel === 'CustomSMSSender') {
      if (!options.customSender) throw new Error('no custom sender transport');
      return options.customSender.send(row, payload);
    }
    if (row.channel === 'EMAIL') {
      if (!email) throw new Error('no email transport');
      const { subject, body } = renderEmail(row.trigger, row.username, payload);
      return email.send({ messageId: row.id, to: row.destination, from: payload.from, replyTo: payload.replyTo, subject, body });
    }
    if (!sms) throw new Error('no SMS transport');
    return sms.send({ messageId: row.id, to: row.destination, text: renderSms(row.trigger, row.username, payload) });
  }

  return {
    workerId,
    channels,
    start() {
      if (started || stopping) return;
      started = true;
      if (channels.length === 0) {
        logger.info('delivery worker idle: no email or SMS transport configured; messages stay in the outbox');
        return;
      }
      logger.info('delivery worker started', { workerId, channels });
      schedule(0);
    },
    wake() {
      schedule(0);
    },
    runOnce,
    drain,
    async stop(timeoutMs) {
      await drain(timeoutMs);
      for (const transport of [email, sms]) {
        await transport?.close?.().catch((err: unknown) => logger.warn('closing a transport failed', { error: errorText(err) }));
      }
    },
  };

  async function drain(timeoutMs = DEFAULT_DRAIN_TIMEOUT_MS): Promise<void> {
    stopping = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      deadline = setTimeout(() => resolve('timeout'), timeoutMs);
      deadline.unref();
    });
    const settled = (async () => {
      await claiming?.catch(() => undefined);
      await Promise.all([...active]);
      return 'done' as const;
    })();
    const result = await Promise.race([settled, timedOut]);
    clearTimeout(deadline);
    // Whatever is still sending keeps its claim; another worker takes the row when it lapses.
    if (result === 'timeout') logger.warn('delivery drain timed out; unfinished sends will be retried', { workerId });
  }
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`send timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * What a row and the log may say about a failure: one short line without the code, the
 * temporary password or the text of the message, even if a transport echoed them.
 */
function redact(text: string, payload: MessagePayload, row: OutboxRecord): string {
  let out = text.replace(/\s+/g, ' ').trim();
  const secrets = [secretOf(row.trigger, payload), payload.code, payload.temporaryPassword, payload.body];
  for (const secret of secrets) {
    if (secret !== undefined && secret.length > 0) out = out.split(secret).join('***');
  }
  if (out === '') out = 'unknown error';
  return out.length > MAX_ERROR_LENGTH ? `${out.slice(0, MAX_ERROR_LENGTH - 1)}…` : out;
}
