import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The server as a separate process, for what an in-process server cannot show: a SIGKILL
 * mid-write, a restart on the same data, two processes sharing one database.
 */

const ENTRY = fileURLToPath(new URL('./run-server.ts', import.meta.url));

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildServer {
  process: ChildProcess;
  url: string;
  exited: Promise<ChildExit>;
}

/**
 * Starts the server on a free port with `args` (data dir, transports, ...) and waits until it
 * listens. It logs nothing unless DEBUG_CHILD is set, so a failing run can be looked into.
 */
export async function startChildServer(args: readonly string[]): Promise<ChildServer> {
  const logLevel = process.env.DEBUG_CHILD ? 'debug' : 'silent';
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, '--port', '0', '--log-level', logLevel, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<ChildExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    void exited.then(({ code, signal }) => reject(new Error(`server exited before listening (code ${code}, signal ${signal})`)));
  });
  return { process: child, url: `http://127.0.0.1:${port}`, exited };
}

/** Stops the server as a supervisor would (SIGTERM, a graceful shutdown) and waits for it to exit. */
export function stopChildServer(child: ChildServer): Promise<ChildExit> {
  child.process.kill('SIGTERM');
  return child.exited;
}

/** For after hooks: a test that failed half-way must not leave a server running. */
export function killRunningChildren(children: readonly ChildServer[]): void {
  for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
}
