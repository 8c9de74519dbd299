import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A server in its own process, started and stopped by the benchmark. */
export interface ServerProcess {
  url: string;
  /** The process id (per-thread CPU times are read from /proc). */
  pid: number | undefined;
  /** Milliseconds from spawn to the `listening` line (process start, module loading, open, listen). */
  spawnToListenMs: number;
  /** The numbers after `listening <port>`, when the entry prints them. */
  extra: number[];
  /** CPU time (µs, user + system, all threads; the system part also alone) and RSS so far; undefined for servers without IPC. */
  usage(): Promise<{ cpuUs: number; systemUs: number; rss: number; loopDelayMaxMs?: number; loopDelayP99Ms?: number } | undefined>;
  /** Starts the event-loop delay figures of usage() anew. */
  resetLoopDelay(): void;
  /** Stops it; resolves to its peak RSS in KiB when it reported one. */
  stop(): Promise<number | undefined>;
}

export interface SpawnOptions {
  /** Extra node flags (e.g. --cpu-prof). */
  nodeFlags?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** For entries that are not ours: the pattern of their ready line (first group: port). */
  ready?: RegExp;
  /** Use this port instead of reading it from the output. */
  port?: number;
  /** Open an IPC channel (our own entries answer usage questions on it). */
  ipc?: boolean;
}

export const SERVER_ENTRY = fileURLToPath(new URL('./server-entry.ts', import.meta.url));
export const BARE_ENTRY = fileURLToPath(new URL('./bare-server.ts', import.meta.url));

export async function spawnServer(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<ServerProcess> {
  const t0 = performance.now();
  const child: ChildProcess = spawn(command, [...(options.nodeFlags ?? []), ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  // Some servers (werkzeug, for moto) announce themselves on stderr.
  let announced: ((m: RegExpExecArray) => void) | undefined;
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
    const m = options.ready?.exec(err);
    if (m) announced?.(m);
    if (err.length > 20_000) err = err.slice(-10_000);
  });
  // 'close', not 'exit': after the process's output has all been read (its last line is maxrss).
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const ready = options.ready ?? /listening (\d+)((?: [\d.]+)*)/;
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    announced = resolve;
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = ready.exec(out);
      if (m) resolve(m);
    });
    void exited.then(() => reject(new Error(`${args.join(' ')} exited before it was ready: ${err.slice(-2000)}`)));
  });
  const spawnToListenMs = performance.now() - t0;
  const port = options.port ?? Number(match[1]);
  const extra = (match[2] ?? '').trim().split(' ').filter(Boolean).map(Number);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    spawnToListenMs,
    extra,
    async usage() {
      if (!options.ipc || !child.connected) return undefined;
      return new Promise((resolve) => {
        child.once('message', (m: { cpu: { user: number; system: number }; rss: number; loopDelayMaxMs?: number; loopDelayP99Ms?: number }) =>
          resolve({ cpuUs: m.cpu.user + m.cpu.system, systemUs: m.cpu.system, rss: m.rss, loopDelayMaxMs: m.loopDelayMaxMs, loopDelayP99Ms: m.loopDelayP99Ms }),
        );
        child.send('usage');
      });
    },
    resetLoopDelay() {
      if (options.ipc && child.connected) child.send('reset-loop-delay');
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      const rss = /maxrss (\d+)/.exec(out);
      return rss ? Number(rss[1]) : undefined;
    },
  };
}

/**
 * CPU time (µs) of a process's main thread (its event loop), from /proc; undefined where there
 * is none. schedstat's first field is the thread's time on a CPU in nanoseconds (user and
 * system), where stat's utime and stime count 10 ms ticks.
 */
export function mainThreadCpuUs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
  } catch {
    return undefined;
  }
}

/**
 * Plain JavaScript for a TypeScript entry, so that the measured process runs as in production
 * (no tsx loader thread, no transpile at start-up, no transpiler memory in its RSS). esbuild
 * (tsx's own transpiler) bundles our sources; packages stay external, resolved from the
 * project's node_modules, which is why the bundle is written under node_modules/.cache. Modules
 * the sources import lazily (the PostgreSQL driver, the SNS and Lambda SDKs, nodemailer) stay
 * in chunks of their own, loaded only when used, as they are when running from dist/.
 */
export async function bundle(entry: string): Promise<string> {
  const { build } = await import('esbuild');
  const name = basename(entry, '.ts');
  const outdir = fileURLToPath(new URL(`../node_modules/.cache/userpoold-bench/${name}-${createHash('sha1').update(entry).digest('hex').slice(0, 8)}`, import.meta.url));
  await build({
    entryPoints: [entry],
    outdir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'error',
  });
  return join(outdir, `${name}.mjs`);
}

/** Node with tsx, for entries run straight from the TypeScript sources. */
export function tsxArgs(entry: string, args: readonly string[] = []): string[] {
  return ['--import', 'tsx', entry, ...args];
}
