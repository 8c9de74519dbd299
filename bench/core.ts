import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../src/kernel/config.js';
import { createArgon2Hasher } from '../src/services/passwords/password-hasher.js';
import { postgresDatabase, sqliteDatabase, type BenchDialect } from './databases.js';
import { COGNITO_LOCAL_VERSION, installCognitoLocal, startCognitoLocal } from './cognito-local.js';
import { motoVersion, startMoto, type Peer } from './moto.js';
import { argon2Rate, bareHttp, rs256Rate } from './limits.js';
import { runLoad, type LoadResult } from './load.js';
import { bundle, mainThreadCpuUs, SERVER_ENTRY, spawnServer, type ServerProcess } from './process.js';
import { createPool, issueResetCodes, seedUsers } from './seed.js';
import { createPreparer, type Credentials } from './sign.js';
import { srpStep } from './srp.js';
import { isHotPath, prepareHotPaths, type HotPaths } from './hot-paths.js';
import { buildScenarios, CLASS, LOOKUP_CLASSES, usersOfClass, type Scenario } from './workloads.js';
import { defaultThreadPoolSize, threadPoolSize } from '../src/kernel/thread-pool-size.js';

/**
 * The whole benchmark: the physical limits, then userpoold with one pool grown to each size
 * in turn (bulk seeding between phases, fresh server processes per phase), then the peers at
 * their sizes with the same workloads. Returns everything measured; run.ts prints it.
 * On PostgreSQL each size is measured with each instance count in turn, on one database.
 */
export interface BenchOptions {
  sizes: readonly number[];
  peerSizes: readonly number[];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Sign the operations AWS signs (SigV4), with a credentials file given to the server. */
  sign: boolean;
  /** Write a CPU profile of each userpoold server process here. */
  profileDir?: string | undefined;
  /** Only scenarios whose name contains one of these. */
  only?: readonly string[] | undefined;
  quick: boolean;
  /** SQLite in a temporary folder, or a PostgreSQL database created for the run and dropped after. */
  dialect: BenchDialect;
  /** Server processes sharing the database, one phase per count (more than 1 only on PostgreSQL). */
  instances: readonly number[];
  /** Another server entry (e.g. a copy of an older tree), for before/after comparisons. */
  serverEntry?: string | undefined;
  log: (line: string) => void;
}

export interface Row extends LoadResult {
  server: string;
  /** Server CPU time per request (all its threads), when the server reports it. */
  cpuUsPerRequest?: number | undefined;
  poolSize: number;
  instances: number;
  scenario: string;
  passwordBound: boolean;
  /** RS256 signatures per step (the OAuth token workloads), for the comparison with the signing rate. */
  signsPerStep?: number | undefined;
  /**
   * Password-bound rows: the raw argon2id rate measured right after the row ran, the server idle.
   * The rate measured at the start of a run was minutes old by then, and on a shared host it
   * moved by 72–84 hashes/s between runs (bench/RESULTS.md, session 8): ±7% of the comparison.
   */
  hashesPerSecondNextTo?: number | undefined;
}

export interface PhaseFacts {
  poolSize: number;
  instances: number;
  /** Undefined for the later instance counts of a size, which reuse its users. */
  seedMs: number | undefined;
  dbBytes: number;
  spawnToListenMs: number;
  createAppToListenMs: number | undefined;
  maxRssKib: number | undefined;
}

export interface BenchReport {
  bare: LoadResult;
  argon2: { hashesPerSecond: number; medianMs: number; inFlight: number };
  rs256: { signaturesPerSecond: number; medianMs: number; inFlight: number };
  threadPool: number;
  dialect: BenchDialect;
  rows: Row[];
  phases: PhaseFacts[];
  peers: string[];
}

/** Lookups (4 in flight) while 16 password sign-ins run: whether hashing blocks the event loop. */
export const MIXED = 'Lookups (4 in flight) during 16 sign-ins';
export const MIXED_WRITES = 'Updates (4 in flight) during 16 sign-ins';

/** What the PostgreSQL runs measure unless --only says otherwise: the workloads common to both dialects' sections. */
const POSTGRES_SCENARIOS = [
  'AdminGetUser',
  'ListUsers email =',
  'ListUsers email ^= (Limit 10)',
  'AdminUpdateUserAttributes',
  'AdminResetUserPassword',
  'ForgotPassword',
  'ConfirmForgotPassword',
  'InitiateAuth USER_PASSWORD_AUTH',
];

const CREDENTIALS: Credentials = { accessKeyId: 'AKIABENCHMARK0000001', secretAccessKey: 'bench-secret-access-key-not-a-real-one' };

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const { log } = options;
  const load = { concurrency: options.concurrency, warmupMs: options.warmupMs, durationMs: options.durationMs };
  const config = defaultConfig();
  const rows: Row[] = [];
  const phases: PhaseFacts[] = [];
  const peers: string[] = [];
  // The hot-path workloads (hot-paths.ts) run only when --only names them.
  const wanted = (s: Scenario) =>
    options.only
      ? options.only.some((o) => s.name.includes(o))
      : !isHotPath(s.name) && (options.dialect === 'sqlite' || POSTGRES_SCENARIOS.includes(s.name));
  if (options.dialect === 'sqlite' && options.instances.some((n) => n !== 1)) throw new Error('several instances need --dialect postgres (SQLite is for one instance)');

  log(`limits: node:http answering {} with ${options.concurrency} requests in flight`);
  const bare = await bareHttp(load);
  log(`  node:http: ${fmt(bare)}`);
  const argon2 = await argon2Rate(config, options.quick ? 3_000 : 8_000);
  log(`  argon2id m=${config.argon2MemoryKib} t=${config.argon2Iterations} p=${config.argon2Parallelism}: ${argon2.hashesPerSecond.toFixed(1)} hashes/s, median ${argon2.medianMs.toFixed(0)} ms, ${argon2.inFlight} in flight (UV_THREADPOOL_SIZE ${threadPoolSize()})`);

  const rs256 = await rs256Rate(options.quick ? 1_500 : 4_000);
  log(`  RS256 (jose, RSA 2048, in-process): ${rs256.signaturesPerSecond.toFixed(0)} signatures/s, median ${rs256.medianMs.toFixed(2)} ms, ${rs256.inFlight} in flight`);

  const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-bench-'));
  const db = options.dialect === 'postgres' ? await postgresDatabase() : sqliteDatabase(dataDir);
  let hot: HotPaths | undefined;
  try {
    const extraArgs: string[] = [...db.serverArgs];
    if (options.sign) {
      const file = join(dataDir, 'bench-credentials.json');
      writeFileSync(
        file,
        JSON.stringify({ principals: [{ name: 'bench', ...CREDENTIALS, policy: { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:*', Resource: '*' }] } }] }),
      );
      extraArgs.push('--credentials-file', file);
    }
    const passwordHash = await createArgon2Hasher({ memoryKib: config.argon2MemoryKib, iterations: config.argon2Iterations, parallelism: config.argon2Parallelism }).hash(
      'Seeded-passw0rd!',
    );
    const now = Date.now();
    const pool = await createPool(db, 'bench', now);
    const entry = await bundle(options.serverEntry ?? SERVER_ENTRY);
    hot = await prepareHotPaths({ db, dataDir, passwordHash, now, wanted: (name) => wanted({ name } as Scenario), log });
    extraArgs.push(...hot.serverArgs);
    let clientId: string | undefined;
    let seeded = 0;
    for (const size of options.sizes) {
      const seedStart = performance.now();
      // Verifiers cost a modular exponentiation each: only the 300 users the SRP round trip uses.
      const srpUsers = (i: number) => i % 10 === CLASS.srp && i - seeded < 10 * 300;
      await seedUsers(db, pool, { from: seeded, to: size, passwordHash, srpUsers }, now);
      const ctxRange = { from: seeded, size };
      let seedMs: number | undefined;
      let dbBytes = 0;
      for (const instances of options.instances) {
        // Codes are spent by ConfirmForgotPassword, so each instance count gets its own. In a
        // small pool its class has too few users for a whole run (100 at 1,000 users, spent in
        // the warm-up), so the lookup classes hold codes too: a new password changes nothing
        // a lookup or an attribute update sees.
        const codeCount = options.quick ? 1_000 : 4_000;
        const holderClasses = size - seeded < 10 * codeCount ? [CLASS.confirm, ...LOOKUP_CLASSES] : [CLASS.confirm];
        const codeHolders = [...new Set(holderClasses.flatMap((cls) => usersOfClass(ctxRange, cls, Math.ceil(codeCount / holderClasses.length))))];
        await issueResetCodes(db, pool, codeHolders, config.resetCodeTtlSeconds * 1000);
        const where = `${size.toLocaleString('en-US')} users${db.dialect === 'postgres' ? `, PostgreSQL, ${instances} instance${instances > 1 ? 's' : ''}` : ''}`;
        if (seedMs === undefined) {
          seedMs = performance.now() - seedStart;
          // Once per size, before any workload has written (later counts find what earlier ones left).
          dbBytes = await db.bytes();
          log(`userpoold, ${where}: seeded ${(size - seeded).toLocaleString('en-US')} in ${(seedMs / 1000).toFixed(1)} s; database ${(dbBytes / 1e6).toFixed(1)} MB, ${(dbBytes / size).toFixed(0)} bytes per user`);
        } else {
          log(`userpoold, ${where}`);
        }
        await hot.beforePhase(pool.id, size, now);
        const profileName = (k: number) => (db.dialect === 'sqlite' ? `userpoold-${size}` : `userpoold-postgres-${size}-${instances}x-${k}`);
        const servers = await Promise.all(
          Array.from({ length: instances }, (_, k) =>
            spawnServer(
              process.execPath,
              [entry, '--port', '0', '--log-level', 'error', '--public-rate-limit-per-ip', '0', '--code-attempt-limit', '1000000', ...extraArgs],
              {
                ipc: true,
                nodeFlags: options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${profileName(k)}.cpuprofile`] : [],
                // What bin/userpoold.js sets before the server starts.
                env: { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? String(defaultThreadPoolSize()) },
              },
            ),
          ),
        );
        const first = servers[0] as ServerProcess;
        const phase: PhaseFacts = {
          poolSize: size,
          instances,
          seedMs: phases.some((p) => p.poolSize === size) ? undefined : seedMs,
          dbBytes,
          spawnToListenMs: Math.max(...servers.map((s) => s.spawnToListenMs)),
          createAppToListenMs: first.extra[0],
          maxRssKib: undefined,
        };
        phases.push(phase);
        log(`  start-up: ${phase.spawnToListenMs.toFixed(0)} ms from spawn to listening, ${first.extra[0]?.toFixed(0)} ms from createApp to listening`);
        const urls = servers.map((s) => s.url);
        const usage = async () => {
          const all = await Promise.all(servers.map((s) => s.usage()));
          if (!all.every((u) => u !== undefined)) return undefined;
          // The event loop's own share (the rest is libuv's pool: hashes, signatures; and V8's threads).
          const loopUs = servers.reduce((sum, s) => sum + (mainThreadCpuUs(s.pid) ?? NaN), 0);
          return { cpuUs: all.reduce((sum, u) => sum + (u?.cpuUs ?? 0), 0), systemUs: all.reduce((sum, u) => sum + (u?.systemUs ?? 0), 0), loopUs };
        };
        try {
          const prepare = createPreparer(first.url, options.sign ? CREDENTIALS : undefined);
          clientId ??= await createClient(first.url, prepare, pool.id);
          const scenarios = await buildScenarios({ poolId: pool.id, clientId, size, from: seeded, codeHolders, prepare }, options.quick);
          const srpHolders = Array.from({ length: size - seeded }, (_, k) => seeded + k).filter(srpUsers);
          scenarios.push({ name: 'USER_SRP_AUTH round trip (2 requests)', common: false, step: srpStep(pool.id, clientId, srpHolders) });
          const createSideClient = (poolId: string) => createClient(first.url, prepare, poolId);
          scenarios.push(...(await hot.scenarios({ url: first.url, prepare, mainPoolId: pool.id, size, createClient: createSideClient })));
          await prewarm(urls, scenarios.filter(wanted), options.quick, log);
          for (const scenario of scenarios.filter(wanted)) {
            const before = await usage();
            const result = await runLoad({ url: urls, step: scenario.step, ...load });
            const after = await usage();
            // Over warm-up and window alike, so divided by every completed request.
            const cpuUsPerRequest = before !== undefined && after !== undefined ? (after.cpuUs - before.cpuUs) / result.completed : undefined;
            // The kernel's part (socket and WAL writes, fsync) apart: JavaScript changes move the rest.
            const systemUs = before !== undefined && after !== undefined ? (after.systemUs - before.systemUs) / result.completed : undefined;
            const loopUs = before !== undefined && after !== undefined ? (after.loopUs - before.loopUs) / result.completed : undefined;
            log(`  ${scenario.name}: ${fmt(result)}${cpuUsPerRequest ? `, server CPU ${cpuUsPerRequest.toFixed(0)} µs/request (system ${systemUs?.toFixed(0)}, event loop ${loopUs?.toFixed(0)})` : ''}`);
            let hashesPerSecondNextTo: number | undefined;
            if (scenario.passwordBound) {
              hashesPerSecondNextTo = (await argon2Rate(config, options.quick ? 2_000 : 4_000)).hashesPerSecond;
              log(`    raw argon2id right after: ${hashesPerSecondNextTo.toFixed(1)} hashes/s (${((100 * result.requestsPerSecond) / hashesPerSecondNextTo).toFixed(0)}%)`);
            }
            rows.push({ server: 'userpoold', poolSize: size, instances, scenario: scenario.name, passwordBound: scenario.passwordBound ?? false, signsPerStep: scenario.signsPerStep, cpuUsPerRequest, hashesPerSecondNextTo, ...result });
          }
          for (const [name, operation] of [
            [MIXED, 'AdminGetUser'],
            [MIXED_WRITES, 'AdminUpdateUserAttributes'],
          ] as const) {
            const mixed = wanted({ name } as Scenario) ? await mixedLoad(urls, scenarios, operation, load) : undefined;
            if (!mixed) continue;
            log(`  ${operation} (4 in flight) while 16 password sign-ins run: ${fmt(mixed)}`);
            rows.push({ server: 'userpoold', poolSize: size, instances, scenario: name, passwordBound: false, ...mixed });
          }
        } finally {
          const peaks = await Promise.all(servers.map((s) => s.stop()));
          phase.maxRssKib = peaks.every((p) => p !== undefined) ? Math.max(...(peaks as number[])) : undefined;
          log(`  peak RSS ${((phase.maxRssKib ?? NaN) / 1024).toFixed(0)} MB${instances > 1 ? ' (the largest instance)' : ''}`);
        }
      }
      seeded = size;
    }
  } finally {
    await hot?.close();
    try {
      await db.drop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  if (options.peerSizes.length > 0) {
    const entry = installCognitoLocal(log);
    if (!entry) peers.push('cognito-local: could not be installed from npm; not compared.');
    else peers.push(`cognito-local ${COGNITO_LOCAL_VERSION} (npm), seeded by writing its JSON data file while stopped.`);
    const moto = motoVersion();
    peers.push(
      moto
        ? `moto ${moto} (moto_server, Python), in memory, seeded through its API (not timed).`
        : "moto: Python's moto is not installed here (PyPI is not reachable from this machine), so moto_server was not measured.",
    );
    const starters: ((size: number) => Promise<Peer>)[] = [];
    if (entry) starters.push((size) => startCognitoLocal(entry, size, options.quick ? 200 : 1_000));
    if (moto) starters.push((size) => startMoto(size, log));
    for (const size of options.peerSizes) {
      for (const start of starters) {
        const peer = await start(size);
        log(`${peer.name}, ${size.toLocaleString('en-US')} users`);
        try {
          const prepare = createPreparer(peer.server.url, undefined);
          const scenarios = await buildScenarios(
            { poolId: peer.poolId, clientId: peer.clientId, size, from: 0, codeHolders: peer.codeHolders, prepare, lacks: peer.lacks as ReadonlySet<never> },
            options.quick,
          );
          await prewarm([peer.server.url], scenarios.filter(wanted), options.quick, log);
          for (const scenario of scenarios.filter(wanted)) {
            const result = await runLoad({ url: peer.server.url, step: scenario.step, ...load });
            log(`  ${scenario.name}: ${fmt(result)}`);
            rows.push({ server: peer.name, poolSize: size, instances: 1, scenario: scenario.name, passwordBound: scenario.passwordBound ?? false, ...result });
          }
        } finally {
          await peer.close();
        }
      }
    }
  }
  return { bare, argon2, rs256, threadPool: threadPoolSize(), dialect: options.dialect, rows, phases, peers };
}

/**
 * Before a fresh server's first measurement, its cheap scenarios run unmeasured for a moment
 * each. A server just started spends its first seconds of load compiling (V8's optimizing
 * compiler works on threads of its own, whose CPU is the server's): measured on one server, five
 * 2-second windows of AdminGetUser in a row cost 97, 72, 62, 62 and 59 µs of CPU a request
 * (bench/RESULTS.md, session 6), and the first scenario of a run paid that alone. Password-bound
 * scenarios (slow, and some use up one-time inputs) are left out; peers are warmed the same way.
 */
async function prewarm(urls: readonly string[], scenarios: readonly Scenario[], quick: boolean, log: (line: string) => void): Promise<void> {
  const each = quick ? 1_000 : 2_000;
  const warmed = scenarios.filter((s) => !s.passwordBound && s.common !== false);
  for (const scenario of warmed) await runLoad({ url: urls, step: scenario.step, concurrency: 16, warmupMs: 0, durationMs: each });
  if (warmed.length > 0) log(`  warmed up: ${warmed.length} scenarios, ${each / 1000} s each, unmeasured`);
}

async function createClient(url: string, prepare: ReturnType<typeof createPreparer>, poolId: string): Promise<string> {
  const body = JSON.stringify({ UserPoolId: poolId, ClientName: 'bench', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  const [request] = await prepare('CreateUserPoolClient', [body]);
  const res = await fetch(url, { method: 'POST', headers: request?.headers, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`CreateUserPoolClient: ${res.status} ${text}`);
  return (JSON.parse(text) as { UserPoolClient: { ClientId: string } }).UserPoolClient.ClientId;
}

/** Whether other operations keep their latency while password sign-ins saturate the hash threads. */
async function mixedLoad(
  urls: readonly string[],
  scenarios: readonly Scenario[],
  operation: string,
  load: { concurrency: number; warmupMs: number; durationMs: number },
): Promise<LoadResult | undefined> {
  const signIn = scenarios.find((s) => s.name.startsWith('InitiateAuth USER_PASSWORD_AUTH'));
  const other = scenarios.find((s) => s.name === operation);
  if (!signIn || !other) return undefined;
  const [result] = await Promise.all([runLoad({ url: urls, step: other.step, ...load, concurrency: 4 }), runLoad({ url: urls, step: signIn.step, ...load })]);
  return result;
}

export function fmt(r: LoadResult): string {
  const err = r.errors > 0 ? ` (first: ${r.firstError})` : '';
  return `${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, max ${r.maxMs.toFixed(1)} ms, errors ${r.errors}${err}${r.exhausted ? ' (inputs ran out early)' : ''}`;
}
