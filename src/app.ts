import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { buildHandlers } from './operations/index.js';
import type { Deps } from './operations/deps.js';
import { devMessagesRoute } from './protocol/dev-messages-route.js';
import { createHttpServer, type GetRoute } from './protocol/http-server.js';
import { systemClock, type Clock } from './services/clock.js';
import { createCodes } from './services/codes.js';
import { createLogger, type Logger } from './services/logger.js';
import { createArgon2Hasher, type PasswordHasher } from './services/password-hasher.js';
import { cryptoRandom, type Random } from './services/random.js';
import { createSecretBox, loadOrCreateServerKey } from './services/secret-box.js';
import { openSqliteStore } from './storage/sqlite.js';
import type { Store } from './storage/store.js';

/** Replaceable parts, for tests: pin the clock, share a store, silence the log. */
export interface AppOverrides {
  clock?: Clock;
  random?: Random;
  logger?: Logger;
  store?: Store;
  hasher?: PasswordHasher;
}

export interface App {
  deps: Deps;
  server: Server;
  /** Starts listening; resolves to the bound port. */
  listen(): Promise<number>;
  /** Stops accepting requests, finishes those in flight, closes the store. */
  close(): Promise<void>;
}

/** The composition root: the only place that chooses implementations. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const random = overrides.random ?? cryptoRandom;
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const store = overrides.store ?? (await openSqliteStore(config.dataDir));
  const secrets = createSecretBox(loadOrCreateServerKey(config.dataDir, random), random);
  const hasher =
    overrides.hasher ??
    createArgon2Hasher({ memoryKib: config.argon2MemoryKib, iterations: config.argon2Iterations, parallelism: config.argon2Parallelism });
  const codes = createCodes(clock, random, secrets);
  const deps: Deps = { config, store, clock, random, hasher, secrets, logger, codes };

  const getRoutes: GetRoute[] = [
    async (path) => (path === '/health' ? { status: 200, body: { status: 'ok' } } : undefined),
    devMessagesRoute(deps),
  ];
  const server = createHttpServer({ handlers: buildHandlers(deps), getRoutes, logger, random });

  return {
    deps,
    server,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await store.close();
    },
  };
}
