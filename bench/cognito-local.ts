import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type Peer } from './moto.js';
import { createBenchPool } from './peer-api.js';
import { spawnServer } from './process.js';
import { SEEDED_CODE, SEEDED_PASSWORD, seededEmail, seededUsername } from './seed.js';
import { CLASS, usersOfClass } from './workloads.js';

/**
 * cognito-local (npm), installed on demand into a folder of its own under the system temp
 * folder (never into the project's dependencies), run from a fresh working folder on a free
 * port. Its data is one JSON file per pool, so it is seeded by writing that file while it is
 * stopped: the pool and client are created through its API first, so the file is its own.
 */
export const COGNITO_LOCAL_VERSION = '5.3.0';
const PEERS_DIR = join(tmpdir(), 'userpoold-bench-peers');

export function installCognitoLocal(log: (line: string) => void): string | undefined {
  const entry = join(PEERS_DIR, 'node_modules', 'cognito-local', 'lib', 'bin', 'start.js');
  const installed = join(PEERS_DIR, 'node_modules', 'cognito-local', 'package.json');
  if (existsSync(installed) && (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version === COGNITO_LOCAL_VERSION) return entry;
  log(`installing cognito-local@${COGNITO_LOCAL_VERSION} into ${PEERS_DIR}`);
  try {
    mkdirSync(PEERS_DIR, { recursive: true });
    if (!existsSync(join(PEERS_DIR, 'package.json'))) writeFileSync(join(PEERS_DIR, 'package.json'), '{"private":true}\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', PEERS_DIR, `cognito-local@${COGNITO_LOCAL_VERSION}`], { stdio: 'ignore', timeout: 300_000 });
    return entry;
  } catch (err) {
    log(`cognito-local could not be installed: ${String(err)}`);
    return undefined;
  }
}


/** Starts cognito-local with `size` users (the same names, emails and password as ours). */
export async function startCognitoLocal(entry: string, size: number, codeHolderCount: number): Promise<Peer & { dataBytes: number }> {
  const cwd = mkdtempSync(join(tmpdir(), 'userpoold-bench-cognito-local-'));
  mkdirSync(join(cwd, '.cognito'), { recursive: true });
  // Plain usernames, as in our pool (its default makes the email the username).
  writeFileSync(join(cwd, '.cognito', 'config.json'), JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }));
  const port = await freePort();
  const start = () =>
    spawnServer(process.execPath, [entry], { cwd, port, ready: /running on/, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' } });

  let server = await start();
  const { poolId, clientId } = await createBenchPool('cognito-local', server.url);
  await server.stop();

  const file = join(cwd, '.cognito', 'db', `${poolId}.json`);
  const data = JSON.parse(readFileSync(file, 'utf8')) as { Users: Record<string, unknown> };
  const codeHolders = usersOfClass({ from: 0, size }, CLASS.confirm, codeHolderCount);
  const holds = new Set(codeHolders);
  const now = new Date().toISOString();
  for (let i = 0; i < size; i++) {
    data.Users[seededUsername(i)] = {
      Username: seededUsername(i),
      Password: SEEDED_PASSWORD,
      Attributes: [
        { Name: 'email', Value: seededEmail(i) },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'given_name', Value: `Given${i % 1000}` },
        { Name: 'sub', Value: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}` },
      ],
      Enabled: true,
      UserStatus: 'CONFIRMED',
      ConfirmationCode: holds.has(i) ? SEEDED_CODE : undefined,
      UserCreateDate: now,
      UserLastModifiedDate: now,
      RefreshTokens: [],
    };
  }
  const text = JSON.stringify(data, null, 2);
  writeFileSync(file, text);
  server = await start();
  return {
    name: 'cognito-local',
    lacks: new Set(['AdminResetUserPassword']),
    server,
    poolId,
    clientId,
    codeHolders: [...holds],
    dataBytes: Buffer.byteLength(text),
    async close() {
      await server.stop();
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}
