import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../src/config.js';
import { createArgon2Hasher } from '../src/services/password-hasher.js';
import { cryptoRandom } from '../src/services/random.js';
import { openSqliteStore } from '../src/storage/sqlite.js';
import type { PoolRecord, Store } from '../src/storage/store.js';
import { runLoad, type LoadResult } from './load.js';
import { createPool, seedUsers, seededEmail, seededUsername } from './seed.js';

/**
 * The core benchmark: one pool grown to each size in turn by bulk inserts, then, through HTTP
 * against the server in its own process (default configuration, so default argon2 cost):
 * AdminCreateUser, AdminGetUser, and ListUsers by exact email and by email prefix.
 */
export interface CoreOptions {
  sizes: readonly number[];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  log: (line: string) => void;
}

export interface CoreRow extends LoadResult {
  poolSize: number;
  scenario: string;
}

const SERVER = fileURLToPath(new URL('../test/support/run-server.ts', import.meta.url));
const TEMP_PASSWORD = 'Temp0rary!pass';

export async function runCore(options: CoreOptions): Promise<CoreRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-bench-'));
  const rows: CoreRow[] = [];
  try {
    const config = defaultConfig();
    const hasher = createArgon2Hasher({ memoryKib: config.argon2MemoryKib, iterations: config.argon2Iterations, parallelism: config.argon2Parallelism });
    const passwordHash = await hasher.hash('Seeded-passw0rd!');
    const now = Date.now();
    let pool: PoolRecord | undefined;
    let seeded = 0;
    for (const size of options.sizes) {
      const store = await openSqliteStore(dataDir);
      pool ??= await createPool(store, cryptoRandom, 'bench', now);
      const seedStart = performance.now();
      await seedUsers(store, cryptoRandom, pool, seeded, size, passwordHash, now);
      options.log(`seeded users ${seeded}..${size} in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
      seeded = size;
      const poolSize = await store.countUsers(pool.id);
      for (const probe of await probeStore(store, pool.id, seeded)) {
        options.log(`${poolSize} users, store ${probe.name}: median ${probe.medianUs.toFixed(0)} µs`);
        rows.push({ poolSize, scenario: `store ${probe.name}`, requests: 0, errors: 0, requestsPerSecond: NaN, p50Ms: probe.medianUs / 1000, p99Ms: probe.p99Us / 1000, maxMs: NaN });
      }
      await store.close();

      const server = await startServer(dataDir);
      try {
        for (const [scenario, target, bodies, cycle] of scenarios(pool.id, seeded, size)) {
          const result = await runLoad({ url: server.url, target, bodies, cycle, concurrency: options.concurrency, warmupMs: options.warmupMs, durationMs: options.durationMs });
          options.log(`${poolSize} users, ${scenario}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, max ${result.maxMs.toFixed(1)} ms, errors ${result.errors}${result.firstError ? ` (${result.firstError})` : ''}`);
          rows.push({ poolSize, scenario, ...result });
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

type Scenario = [name: string, target: string, bodies: string[], cycle: boolean];

function scenarios(poolId: string, seeded: number, size: number): Scenario[] {
  const run = randomUUID().slice(0, 8);
  const creates = Array.from({ length: 20_000 }, (_, i) =>
    JSON.stringify({
      UserPoolId: poolId,
      Username: `new-${size}-${run}-${i}`,
      TemporaryPassword: TEMP_PASSWORD,
      UserAttributes: [{ Name: 'email', Value: `new-${size}-${run}-${i}@example.net` }],
    }),
  );
  const someone = () => randomInt(0, seeded);
  const gets = Array.from({ length: 10_000 }, () => JSON.stringify({ UserPoolId: poolId, Username: seededUsername(someone()) }));
  const exact = Array.from({ length: 10_000 }, () => JSON.stringify({ UserPoolId: poolId, Filter: `email = "${seededEmail(someone())}"` }));
  // "user123" matches user123, user1230..1239, user12300..12399, ...: 11 users at 10k, 111 at 100k.
  // Limit 10 keeps the page the same size at every pool size, so only the lookup differs.
  const prefix = Array.from({ length: 10_000 }, () =>
    JSON.stringify({ UserPoolId: poolId, Filter: `email ^= "user${randomInt(100, 1000)}"`, Limit: 10 }),
  );
  return [
    ['AdminCreateUser', 'AdminCreateUser', creates, false],
    ['AdminGetUser', 'AdminGetUser', gets, true],
    ['ListUsers email =', 'ListUsers', exact, true],
    ['ListUsers email ^= (Limit 10)', 'ListUsers', prefix, true],
  ];
}

async function startServer(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SERVER, '--port', '0', '--data-dir', dataDir, '--log-level', 'error'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    void exited.then(() => reject(new Error('server exited before listening')));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The store's own cost of each lookup, one at a time in this process, without HTTP or JSON:
 * whether the indexes keep lookups flat is easier to see here than through a loaded server.
 */
async function probeStore(store: Store, poolId: string, seeded: number): Promise<{ name: string; medianUs: number; p99Us: number }[]> {
  const probes: [string, () => Promise<unknown>][] = [
    ['get by username', () => store.getUserByUsernameKey(poolId, seededUsername(randomInt(0, seeded)))],
    ['list email =', () => store.listUsers(poolId, { limit: 61, filter: { column: 'email', op: '=', value: seededEmail(randomInt(0, seeded)) } })],
    ['list email ^= (10)', () => store.listUsers(poolId, { limit: 11, filter: { column: 'email', op: '^=', value: `user${randomInt(100, 1000)}` } })],
  ];
  const out = [];
  for (const [name, probe] of probes) {
    const times: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      const t = performance.now();
      await probe();
      times.push((performance.now() - t) * 1000);
    }
    times.sort((a, b) => a - b);
    out.push({ name, medianUs: times[times.length >> 1] as number, p99Us: times[Math.floor(times.length * 0.99)] as number });
  }
  return out;
}
