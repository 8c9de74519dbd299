import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { runCore, type CoreRow } from './core.js';

/**
 * `npm run bench`: every benchmark in turn, then a Markdown table for bench/RESULTS.md.
 * `npm run bench -- --quick` shortens everything for a smoke run.
 */
const quick = process.argv.includes('--quick');
const log = (line: string) => process.stdout.write(line + '\n');

const cpu = /model name\s*:\s*(.*)/.exec(safeRead('/proc/cpuinfo'))?.[1] ?? 'unknown';
log(`# userpoold benchmark, ${new Date().toISOString()}`);
log(`machine: ${availableParallelism()} cores (nproc ${safeExec('nproc')}), ${cpu}, node ${process.version}`);
// Other work on the machine skews everything; the load average says how much there was.
const showLoad = () => `load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`;
log(`before: ${showLoad()}`);

const rows = await runCore({
  sizes: quick ? [1_000, 2_000] : [10_000, 100_000],
  concurrency: 16,
  warmupMs: quick ? 500 : 2_000,
  durationMs: quick ? 2_000 : 10_000,
  log,
});

log(`after: ${showLoad()}`);
log('');
log('| users in pool | operation | req/s | p50 ms | p99 ms | max ms | errors |');
log('| ---: | --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows.filter((r) => !r.scenario.startsWith('store '))) log(row(r));
log('');
log('| users in pool | store call (in process, sequential) | median µs | p99 µs |');
log('| ---: | --- | ---: | ---: |');
for (const r of rows.filter((r) => r.scenario.startsWith('store '))) {
  log(`| ${r.poolSize.toLocaleString('en-US')} | ${r.scenario.slice(6)} | ${(r.p50Ms * 1000).toFixed(0)} | ${(r.p99Ms * 1000).toFixed(0)} |`);
}

function row(r: CoreRow): string {
  return `| ${r.poolSize.toLocaleString('en-US')} | ${r.scenario} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.maxMs.toFixed(1)} | ${r.errors} |`;
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
    return execSync(command, { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}
