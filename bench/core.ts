import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../src/config.js';
import { createArgon2Hasher } from '../src/services/password-hasher.js';
import { COGNITO_LOCAL_VERSION, installCognitoLocal, startCognitoLocal } from './cognito-local.js';
import { motoVersion, startMoto, type Peer } from './moto.js';
import { argon2Rate, bareHttp, threadPoolSize } from './limits.js';
import { runLoad, type LoadResult } from './load.js';
import { bundle, SERVER_ENTRY, spawnServer, type ServerProcess } from './process.js';
import { createPool, issueResetCodes, seedUsers } from './seed.js';
import { createPreparer, type Credentials } from './sign.js';
import { srpStep } from './srp.js';
import { buildScenarios, CLASS, usersOfClass, type Scenario } from './workloads.js';

/**
 * The whole benchmark: the physical limits, then userpoold with one pool grown to each size
 * in turn (bulk seeding between phases, a fresh server process per phase), then the peers at
 * their sizes with the same workloads. Returns everything measured; run.ts prints it.
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
  /** Another server entry (e.g. a copy of an older tree), for before/after comparisons. */
  serverEntry?: string | undefined;
  log: (line: string) => void;
}

export interface Row extends LoadResult {
  server: string;
  /** Server CPU time per request (all its threads), when the server reports it. */
  cpuUsPerRequest?: number | undefined;
  poolSize: number;
  scenario: string;
  passwordBound: boolean;
}

export interface PhaseFacts {
  poolSize: number;
  seedMs: number;
  dbBytes: number;
  spawnToListenMs: number;
  createAppToListenMs: number | undefined;
  maxRssKib: number | undefined;
}

export interface BenchReport {
  bare: LoadResult;
  argon2: { hashesPerSecond: number; medianMs: number; inFlight: number };
  threadPool: number;
  rows: Row[];
  phases: PhaseFacts[];
  peers: string[];
}

/** Lookups (4 in flight) while 16 password sign-ins run: whether hashing blocks the event loop. */
export const MIXED = 'Lookups (4 in flight) during 16 sign-ins';
export const MIXED_WRITES = 'Updates (4 in flight) during 16 sign-ins';

const CREDENTIALS: Credentials = { accessKeyId: 'AKIABENCHMARK0000001', secretAccessKey: 'bench-secret-access-key-not-a-real-one' };

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const { log } = options;
  const load = { concurrency: options.concurrency, warmupMs: options.warmupMs, durationMs: options.durationMs };
  const config = defaultConfig();
  const rows: Row[] = [];
  const phases: PhaseFacts[] = [];
  const peers: string[] = [];
  const wanted = (s: Scenario) => !options.only || options.only.some((o) => s.name.includes(o));

  log(`limits: node:http answering {} with ${options.concurrency} requests in flight`);
  const bare = await bareHttp(load);
  log(`  node:http: ${fmt(bare)}`);
  const argon2 = await argon2Rate(config, options.quick ? 3_000 : 8_000);
  log(`  argon2id m=${config.argon2MemoryKib} t=${config.argon2Iterations} p=${config.argon2Parallelism}: ${argon2.hashesPerSecond.toFixed(1)} hashes/s, median ${argon2.medianMs.toFixed(0)} ms, ${argon2.inFlight} in flight (UV_THREADPOOL_SIZE ${threadPoolSize()})`);

  const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-bench-'));
  try {
    const extraArgs: string[] = [];
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
    const pool = await createPool(dataDir, 'bench', now);
    let clientId: string | undefined;
    let seeded = 0;
    for (const size of options.sizes) {
      const seedStart = performance.now();
      // Verifiers cost a modular exponentiation each: only the 300 users the SRP round trip uses.
      const srpUsers = (i: number) => i % 10 === CLASS.srp && i - seeded < 10 * 300;
      await seedUsers(dataDir, pool, { from: seeded, to: size, passwordHash, srpUsers }, now);
      const ctxRange = { from: seeded, size };
      const codeHolders = [...new Set(usersOfClass(ctxRange, CLASS.confirm, options.quick ? 1_000 : 4_000))];
      await issueResetCodes(dataDir, pool, codeHolders, config.resetCodeTtlSeconds * 1000);
      const seedMs = performance.now() - seedStart;
      const dbBytes = fileSize(join(dataDir, 'userpoold.sqlite')) + fileSize(join(dataDir, 'userpoold.sqlite-wal'));
      log(`userpoold, ${size.toLocaleString('en-US')} users: seeded ${(size - seeded).toLocaleString('en-US')} in ${(seedMs / 1000).toFixed(1)} s; database ${(dbBytes / 1e6).toFixed(1)} MB, ${(dbBytes / size).toFixed(0)} bytes per user`);

      const server = await spawnServer(
        process.execPath,
        [await bundle(options.serverEntry ?? SERVER_ENTRY), '--port', '0', '--data-dir', dataDir, '--log-level', 'error', '--public-rate-limit-per-ip', '0', '--code-attempt-limit', '1000000', ...extraArgs],
        { ipc: true, nodeFlags: options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=userpoold-${size}.cpuprofile`] : [] },
      );
      const phase: PhaseFacts = { poolSize: size, seedMs, dbBytes, spawnToListenMs: server.spawnToListenMs, createAppToListenMs: server.extra[0], maxRssKib: undefined };
      phases.push(phase);
      log(`  start-up: ${server.spawnToListenMs.toFixed(0)} ms from spawn to listening, ${server.extra[0]?.toFixed(0)} ms from createApp to listening`);
      try {
        const prepare = createPreparer(server.url, options.sign ? CREDENTIALS : undefined);
        clientId ??= await createClient(server, prepare, pool.id);
        const scenarios = await buildScenarios({ poolId: pool.id, clientId, size, from: seeded, codeHolders, prepare }, options.quick);
        const srpHolders = Array.from({ length: size - seeded }, (_, k) => seeded + k).filter(srpUsers);
        scenarios.push({ name: 'USER_SRP_AUTH round trip (2 requests)', common: false, step: srpStep(pool.id, clientId, srpHolders) });
        for (const scenario of scenarios.filter(wanted)) {
          const before = await server.usage();
          const result = await runLoad({ url: server.url, step: scenario.step, ...load });
          const after = await server.usage();
          // Over warm-up and window alike, so divided by every completed request.
          const cpuUsPerRequest = before && after ? (after.cpuUs - before.cpuUs) / result.completed : undefined;
          log(`  ${scenario.name}: ${fmt(result)}${cpuUsPerRequest ? `, server CPU ${cpuUsPerRequest.toFixed(0)} µs/request` : ''}`);
          rows.push({ server: 'userpoold', poolSize: size, scenario: scenario.name, passwordBound: scenario.passwordBound ?? false, cpuUsPerRequest, ...result });
        }
        for (const [name, operation] of [
          [MIXED, 'AdminGetUser'],
          [MIXED_WRITES, 'AdminUpdateUserAttributes'],
        ] as const) {
          const mixed = wanted({ name } as Scenario) ? await mixedLoad(server, scenarios, operation, load) : undefined;
          if (!mixed) continue;
          log(`  ${operation} (4 in flight) while 16 password sign-ins run: ${fmt(mixed)}`);
          rows.push({ server: 'userpoold', poolSize: size, scenario: name, passwordBound: false, ...mixed });
        }
      } finally {
        phase.maxRssKib = await server.stop();
        log(`  peak RSS ${((phase.maxRssKib ?? NaN) / 1024).toFixed(0)} MB`);
      }
      seeded = size;
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
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
          for (const scenario of scenarios.filter(wanted)) {
            const result = await runLoad({ url: peer.server.url, step: scenario.step, ...load });
            log(`  ${scenario.name}: ${fmt(result)}`);
            rows.push({ server: peer.name, poolSize: size, scenario: scenario.name, passwordBound: scenario.passwordBound ?? false, ...result });
          }
        } finally {
          await peer.close();
        }
      }
    }
  }
  return { bare, argon2, threadPool: threadPoolSize(), rows, phases, peers };
}

async function createClient(server: ServerProcess, prepare: ReturnType<typeof createPreparer>, poolId: string): Promise<string> {
  const body = JSON.stringify({ UserPoolId: poolId, ClientName: 'bench', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  const [request] = await prepare('CreateUserPoolClient', [body]);
  const res = await fetch(server.url, { method: 'POST', headers: request?.headers, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`CreateUserPoolClient: ${res.status} ${text}`);
  return (JSON.parse(text) as { UserPoolClient: { ClientId: string } }).UserPoolClient.ClientId;
}

/** Whether other operations keep their latency while password sign-ins saturate the hash threads. */
async function mixedLoad(
  server: ServerProcess,
  scenarios: readonly Scenario[],
  operation: string,
  load: { concurrency: number; warmupMs: number; durationMs: number },
): Promise<LoadResult | undefined> {
  const signIn = scenarios.find((s) => s.name.startsWith('InitiateAuth USER_PASSWORD_AUTH'));
  const other = scenarios.find((s) => s.name === operation);
  if (!signIn || !other) return undefined;
  const [result] = await Promise.all([runLoad({ url: server.url, step: other.step, ...load, concurrency: 4 }), runLoad({ url: server.url, step: signIn.step, ...load })]);
  return result;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function fmt(r: LoadResult): string {
  const err = r.errors > 0 ? ` (first: ${r.firstError})` : '';
  return `${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, max ${r.maxMs.toFixed(1)} ms, errors ${r.errors}${err}${r.exhausted ? ' (inputs ran out early)' : ''}`;
}
