import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { runLoad, sequence } from './load.js';
import { createBenchPool, peerHeaders } from './peer-api.js';
import { spawnServer, type ServerProcess } from './process.js';
import { SEEDED_PASSWORD, seededEmail, seededUsername } from './seed.js';
import { CLASS, usersOfClass } from './workloads.js';

/**
 * moto's server (Python), when `moto_server` is installed: it keeps everything in memory and
 * has no data file, so it is seeded through its API (16 requests in flight, not measured):
 * AdminCreateUser for everyone, then AdminSetUserPassword (permanent) for the users whose
 * operations depend on being confirmed (reset, recovery, sign-in). moto accepts any reset code that it did not issue itself, so no codes are seeded.
 */
export function motoVersion(): string | undefined {
  try {
    execFileSync('moto_server', ['--help'], { stdio: 'ignore' });
    return execFileSync('python3', ['-c', 'import moto; print(moto.__version__)'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

export interface Peer {
  name: string;
  server: ServerProcess;
  poolId: string;
  clientId: string;
  codeHolders: number[];
  lacks: ReadonlySet<string>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}



export async function startMoto(size: number, log: (line: string) => void): Promise<Peer> {
  const port = await freePort();
  const server = await spawnServer('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { port, ready: /Running on/ });
  const { poolId, clientId } = await createBenchPool('moto', server.url);
  const t0 = performance.now();
  const creates = Array.from({ length: size }, (_, i) => ({
    headers: peerHeaders('AdminCreateUser'),
    body: JSON.stringify({
      UserPoolId: poolId,
      Username: seededUsername(i),
      TemporaryPassword: 'Temp0rary!pass',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: seededEmail(i) },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'given_name', Value: `Given${i % 1000}` },
      ],
    }),
  }));
  // Confirmed, as ours are, for the classes whose operations depend on the state.
  const stateful = new Set<number>([CLASS.adminReset, CLASS.forgot, CLASS.confirm, CLASS.signIn]);
  const signIns = Array.from({ length: size }, (_, i) => i).filter((i) => stateful.has(i % 10));
  const passwords = signIns.map((i) => ({
    headers: peerHeaders('AdminSetUserPassword'),
    body: JSON.stringify({ UserPoolId: poolId, Username: seededUsername(i), Password: SEEDED_PASSWORD, Permanent: true }),
  }));
  for (const requests of [creates, passwords]) {
    const done = await runLoad({ url: server.url, step: sequence(requests, false), concurrency: 16, warmupMs: 0, durationMs: 3_600_000 });
    if (done.errors > 0) throw new Error(`moto seeding: ${done.firstError}`);
  }
  log(`moto, ${size.toLocaleString('en-US')} users: seeded through its API in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return {
    name: 'moto',
    server,
    poolId,
    clientId,
    codeHolders: usersOfClass({ from: 0, size }, CLASS.confirm, 2_000),
    lacks: new Set(),
    async close() {
      await server.stop();
    },
  };
}
