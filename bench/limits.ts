import argon2 from 'argon2';
import { performance } from 'node:perf_hooks';
import type { Config } from '../src/kernel/config.js';
import { runLoad, sequence, type LoadResult } from './load.js';
import { BARE_ENTRY, bundle, spawnServer } from './process.js';
import { threadPoolSize } from '../src/kernel/thread-pool-size.js';

/**
 * The physical limits the operations are compared with, measured in the same run: node:http
 * answering `{}` under the same load generator, and argon2id at the configured parameters,
 * as many hashes in flight as libuv has threads (UV_THREADPOOL_SIZE, 4 unless set).
 */

export async function bareHttp(load: { concurrency: number; warmupMs: number; durationMs: number }): Promise<LoadResult> {
  const server = await spawnServer(process.execPath, [await bundle(BARE_ENTRY)]);
  try {
    const body = JSON.stringify({ UserPoolId: 'us-east-1_AAAAAAAAA', Username: 'user12345' });
    const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetUser' };
    return await runLoad({ url: server.url, step: sequence([{ headers, body }], true), ...load });
  } finally {
    await server.stop();
  }
}

export async function argon2Rate(config: Config, durationMs: number): Promise<{ hashesPerSecond: number; medianMs: number; inFlight: number }> {
  const options = { type: argon2.argon2id, memoryCost: config.argon2MemoryKib, timeCost: config.argon2Iterations, parallelism: config.argon2Parallelism } as const;
  await argon2.hash('warm-up', options);
  const inFlight = threadPoolSize();
  const stopAt = performance.now() + durationMs;
  const times: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < stopAt) {
        const t = performance.now();
        await argon2.hash('Seeded-passw0rd!', options);
        times.push(performance.now() - t);
      }
    }),
  );
  const elapsed = performance.now() - start;
  times.sort((a, b) => a - b);
  return { hashesPerSecond: times.length / (elapsed / 1000), medianMs: times[times.length >> 1] ?? NaN, inFlight };
}

/**
 * The physical limit of the OAuth token workloads: RS256 signatures per second in this process,
 * with jose as the server signs (an RSA 2048 key, an access token's claims), as many signatures
 * in flight as libuv has threads (WebCrypto signs off the main thread).
 */
export async function rs256Rate(durationMs: number): Promise<{ signaturesPerSecond: number; medianMs: number; inFlight: number }> {
  const { SignJWT, generateKeyPair } = await import('jose');
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const claims = { sub: '8f1c6a42-0000-4000-8000-000000000000', token_use: 'access', scope: 'openid email', client_id: 'bench', username: 'user1', origin_jti: 'x', event_id: 'y' };
  const sign = () => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'bench' }).setIssuedAt().setExpirationTime('1h').setJti('z').sign(privateKey);
  await sign();
  const inFlight = threadPoolSize();
  const stopAt = performance.now() + durationMs;
  const times: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < stopAt) {
        const t = performance.now();
        await sign();
        times.push(performance.now() - t);
      }
    }),
  );
  const elapsed = performance.now() - start;
  times.sort((a, b) => a - b);
  return { signaturesPerSecond: times.length / (elapsed / 1000), medianMs: times[times.length >> 1] ?? NaN, inFlight };
}
