import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { IMPORT_LIMITS } from '../src/domain/import/import-job.js';
import { poolSettingsFromRequest } from '../src/domain/pools/user-pool.js';
import { defaultThreadPoolSize } from '../src/kernel/thread-pool-size.js';
import { postgresDatabase, sqliteDatabase, type BenchDialect } from './databases.js';
import { Pool } from 'undici';
import type { PreparedRequest } from './load.js';
import { bundle, mainThreadCpuUs, SERVER_ENTRY, spawnServer, type ServerProcess } from './process.js';
import { createPool, seededUsername, seedUsers } from './seed.js';
import { createPreparer, type Preparer } from './sign.js';

/**
 * The user import benchmark (issue 21), run when --only names "import": a pool with SEEDED
 * users (what AdminGetUser reads meanwhile), then CSV files of each size imported through the
 * API as a client does it: CreateUserImportJob, a PUT of the file to its pre-signed URL,
 * StartUserImportJob, DescribeUserImportJob polled until the job ends. AWS takes at most 500,000
 * users per file (IMPORT_LIMITS.maxUsers), so 1,000,000 rows are two files, imported one after the
 * other into the same pool. Measured per size:
 * - rows/s: imported users over the time from StartUserImportJob to the job's end (the upload
 *   is timed apart: it is a PUT of the file, not the import);
 * - server CPU per row (all its threads, over the same time): much less disturbed by other load
 *   on the machine than rows/s;
 * - peak RSS while importing (sampled every 100 ms) and the process's peak over everything (the
 *   uploads included);
 * - AdminGetUser p50/p99 for the whole import, at a steady pace (2 connections, one request
 *   each every 20 ms at most: up to 100 req/s). Paced, not a closed loop: a closed loop takes all
 *   the CPU it can and the import's own rate would then say more about the reads than about it.
 */
export interface ImportBenchOptions {
  dialect: BenchDialect;
  /** Rows per size (1,000,000 is two files of 500,000). */
  sizes: readonly number[];
  profileDir?: string | undefined;
  serverEntry?: string | undefined;
  log: (line: string) => void;
}

export interface ImportRow {
  dialect: BenchDialect;
  rows: number;
  files: number;
  uploadMs: number;
  importMs: number;
  rowsPerSecond: number;
  cpuUsPerRow: number | undefined;
  /** The part of it on the event loop's thread (the rest: the SQLite writer, fsync and GC threads, libuv). */
  mainThreadUsPerRow: number | undefined;
  peakRssDuringMb: number;
  /** How long the server's event loop was held: p99 and max (ms) over the import. */
  loopDelayP99Ms: number | undefined;
  loopDelayMaxMs: number | undefined;
  getUser: PacedResult;
  loadAverage: string;
}

export interface ImportReport {
  rows: ImportRow[];
  /** AdminGetUser at the same pace before any import. */
  alone: PacedResult | undefined;
  /** The server process's own peak RSS (maxRSS at exit, uploads included). */
  processPeakRssMb: number | undefined;
  seeded: number;
}

/** Users in the pool before any import: AdminGetUser reads them while the imports run. */
const SEEDED = 10_000;
const GET_USER_CONNECTIONS = 2;
const GET_USER_PERIOD_MS = 20;

export interface PacedResult {
  requests: number;
  requestsPerSecond: number;
  errors: number;
  firstError: string | undefined;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Sends the requests in turn on `connections` connections, each at most once per `periodMs`, until `done()`. */
async function pacedLoad(url: string, requests: readonly PreparedRequest[], connections: number, periodMs: number, done: () => boolean): Promise<PacedResult> {
  const pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (!done()) {
      const request = requests[next++ % requests.length] as PreparedRequest;
      const sent = performance.now();
      try {
        const res = await pool.request({ path: '/', method: 'POST', headers: request.headers, body: request.body });
        const text = await res.body.text();
        if (res.statusCode !== 200) {
          errors++;
          firstError ??= `${res.statusCode} ${text.slice(0, 200)}`;
        }
      } catch (err) {
        errors++;
        firstError ??= String(err);
      }
      const took = performance.now() - sent;
      latencies.push(took);
      if (took < periodMs) await new Promise((r) => setTimeout(r, periodMs - took));
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    requests: latencies.length,
    requestsPerSecond: latencies.length / ((performance.now() - started) / 1000),
    errors,
    firstError,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
  };
}

export async function runImportBench(options: ImportBenchOptions): Promise<ImportReport> {
  const { log } = options;
  const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-bench-import-'));
  const db = options.dialect === 'postgres' ? await postgresDatabase() : sqliteDatabase(dataDir);
  const rows: ImportRow[] = [];
  let server: ServerProcess | undefined;
  let processPeakRssMb: number | undefined;
  let aloneResult: PacedResult | undefined;
  try {
    const now = Date.now();
    // Imports need an auto-verified attribute (poolImportProblem): email, as most pools have.
    const pool = await createPool(db, 'import', now, poolSettingsFromRequest({ AutoVerifiedAttributes: ['email'] }));
    await seedUsers(db, pool, { from: 0, to: SEEDED, passwordHash: 'not-used' }, now);
    const entry = await bundle(options.serverEntry ?? SERVER_ENTRY);
    server = await spawnServer(
      process.execPath,
      // A 500,000-row file is about 40 MB: it fits the default bytes-in-flight budget (64 MiB).
      [entry, '--port', '0', '--log-level', 'error', '--public-rate-limit-per-ip', '0', ...db.serverArgs],
      {
        ipc: true,
        nodeFlags: options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=userpoold-import-${options.dialect}.cpuprofile`] : [],
        env: { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? String(defaultThreadPoolSize()) },
      },
    );
    const prepare = createPreparer(server.url, undefined);
    const api = apiOf(server.url, prepare);
    const header = ((await api('GetCSVHeader', { UserPoolId: pool.id })) as { CSVHeader: string[] }).CSVHeader;
    // AdminGetUser alone first, at the same pace: its latency without an import, to compare.
    const calibration = await prepare(
      'AdminGetUser',
      Array.from({ length: 2_000 }, (_, k) => JSON.stringify({ UserPoolId: pool.id, Username: seededUsername((k * 7919) % SEEDED) })),
    );
    // After a warm-up: the JIT's compiler threads count in the process's CPU time at first.
    await pacedLoad(server.url, calibration, GET_USER_CONNECTIONS, GET_USER_PERIOD_MS, deadline(3_000));
    const alone = await pacedLoad(server.url, calibration, GET_USER_CONNECTIONS, GET_USER_PERIOD_MS, deadline(5_000));
    aloneResult = alone;
    log(`AdminGetUser alone: ${alone.requestsPerSecond.toFixed(0)} req/s (paced), p50 ${alone.p50Ms.toFixed(1)} ms, p99 ${alone.p99Ms.toFixed(1)} ms, max ${alone.maxMs.toFixed(1)} ms`);
    let imported = 0;
    for (const size of options.sizes) {
      const files = Math.ceil(size / IMPORT_LIMITS.maxUsers);
      const jobs: { jobId: string; url: string }[] = [];
      let uploadMs = 0;
      for (let f = 0; f < files; f++) {
        const from = imported + Math.floor((f * size) / files);
        const to = imported + Math.floor(((f + 1) * size) / files);
        const csv = csvFile(header, from, to);
        const created = (await api('CreateUserImportJob', { UserPoolId: pool.id, JobName: `bench-${size}-${f}`, CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/Import' })) as {
          UserImportJob: { JobId: string; PreSignedUrl: string };
        };
        const t0 = performance.now();
        // On PostgreSQL the servers have a --public-url of their own (databases.ts): the PUT goes to this one.
        const target = new URL(created.UserImportJob.PreSignedUrl);
        const local = new URL(server.url);
        target.protocol = local.protocol;
        target.host = local.host;
        const res = await fetch(target, { method: 'PUT', headers: { 'x-amz-server-side-encryption': 'aws:kms', 'content-type': 'text/csv' }, body: csv });
        if (res.status !== 200) throw new Error(`upload: ${res.status} ${await res.text()}`);
        uploadMs += performance.now() - t0;
        jobs.push({ jobId: created.UserImportJob.JobId, url: created.UserImportJob.PreSignedUrl });
      }
      log(`import ${size.toLocaleString('en-US')} rows (${options.dialect}, ${files} file${files > 1 ? 's' : ''}): uploaded in ${(uploadMs / 1000).toFixed(1)} s`);

      let done = false;
      const getUser = await prepare(
        'AdminGetUser',
        Array.from({ length: 2_000 }, (_, k) => JSON.stringify({ UserPoolId: pool.id, Username: seededUsername((k * 7919) % SEEDED) })),
      );
      const reads = pacedLoad(server.url, getUser, GET_USER_CONNECTIONS, GET_USER_PERIOD_MS, () => done);
      let peakRss = 0;
      const sampler = setInterval(() => {
        void server?.usage().then((u) => {
          if (u) peakRss = Math.max(peakRss, u.rss);
        });
      }, 100);
      const loadBefore = loadavg()[0] as number;
      server.resetLoopDelay();
      const cpuBefore = (await server.usage())?.cpuUs;
      const mainBefore = mainThreadCpuUs(server.pid);
      const t0 = performance.now();
      let count = 0;
      try {
        for (const job of jobs) {
          await api('StartUserImportJob', { UserPoolId: pool.id, JobId: job.jobId });
          for (;;) {
            const described = (await api('DescribeUserImportJob', { UserPoolId: pool.id, JobId: job.jobId })) as {
              UserImportJob: { Status: string; ImportedUsers: number; SkippedUsers: number; FailedUsers: number; CompletionMessage?: string };
            };
            const j = described.UserImportJob;
            if (j.Status === 'Succeeded') {
              if (j.SkippedUsers + j.FailedUsers > 0) throw new Error(`job ${job.jobId}: ${j.SkippedUsers} skipped, ${j.FailedUsers} failed`);
              count += j.ImportedUsers;
              break;
            }
            if (j.Status !== 'Pending' && j.Status !== 'InProgress') throw new Error(`job ${job.jobId} ended ${j.Status}: ${j.CompletionMessage}`);
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      } finally {
        done = true;
        clearInterval(sampler);
      }
      const importMs = performance.now() - t0;
      const after = await server.usage();
      const cpuAfter = after?.cpuUs;
      const mainAfter = mainThreadCpuUs(server.pid);
      const readResult = await reads;
      const loadAfter = loadavg()[0] as number;
      if (count !== size) throw new Error(`imported ${count} users, expected ${size}`);
      imported += size;
      const row: ImportRow = {
        dialect: options.dialect,
        rows: size,
        files,
        uploadMs,
        importMs,
        rowsPerSecond: size / (importMs / 1000),
        cpuUsPerRow: cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / size : undefined,
        mainThreadUsPerRow: mainBefore !== undefined && mainAfter !== undefined ? (mainAfter - mainBefore) / size : undefined,
        peakRssDuringMb: peakRss / 2 ** 20,
        loopDelayP99Ms: after?.loopDelayP99Ms,
        loopDelayMaxMs: after?.loopDelayMaxMs,
        getUser: readResult,
        loadAverage: `${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)}`,
      };
      rows.push(row);
      log(
        `  imported in ${(importMs / 1000).toFixed(1)} s: ${row.rowsPerSecond.toFixed(0)} rows/s, server CPU ${row.cpuUsPerRow?.toFixed(1)} µs/row (${(1e6 / (row.cpuUsPerRow ?? NaN)).toFixed(0)} rows per CPU-second; event-loop thread ${row.mainThreadUsPerRow?.toFixed(1)} µs/row), peak RSS ${row.peakRssDuringMb.toFixed(0)} MB, event-loop delay p99 ${row.loopDelayP99Ms?.toFixed(1)} ms max ${row.loopDelayMaxMs?.toFixed(1)} ms; AdminGetUser meanwhile: ${readResult.requestsPerSecond.toFixed(0)} req/s (paced), p50 ${readResult.p50Ms.toFixed(1)} ms, p99 ${readResult.p99Ms.toFixed(1)} ms, max ${readResult.maxMs.toFixed(1)} ms, errors ${readResult.errors}; load average ${row.loadAverage}`,
      );
    }
  } finally {
    const peak = await server?.stop();
    processPeakRssMb = peak === undefined ? undefined : peak / 1024;
    try {
      await db.drop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return { rows, processPeakRssMb, seeded: SEEDED, alone: aloneResult };
}

function deadline(ms: number): () => boolean {
  const end = performance.now() + ms;
  return () => performance.now() >= end;
}

/** Rows [from, to) in the pool's header order: a username, an email verified, MFA off, a given name. */
function csvFile(header: readonly string[], from: number, to: number): string {
  const at = new Map(header.map((name, i) => [name, i]));
  const out: string[] = [header.join(',')];
  const values = header.map(() => '');
  for (let i = from; i < to; i++) {
    values[at.get('cognito:username') as number] = `imported${i}`;
    values[at.get('email') as number] = `imported${i}@example.com`;
    values[at.get('email_verified') as number] = 'true';
    values[at.get('cognito:mfa_enabled') as number] = 'false';
    values[at.get('given_name') as number] = `Given${i % 1000}`;
    out.push(values.join(','));
  }
  return out.join('\n') + '\n';
}

function apiOf(url: string, prepare: Preparer) {
  return async (operation: Parameters<Preparer>[0], body: unknown): Promise<unknown> => {
    const [request] = await prepare(operation, [JSON.stringify(body)]);
    const res = await fetch(url, { method: 'POST', headers: request?.headers, body: request?.body });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${operation}: ${res.status} ${text}`);
    return JSON.parse(text) as unknown;
  };
}

/** The Markdown rows for bench/RESULTS.md. */
export function renderImport(report: ImportReport): string[] {
  const lines = [
    `| database | rows | files | upload s | import s | rows/s | server CPU µs/row (event loop) | rows per server CPU-s | event-loop delay p99 / max ms | peak RSS during import MB | AdminGetUser req/s | p50 ms | p99 ms | max ms | load average (1 min) |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of report.rows) {
    lines.push(
      `| ${r.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'} | ${r.rows.toLocaleString('en-US')} | ${r.files} | ${(r.uploadMs / 1000).toFixed(1)} | ${(r.importMs / 1000).toFixed(1)} | ${r.rowsPerSecond.toFixed(0)} | ${r.cpuUsPerRow?.toFixed(1) ?? '?'} (${r.mainThreadUsPerRow?.toFixed(1) ?? '?'}) | ${r.cpuUsPerRow ? (1e6 / r.cpuUsPerRow).toFixed(0) : '?'} | ${r.loopDelayP99Ms?.toFixed(1) ?? '?'} / ${r.loopDelayMaxMs?.toFixed(0) ?? '?'} | ${r.peakRssDuringMb.toFixed(0)} | ${r.getUser.requestsPerSecond.toFixed(0)} | ${r.getUser.p50Ms.toFixed(1)} | ${r.getUser.p99Ms.toFixed(1)} | ${r.getUser.maxMs.toFixed(1)} | ${r.loadAverage} |`,
    );
  }
  lines.push('');
  if (report.alone) lines.push(`AdminGetUser at the same pace before the imports: p50 ${report.alone.p50Ms.toFixed(1)} ms, p99 ${report.alone.p99Ms.toFixed(1)} ms, max ${report.alone.maxMs.toFixed(1)} ms.`);
  lines.push(`Server process peak RSS over the whole run (uploads included): ${report.processPeakRssMb?.toFixed(0) ?? '?'} MB.`);
  return lines;
}
