import { createHmac, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { G, K, N, hashPadded, modPowN, padHex, toBigInt } from '../src/domain/auth/srp-group.js';
import { formatSrpTimestamp, privateKeyX, srpPoolName } from '../src/domain/auth/srp-protocol.js';
import { createArgon2Hasher } from '../src/services/passwords/password-hasher.js';
import { cryptoRandom } from '../src/kernel/random.js';
import { sqliteDatabase } from './databases.js';
import { runLoad, type Send, type Step } from './load.js';
import { SERVER_ENTRY, spawnServer, tsxArgs } from './process.js';
import { SEEDED_PASSWORD, createPool, seedUsers, seededUsername } from './seed.js';
import { CLASS, usersOfClass, type Scenario, type WorkloadContext } from './workloads.js';

/**
 * The USER_SRP_AUTH round trip as one unit of work: InitiateAuth (server makes B), the
 * client's arithmetic, RespondToAuthChallenge (server checks the proof, issues tokens). The
 * client side uses OpenSSL's modular exponentiation too, so the load generator is not the
 * bottleneck. Users of class SRP must have been seeded with verifiers.
 */
const TARGET = 'AWSCognitoIdentityProviderService.';
const headers = (operation: string) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET + operation });

function clientProof(poolId: string, a: bigint, A: bigint, params: Record<string, string>, timestamp: string): string {
  const userId = params.USER_ID_FOR_SRP as string;
  const B = BigInt(`0x${params.SRP_B}`);
  const x = privateKeyX(srpPoolName(poolId), userId, SEEDED_PASSWORD, params.SALT as string);
  const u = hashPadded(A, B);
  const base = (((B - ((K * modPowN(G, x)) % N)) % N) + N) % N;
  const S = modPowN(base, a + u * x);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
  const key = createHmac('sha256', prk).update(Buffer.concat([Buffer.from('Caldera Derived Key'), Buffer.from([1])])).digest().subarray(0, 16);
  return createHmac('sha256', key)
    .update(srpPoolName(poolId))
    .update(userId)
    .update(Buffer.from(params.SECRET_BLOCK as string, 'base64'))
    .update(timestamp)
    .digest('base64');
}

export function srpStep(poolId: string, clientId: string, users: readonly number[]): Step {
  return async (send: Send) => {
    const username = seededUsername(users[randomInt(0, users.length)] as number);
    const a = toBigInt(cryptoRandom.bytes(32));
    const A = modPowN(G, a);
    const first = await send({
      headers: headers('InitiateAuth'),
      body: JSON.stringify({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: A.toString(16) } }),
    });
    if (first.status !== 200) return `InitiateAuth ${first.status} ${first.text.slice(0, 200)}`;
    const params = (JSON.parse(first.text) as { ChallengeParameters: Record<string, string> }).ChallengeParameters;
    const timestamp = formatSrpTimestamp(Date.now());
    const second = await send({
      headers: headers('RespondToAuthChallenge'),
      body: JSON.stringify({
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: {
          USERNAME: params.USERNAME,
          PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK,
          PASSWORD_CLAIM_SIGNATURE: clientProof(poolId, a, A, params, timestamp),
          TIMESTAMP: timestamp,
        },
      }),
    });
    if (second.status !== 200) return `RespondToAuthChallenge ${second.status} ${second.text.slice(0, 200)}`;
    return second.text.includes('"AccessToken"') ? undefined : 'no tokens';
  };
}

/** For bench/workloads.ts: the SRP round trip over the class-SRP users of the range seeded last. */
export function srpScenario(ctx: Pick<WorkloadContext, 'poolId' | 'clientId' | 'from' | 'size'>): Scenario {
  return { name: 'USER_SRP_AUTH round trip (2 requests)', common: false, step: srpStep(ctx.poolId, ctx.clientId, usersOfClass(ctx, CLASS.srp, 1_000)) };
}

/** `tsx bench/srp.ts [--users 2000] [--seconds 10]`: the round trip alone, on a fresh pool. */
async function main(): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const users = arg('users', 2_000);
  const seconds = arg('seconds', 10);
  const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-bench-srp-'));
  try {
    const now = Date.now();
    const db = sqliteDatabase(dataDir);
    const pool = await createPool(db, 'bench-srp', now);
    const passwordHash = await createArgon2Hasher({ memoryKib: 19_456, iterations: 2, parallelism: 1 }).hash(SEEDED_PASSWORD);
    await seedUsers(db, pool, { from: 0, to: users, passwordHash, srpUsers: (i) => i % 10 === CLASS.srp }, now);
    const server = await spawnServer(process.execPath, tsxArgs(SERVER_ENTRY, ['--port', '0', '--data-dir', dataDir, '--log-level', 'error', '--public-rate-limit-per-ip', '0']));
    try {
      const res = await fetch(server.url + '/', {
        method: 'POST',
        headers: headers('CreateUserPoolClient'),
        body: JSON.stringify({ UserPoolId: pool.id, ClientName: 'bench-srp', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
      });
      const clientId = ((await res.json()) as { UserPoolClient: { ClientId: string } }).UserPoolClient.ClientId;
      const step = srpScenario({ poolId: pool.id, clientId, from: 0, size: users }).step;
      const result = await runLoad({ url: server.url, step, concurrency: 16, warmupMs: 2_000, durationMs: seconds * 1000 });
      const line = `SRP round trips: ${result.requests} in ${seconds} s = ${result.requestsPerSecond.toFixed(0)}/s; p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, max ${result.maxMs.toFixed(1)} ms; errors ${result.errors}`;
      process.stdout.write(`${line}${result.firstError ? ` (first: ${result.firstError})` : ''}\n`);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
