import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * A closed-loop HTTP load generator: `concurrency` workers on keep-alive connections, each
 * sending its next pre-built body as soon as the previous answer arrives. Only the measured
 * window counts; the warm-up fills connections, caches and the JIT.
 */
export interface LoadOptions {
  url: string;
  target: string;
  /** Request bodies, pre-serialized; taken in turn across all workers. */
  bodies: readonly string[];
  /** Start over when the bodies run out (reads); otherwise running out is an error (creations). */
  cycle: boolean;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  firstError?: string | undefined;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const { hostname, port } = new URL(options.url);
  const headers = {
    'Content-Type': 'application/x-amz-json-1.1',
    'X-Amz-Target': `AWSCognitoIdentityProviderService.${options.target}`,
  };
  let next = 0;
  const takeBody = () => {
    if (options.cycle) next %= options.bodies.length;
    if (next >= options.bodies.length) throw new Error(`${options.target}: ran out of pre-built bodies (${options.bodies.length})`);
    return options.bodies[next++] as string;
  };

  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const stopAt = measureFrom + options.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;

  const send = (body: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ agent, hostname, port, method: 'POST', path: '/', headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });

  const worker = async () => {
    while (performance.now() < stopAt) {
      const body = takeBody();
      const sent = performance.now();
      let failed: string | undefined;
      try {
        const res = await send(body);
        if (res.status !== 200) failed = `${res.status} ${res.text.slice(0, 200)}`;
      } catch (err) {
        failed = String(err);
      }
      const done = performance.now();
      if (sent < measureFrom || done > stopAt) continue;
      latencies.push(done - sent);
      if (failed !== undefined) {
        errors++;
        firstError ??= failed;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    requests: latencies.length,
    errors,
    firstError,
    requestsPerSecond: latencies.length / (options.durationMs / 1000),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
  };
}
