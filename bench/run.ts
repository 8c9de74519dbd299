import { defaultThreadPoolSize } from '../src/kernel/thread-pool-size.js';
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { defaultConfig } from '../src/kernel/config.js';
import { MIXED, MIXED_WRITES, runBench, type BenchReport, type Row } from './core.js';
import { renderImport, runImportBench } from './import.js';

/**
 * `npm run bench`: the whole suite (about 14 minutes), then Markdown for bench/RESULTS.md.
 *   --quick          1,000 and 10,000 users, peers at 1,000, short windows (about 2.5 minutes)
 *   --sign           SigV4-sign the admin operations (pre-signed, outside the measured loop)
 *   --profile DIR    write a CPU profile of each userpoold server process into DIR
 *   --only A,B       only the scenarios whose name contains A or B; the hot-path workloads
 *                    (hot-paths.ts: "(groups:", ListUsersInGroup, AdminListGroupsForUser,
 *                    PreTokenGeneration, TOTP, remembered-device, oauth2) run only when named here
 *   --sizes N,M      userpoold pool sizes;  --peer-sizes N,M  cognito-local sizes (0: none)
 *   --duration S     measured seconds per scenario;  --out FILE  also write the Markdown there
 *   --server-entry F another copy of bench/server-entry.ts (an older tree), for before/after
 *   --dialect postgres  a PostgreSQL database made for the run (USERPOOLD_BENCH_DATABASE_URL, default
 *                    postgres://postgres@127.0.0.1:5432/test, is where it is created), 10,000 and
 *                    100,000 users (quick: 1,000 and 10,000), the common workloads, no peers (about
 *                    6 minutes; quick about 1.7)
 *   --instances N,M  server processes sharing the database, one phase per count (postgres: 1,2)
 *   --only import    the user import benchmark instead (import.ts): CSV files of 100,000 and
 *                    1,000,000 rows (--sizes to choose) imported through the API, with rows/s,
 *                    server CPU per row, peak RSS and AdminGetUser latency meanwhile; with
 *                    --dialect postgres on PostgreSQL (100,000 unless --sizes says otherwise)
 */
/** Issue 23's targets against the peers, on every non-password operation. */
const PEER_FACTOR: Record<string, number> = { 'cognito-local': 2, moto: 10 };
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const numbers = (text: string | undefined) => text?.split(',').map(Number).filter((n) => n > 0);
const quick = flag('--quick');
const dialect = value('--dialect') ?? 'sqlite';
if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error(`--dialect: expected sqlite or postgres, not ${dialect}`);
const postgres = dialect === 'postgres';
const log = (line: string) => process.stdout.write(line + '\n');

const cpu = /model name\s*:\s*(.*)/.exec(safeRead('/proc/cpuinfo'))?.[1] ?? 'unknown';
const started = new Date();
const showLoad = () => loadavg().map((n) => n.toFixed(2)).join(' ');
const loadBefore = showLoad();
log(`# userpoold benchmark, ${started.toISOString()}`);
log(`machine: nproc ${safeExec('nproc')} (${availableParallelism()} available), ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}; load average before: ${loadBefore}`);

if (value('--only')?.split(',').includes('import')) {
  const report = await runImportBench({
    dialect,
    sizes: numbers(value('--sizes')) ?? (postgres ? [100_000] : [100_000, 1_000_000]),
    profileDir: value('--profile'),
    serverEntry: value('--server-entry'),
    log,
  });
  const lines = [
    `## User import, ${postgres ? 'PostgreSQL' : 'SQLite'}, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- Machine: nproc ${safeExec('nproc')}, ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}. Command: \`npm run bench -- ${args.join(' ')}\`, commit ${safeExec('git rev-parse --short HEAD')}${safeExec('git status --porcelain -- src bench') ? ' plus uncommitted changes' : ''}.`,
    `- Load average (1, 5, 15 min) before ${loadBefore}, after ${showLoad()} (on ${safeExec('nproc')} cores: above that, other work shared the machine and rows/s is a floor; CPU per row moves much less).`,
    `- The pool holds ${report.seeded.toLocaleString('en-US')} users before the imports; AdminGetUser reads them meanwhile.`,
    '',
    ...renderImport(report),
  ];
  log('');
  log(lines.join('\n'));
  const out = value('--out');
  if (out) writeFileSync(out, lines.join('\n') + '\n');
  process.exit(0);
}

const report = await runBench({
  sizes: numbers(value('--sizes')) ?? (postgres ? (quick ? [1_000, 10_000] : [10_000, 100_000]) : quick ? [1_000, 10_000] : [1_000, 10_000, 100_000, 1_000_000]),
  peerSizes: value('--peer-sizes') === '0' ? [] : (numbers(value('--peer-sizes')) ?? (postgres ? [] : quick ? [1_000] : [1_000, 10_000])),
  dialect,
  instances: numbers(value('--instances')) ?? (postgres ? [1, 2] : [1]),
  concurrency: 16,
  warmupMs: quick ? 500 : 1_500,
  durationMs: Number(value('--duration') ?? (quick ? 2 : 6)) * 1000,
  sign: flag('--sign'),
  profileDir: value('--profile'),
  only: value('--only')?.split(','),
  serverEntry: value('--server-entry'),
  quick,
  log,
});
const loadAfter = showLoad();
const markdown = render(report);
log('');
log(markdown);
const out = value('--out');
if (out) writeFileSync(out, markdown + '\n');

function render(r: BenchReport): string {
  const config = defaultConfig();
  const lines: string[] = [];
  const took = ((Date.now() - started.getTime()) / 60_000).toFixed(1);
  const pg = r.dialect === 'postgres';
  lines.push(`## ${pg ? 'PostgreSQL run' : 'Run'} of ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  lines.push('');
  lines.push(`- Machine: nproc ${safeExec('nproc')}, ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}; the raw hash rate with UV_THREADPOOL_SIZE ${r.threadPool}; the servers with ${process.env.UV_THREADPOOL_SIZE ?? defaultThreadPoolSize()} (what bin/userpoold.js sets).`);
  lines.push(`- Command: \`npm run bench${args.length ? ' -- ' + args.join(' ') : ''}\` (${took} min), commit ${safeExec('git rev-parse --short HEAD')}${safeExec('git status --porcelain -- src bench') ? ' plus uncommitted changes' : ''}.`);
  lines.push(`- Load average before ${loadBefore}, after ${loadAfter} (on ${safeExec('nproc')} cores: above that, other work shared the machine and every number is a floor).`);
  lines.push(`- Limits: node:http answering \`{}\`: **${r.bare.requestsPerSecond.toFixed(0)} req/s** (p50 ${r.bare.p50Ms.toFixed(1)} ms, p99 ${r.bare.p99Ms.toFixed(1)} ms). argon2id m=${config.argon2MemoryKib} KiB, t=${config.argon2Iterations}, p=${config.argon2Parallelism}: **${r.argon2.hashesPerSecond.toFixed(1)} hashes/s** (${r.argon2.inFlight} in flight, median ${r.argon2.medianMs.toFixed(0)} ms each). Password-bound rows are compared with the raw hash rate measured again right after each of them ran. RS256 signing (jose, RSA 2048, in-process, the OAuth token workloads' limit): **${r.rs256.signaturesPerSecond.toFixed(0)} signatures/s** (${r.rs256.inFlight} in flight, median ${r.rs256.medianMs.toFixed(2)} ms each).`);
  for (const note of r.peers) lines.push(`- ${note}`);
  if (pg) {
    lines.push(
      '- PostgreSQL 15 on the same machine, a database created for the run; each instance a server process with the default `--database-pool-size` (10); the 16 connections of the load generator go to the instances in turn (no proxy). Seeding: multi-row INSERTs (1,000 rows each) in transactions of 50,000 rows, synchronous_commit off, then ANALYZE. Both instance counts of a size run on the same users, one after the other.',
    );
  }
  lines.push('');
  lines.push(`| users |${pg ? ' instances |' : ''} seed s | DB bytes/user | start-up ms (createApp→listen / spawn→listen) | peak RSS MB |`);
  lines.push(`| ---: |${pg ? ' ---: |' : ''} ---: | ---: | ---: | ---: |`);
  for (const p of r.phases) {
    lines.push(
      `| ${n(p.poolSize)} |${pg ? ` ${p.instances} |` : ''} ${p.seedMs === undefined ? '– | –' : `${(p.seedMs / 1000).toFixed(1)} | ${(p.dbBytes / p.poolSize).toFixed(0)}`} | ${p.createAppToListenMs?.toFixed(0) ?? '?'} / ${p.spawnToListenMs.toFixed(0)} | ${p.maxRssKib ? (p.maxRssKib / 1024).toFixed(0) : '?'} |`,
    );
  }
  const sizes = [...new Set(r.rows.map((row) => row.poolSize))].sort((a, b) => a - b);
  const groups = sizes.flatMap((size) => [...new Set(r.rows.filter((row) => row.poolSize === size).map((row) => row.instances))].sort((a, b) => a - b).map((instances) => ({ size, instances })));
  for (const { size, instances } of groups) {
    const ours = r.rows.filter((row) => row.server === 'userpoold' && row.poolSize === size && row.instances === instances);
    const theirs = r.rows.filter((row) => row.server !== 'userpoold' && row.poolSize === size && row.instances === instances);
    const peerNames = [...new Set(theirs.map((row) => row.server))];
    lines.push('');
    lines.push(`### ${n(size)} users${pg ? `, PostgreSQL, ${instances} instance${instances > 1 ? 's' : ''}` : ''}, 16 requests in flight`);
    lines.push('');
    lines.push(`| operation | req/s | p50 ms | p99 ms | max ms | errors | vs limit | target |${peerNames.map((p) => ` ${p} req/s | p50 ms | ratio |`).join('')}`);
    lines.push(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |${' ---: | ---: | ---: |'.repeat(peerNames.length)}`);
    for (const row of ours) {
      // Token workloads: steps per second that the signing rate allows, at their signatures per step.
      const limit = row.passwordBound ? hashLimit(row, r) : row.signsPerStep ? r.rs256.signaturesPerSecond / row.signsPerStep : r.bare.requestsPerSecond;
      const peerText = peerNames
        .map((name) => {
          const peer = theirs.find((t) => t.server === name && t.scenario === row.scenario);
          if (!peer) return ' – | – | – |';
          // A peer that completed nothing (every request an error) has no rate to compare with.
          if (peer.requests === 0) return ` 0 (${peer.errors} errors) | – | – |`;
          return ` ${peer.requestsPerSecond.toFixed(1)} | ${peer.p50Ms.toFixed(0)} | ${(row.requestsPerSecond / peer.requestsPerSecond).toFixed(1)}x |`;
        })
        .join('');
      lines.push(
        `| ${row.scenario} | ${row.requestsPerSecond.toFixed(0)} | ${row.p50Ms.toFixed(1)} | ${row.p99Ms.toFixed(1)} | ${row.maxMs.toFixed(1)} | ${row.errors}${row.exhausted ? ' (ran out)' : ''} | ${((100 * row.requestsPerSecond) / limit).toFixed(0)}% ${row.passwordBound ? 'hash' : row.signsPerStep ? 'rs256' : 'http'} | ${target(row, r, theirs)} |${peerText}`,
      );
    }
    const errs = [...ours, ...theirs].filter((row) => row.errors > 0);
    for (const row of errs) lines.push(`\n${row.server} ${row.scenario}: first error ${row.firstError}`);
  }
  lines.push('');
  lines.push(...flatness(r));
  if (pg) lines.push(...scaling(r));
  return lines.join('\n');
}

/** A password-bound row's limit: the raw hash rate measured next to it, else the run's. */
function hashLimit(row: Row, r: BenchReport): number {
  return row.hashesPerSecondNextTo ?? r.argon2.hashesPerSecond;
}

/** The issue's target for the operation, and whether this run met it. */
function target(row: Row, r: BenchReport, peers: Row[]): string {
  const checks: string[] = [];
  const reads = ['AdminGetUser', 'ListUsers email =', 'ListUsers email ^= (Limit 10)', MIXED];
  const writes = ['AdminResetUserPassword', 'AdminUpdateUserAttributes', MIXED_WRITES];
  if (reads.includes(row.scenario)) {
    if (row.scenario !== MIXED) checks.push(mark(row.requestsPerSecond >= 0.4 * r.bare.requestsPerSecond, '≥40% http'));
    checks.push(mark(row.p99Ms < 10, 'p99<10'));
  } else if (writes.includes(row.scenario)) {
    if (row.scenario !== MIXED_WRITES) checks.push(mark(row.requestsPerSecond >= 2000, '≥2000/s'));
    checks.push(mark(row.p99Ms < 20, 'p99<20'));
  } else if (row.passwordBound && row.scenario !== 'AdminCreateUser') {
    checks.push(mark(row.requestsPerSecond >= 0.9 * hashLimit(row, r), '≥90% hash'));
  }
  // Issue 23: at least twice cognito-local and ten times moto on every non-password operation.
  if (!row.passwordBound) {
    for (const peer of peers.filter((p) => p.scenario === row.scenario)) {
      const need = PEER_FACTOR[peer.server];
      if (need !== undefined) checks.push(mark(row.requestsPerSecond >= need * peer.requestsPerSecond, `≥${need}x ${peer.server}`));
    }
  }
  return checks.join(' ');
}

function flatness(r: BenchReport): string[] {
  const ours = r.rows.filter((row) => row.server === 'userpoold' && row.instances === 1);
  const sizes = [...new Set(ours.map((row) => row.poolSize))].filter((s) => s >= 10_000).sort((a, b) => a - b);
  if (sizes.length < 2) return [];
  const [low, high] = [sizes[0] as number, sizes[sizes.length - 1] as number];
  const out = [`Flatness, ${n(low)} → ${n(high)} users (target within ±20%):`, ''];
  for (const scenario of ['AdminCreateUser', 'AdminGetUser', 'ListUsers email =', 'ListUsers email ^= (Limit 10)']) {
    const a = ours.find((row) => row.poolSize === low && row.scenario === scenario);
    const b = ours.find((row) => row.poolSize === high && row.scenario === scenario);
    if (!a || !b) continue;
    const change = (100 * (b.requestsPerSecond - a.requestsPerSecond)) / a.requestsPerSecond;
    out.push(`- ${scenario}: ${a.requestsPerSecond.toFixed(0)} → ${b.requestsPerSecond.toFixed(0)} req/s (${change >= 0 ? '+' : ''}${change.toFixed(0)}%) ${mark(Math.abs(change) <= 20, '')}`);
  }
  const last = r.phases.find((p) => p.poolSize === high && p.instances === 1);
  if (last) {
    out.push(`- At ${n(high)} users: peak RSS ${last.maxRssKib ? (last.maxRssKib / 1024).toFixed(0) : '?'} MB ${mark((last.maxRssKib ?? Infinity) < 200 * 1024, '<200 MB')}, start-up ${last.createAppToListenMs?.toFixed(0)} ms ${mark((last.createAppToListenMs ?? Infinity) < 1000, '<1 s')}`);
  }
  return out;
}

/** What a second instance adds, at each size: the throughput of N instances over that of one. */
function scaling(r: BenchReport): string[] {
  const ours = r.rows.filter((row) => row.server === 'userpoold');
  const counts = [...new Set(ours.map((row) => row.instances))].filter((k) => k > 1).sort((a, b) => a - b);
  if (counts.length === 0 || !ours.some((row) => row.instances === 1)) return [];
  const out = ['', 'Scaling with instances (req/s of N instances / req/s of one, same pool size):', ''];
  const sizes = [...new Set(ours.map((row) => row.poolSize))].sort((a, b) => a - b);
  out.push(`| operation | ${sizes.flatMap((s) => counts.map((k) => `${n(s)} users, ${k} instances`)).join(' | ')} |`);
  out.push(`| --- |${' ---: |'.repeat(sizes.length * counts.length)}`);
  for (const scenario of [...new Set(ours.map((row) => row.scenario))]) {
    const cells = sizes.flatMap((size) =>
      counts.map((k) => {
        const one = ours.find((row) => row.poolSize === size && row.instances === 1 && row.scenario === scenario);
        const many = ours.find((row) => row.poolSize === size && row.instances === k && row.scenario === scenario);
        return one && many ? `${(many.requestsPerSecond / one.requestsPerSecond).toFixed(2)}x` : '–';
      }),
    );
    out.push(`| ${scenario} | ${cells.join(' | ')} |`);
  }
  return out;
}

function mark(ok: boolean, what: string): string {
  return `${ok ? '✅' : '❌'}${what ? ' ' + what : ''}`;
}

function n(x: number): string {
  return x.toLocaleString('en-US');
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function safeExec(command: string): string {
  try {
    return execSync(command, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
}
