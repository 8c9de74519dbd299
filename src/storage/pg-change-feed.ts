import pg from 'pg';
import { requestsArrived } from '../kernel/request-epoch.js';
import { createReadCache, type ReadCache } from './read-cache.js';
import type { TableChanged } from './written-table.js';

/**
 * The read cache on PostgreSQL (read-cache.ts), where several instances write one database.
 * A read after a write sees it, whichever instance wrote and whichever reads:
 *
 * - This instance's writes are reported by its own connections as each statement returns
 *   (pg-reporting-dialect.ts: `changed`), before the writer continues.
 * - Every commit that writes a cached table sends a NOTIFY naming the table, from a trigger
 *   (migration 20261208-4), on a channel of the schema. One connection of its own per store
 *   LISTENs and empties that table's entries. PostgreSQL queues a transaction's notifications
 *   before its commit is acknowledged and delivers them in commit order.
 * - Notifications arrive when they arrive: a barrier makes them exact. When a request has
 *   arrived since the last barrier was sent (kernel/request-epoch.ts), its first cached read
 *   sends `select 1` on the listening connection and waits for the answer; the server sends
 *   every notification already queued for the connection before it (it delivers them before
 *   ReadyForQuery), so every commit acknowledged before the request arrived has emptied its
 *   entries by then. One barrier serves every request that arrived before it was sent: one
 *   round trip of the listening connection per burst of requests, instead of a query per read.
 *   Reads made outside any request (background work) use what the notifications have said.
 * - Without a listening connection (lost, not yet back) nothing is kept and every read goes to
 *   the database: notifications sent meanwhile are lost. The connection is made again after a
 *   pause, and the cache emptied once it listens again. A barrier that fails or takes longer
 *   than BARRIER_TIMEOUT_MS counts as a lost connection.
 * - Reads inside a transaction always go to the database: their read-modify-write must see
 *   every commit, and may see the transaction's own uncommitted writes.
 */
export interface ChangeFeed {
  cache: ReadCache;
  /** Where this instance's connections report the tables their statements changed. */
  changed: TableChanged;
  close(): Promise<void>;
}

/** A barrier slower than this ends the listening connection: the server or the network is gone. */
const BARRIER_TIMEOUT_MS = 5_000;
/** Pauses between attempts to listen again, doubling from the first to the last. */
const RECONNECT_FIRST_MS = 50;
const RECONNECT_MAX_MS = 5_000;

export async function startChangeFeed(connection: pg.ClientConfig): Promise<ChangeFeed> {
  const inner = createReadCache(() => 0);
  let client: pg.Client | undefined;
  let live = false;
  let closed = false;
  let retryMs = RECONNECT_FIRST_MS;
  let retry: NodeJS.Timeout | undefined;
  // Requests that arrived before the last barrier that answered was sent.
  let covered = -1;
  let running: { at: number; done: Promise<boolean> } | undefined;
  let next: Promise<boolean> | undefined;

  const lost = (which: pg.Client) => {
    if (which !== client) return;
    client = undefined;
    live = false;
    covered = -1;
    running = undefined;
    next = undefined;
    inner.changed(undefined);
    which.end().catch(() => undefined);
    if (!closed) {
      retry = setTimeout(() => void listen(), retryMs);
      retry.unref();
      retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS);
    }
  };

  const listen = async (): Promise<void> => {
    retry = undefined;
    const candidate = new pg.Client({ ...connection, keepAlive: true });
    client = candidate;
    candidate.on('error', () => lost(candidate));
    candidate.on('end', () => lost(candidate));
    try {
      await candidate.connect();
      // The trigger's channel: tg_table_schema is the schema this store's tables live in.
      const { rows } = await candidate.query<{ channel: string }>("select 'userpoold_' || md5(current_schema()) as channel");
      const channel = rows[0]?.channel as string;
      candidate.on('notification', (message) => {
        if (message.channel === channel && candidate === client) inner.changed(message.payload);
      });
      await candidate.query(`listen "${channel}"`);
    } catch {
      lost(candidate);
      return;
    }
    if (candidate !== client || closed) return;
    // Whatever was written while no connection listened is forgotten.
    inner.changed(undefined);
    live = true;
    retryMs = RECONNECT_FIRST_MS;
  };

  /** One `select 1` on the listening connection; true once it answered there. */
  const send = (): Promise<boolean> => {
    const on = client;
    if (on === undefined || !live) return Promise.resolve(false);
    const at = requestsArrived();
    const done = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        resolve(false);
        lost(on);
      }, BARRIER_TIMEOUT_MS);
      on.query('select 1').then(
        () => {
          clearTimeout(timer);
          if (on === client && at > covered) covered = at;
          resolve(on === client);
        },
        () => {
          clearTimeout(timer);
          resolve(false);
          lost(on);
        },
      );
    });
    const entry = { at, done };
    running = entry;
    void done.then(() => {
      if (running === entry) running = undefined;
    });
    return done;
  };

  /**
   * Undefined when a barrier already answered for every request that has arrived. Otherwise
   * the barrier under way if it was sent after the last arrival, or else the one that follows
   * it, shared by every request arriving meanwhile (one query at a time on the connection).
   */
  const barrier = (): Promise<boolean> | undefined => {
    const arrived = requestsArrived();
    if (arrived <= covered) return undefined;
    if (running === undefined) return send();
    if (running.at >= arrived) return running.done;
    if (next === undefined) {
      const following: Promise<boolean> = running.done.then(() => {
        if (next === following) next = undefined;
        return send();
      });
      next = following;
    }
    return next;
  };

  const cache: ReadCache = {
    read(tag, key, load, inTransaction) {
      if (inTransaction || !live) return load();
      const waiting = barrier();
      if (waiting === undefined) return inner.read(tag, key, load);
      return waiting.then((answered) => (answered && live ? inner.read(tag, key, load) : load()));
    },
    drop: (key) => inner.drop(key),
    changed: (table) => inner.changed(table),
  };

  await listen();
  return {
    cache,
    changed: (table) => inner.changed(table),
    async close() {
      closed = true;
      live = false;
      if (retry !== undefined) clearTimeout(retry);
      const last = client;
      client = undefined;
      await last?.end().catch(() => undefined);
    },
  };
}
