import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App, type AppOverrides } from '../../src/app/create-app.js';
import { defaultConfig, type Config } from '../../src/kernel/config.js';
import { ManualClock } from '../../src/kernel/clock.js';
import { createLogger } from '../../src/kernel/logger.js';

export interface TestServer {
  app: App;
  url: string;
  port: number;
  clock: ManualClock;
  client: CognitoIdentityProviderClient;
  /** A raw AWS JSON 1.1 call, for what the SDK would not send. */
  raw(target: string, body: unknown, headers?: Record<string, string>): Promise<RawResponse>;
  close(): Promise<void>;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/**
 * A userpoold on port 0 with its own data folder, a pinned clock and cheap argon2 parameters,
 * plus an SDK v3 client pointed at it. `dialect: 'postgres'` keeps its data in a fresh
 * PostgreSQL schema instead, dropped on close (see support/postgres-schema.ts for skipping).
 */
export async function startServer(options: { config?: Partial<Config>; overrides?: AppOverrides; dialect?: 'sqlite' | 'postgres' } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-test-'));
  // Loaded only when asked for, so SQLite-only files never touch PostgreSQL.
  const schema = options.dialect === 'postgres' ? await (await import('./postgres-schema.js')).createTestSchema() : undefined;
  const config: Config = {
    ...defaultConfig(),
    port: 0,
    dataDir,
    logLevel: 'silent',
    argon2MemoryKib: 64,
    argon2Iterations: 1,
    ...(schema && { databaseUrl: schema.url, databasePoolSize: 4, serverKey: randomBytes(32).toString('base64') }),
    ...options.config,
  };
  const clock = new ManualClock(Date.UTC(2026, 10, 1, 12, 0, 0));
  // Only our own faults are logged at error level: they show in the test output with their cause.
  const app = await createApp(config, { clock, logger: createLogger('error'), ...options.overrides });
  const port = await app.listen();
  const url = `http://127.0.0.1:${port}`;
  const client = sdkClient(url);
  return {
    app,
    url,
    port,
    clock,
    client,
    async raw(target, body, headers = {}) {
      const res = await fetch(url + '/', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': `AWSCognitoIdentityProviderService.${target}`,
          ...headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
    },
    async close() {
      client.destroy();
      try {
        await app.close();
      } finally {
        await schema?.drop();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function sdkClient(url: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 1,
  });
}

/** Runs `fn`, expecting it to fail with an AWS error of this name and message. */
export async function expectAwsError(fn: () => Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught, `expected ${name}, but the call succeeded`);
  const err = caught as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
  if (typeof message === 'string') assert.equal(err.message, message);
  else if (message) assert.match(err.message ?? '', message);
}
