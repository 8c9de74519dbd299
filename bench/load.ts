import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

/**
 * A closed-loop load generator on undici keep-alive connections: `concurrency` connections,
 * each with one request in flight, sending the next as soon as the answer arrives. Requests are
 * built (and signed) before the clock starts, so the loop only writes bytes and reads answers.
 * Only the measured window counts; the warm-up fills connections, caches and the JIT.
 */
export interface PreparedRequest {
  headers: Record<string, string>;
  body: string;
  /** POST unless given (the OAuth 2.0 endpoints also take GET; a GET sends no body). */
  method?: 'GET' | 'POST';
  /** `/` (the API) unless given, e.g. `/<poolId>/oauth2/token`. */
  path?: string;
}

export interface Answer {
  status: number;
  text: string;
  /** The Location header of a redirect. */
  location?: string | undefined;
}

export type Send = (request: PreparedRequest) => Promise<Answer>;

/**
 * One unit of work: usually one request, or a round trip of several (SRP). Resolves to an
 * error description, or undefined when it succeeded; `null` when there is no more work
 * (one-time inputs such as reset codes ran out), which stops that connection.
 */
export type Step = (send: Send) => Promise<string | undefined | null>;

export interface LoadOptions {
  /** Several instances: the connections go to them in turn (connection k to instance k mod n). */
  url: string | readonly string[];
  step: Step;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  /** Steps completed inside the measured window. */
  requests: number;
  /** Steps completed in all, warm-up included (for costs measured over the whole run). */
  completed: number;
  errors: number;
  firstError?: string | undefined;
  /** Set when one-time inputs ran out before the window ended. */
  exhausted?: boolean | undefined;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const urls = typeof options.url === 'string' ? [options.url] : options.url;
  const perInstance = Math.ceil(options.concurrency / urls.length);
  const pools = urls.map((url) => new Pool(url, { connections: perInstance, pipelining: 1, keepAliveTimeout: 60_000 }));
  const sender = (pool: Pool): Send => async (request) => {
    const method = request.method ?? 'POST';
    const res = await pool.request({ path: request.path ?? '/', method, headers: request.headers, body: method === 'GET' ? undefined : request.body });
    const location = res.headers.location;
    return { status: res.statusCode, text: await res.body.text(), location: Array.isArray(location) ? location[0] : location };
  };
  const senders = pools.map(sender);

  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const stopAt = measureFrom + options.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let exhausted = false;
  let lastDone = measureFrom;
  let completed = 0;

  const worker = async (_: unknown, k: number) => {
    const send = senders[k % senders.length] as Send;
    while (performance.now() < stopAt && !exhausted) {
      const sent = performance.now();
      let failed: string | undefined | null;
      try {
        failed = await options.step(send);
      } catch (err) {
        failed = String(err);
      }
      const done = performance.now();
      if (failed === null) {
        exhausted = true;
        break;
      }
      completed++;
      if (sent < measureFrom || done > stopAt) continue;
      lastDone = Math.max(lastDone, done);
      latencies.push(done - sent);
      if (failed !== undefined) {
        errors++;
        firstError ??= failed;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  await Promise.all(pools.map((pool) => pool.close()));

  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  // When the inputs ran out early, the rate is over the time actually measured.
  const windowMs = exhausted ? Math.max(1, lastDone - measureFrom) : options.durationMs;
  return {
    requests: latencies.length,
    completed,
    errors,
    firstError,
    exhausted,
    requestsPerSecond: latencies.length / (windowMs / 1000),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
  };
}

/** A step that sends prepared requests in turn (cycling when `cycle`), expecting 200. */
export function sequence(requests: readonly PreparedRequest[], cycle: boolean): Step {
  let next = 0;
  return async (send) => {
    if (next >= requests.length) {
      if (!cycle || requests.length === 0) return null;
      next = 0;
    }
    const res = await send(requests[next++] as PreparedRequest);
    return res.status === 200 ? undefined : `${res.status} ${res.text.slice(0, 200)}`;
  };
}
