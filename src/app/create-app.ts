import { loadCompromisedPasswords } from '../services/threat/compromised-passwords.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../kernel/config.js';
import { buildHandlers } from '../features/registry.js';
import type { Deps } from '../services/deps.js';
import { wellKnownRoutes } from '../http/routes/well-known.js';
import { oauthRoutes } from '../http/routes/oauth/index.js';
import { importUploadRoute } from '../http/routes/import-upload.js';
import { createImportRunner, type ImportRunner } from '../services/import/runner.js';
import { devMessagesRoute } from '../http/routes/dev-messages.js';
import { consoleRoutes } from '../http/console/console-routes.js';
import { awsJsonRoute } from '../http/routes/aws-json.js';
import { healthRoute } from '../http/routes/health.js';
import { refuseCrossOriginWhenOpen } from '../http/routes/open-mode.js';
import { createRouteTable, type RouteTable } from '../http/routes/table.js';
import { createGuards } from '../http/pipeline/guards.js';
import { createHttpServer, limitsFrom } from '../http/server.js';
import { warnAtStart } from './start-up-warnings.js';
import { createAuditLog, type AuditLog } from '../services/audit/audit-log.js';
import { systemClock, type Clock } from '../kernel/clock.js';
import { createCodes } from '../services/codes/codes.js';
import { createSmsTransport } from '../services/delivery/sms-transport-factory.js';
import { createSmtpTransport } from '../services/delivery/smtp-transport.js';
import type { EmailTransport, SmsTransport } from '../services/delivery/transport.js';
import { createDeliveryWorker, type DeliveryWorker } from '../services/delivery/worker.js';
import { createNotificationLog } from '../services/delivery/notification-log.js';
import { createQueuedChannels } from '../services/delivery/queued-channels.js';
import { createAuthEventLog } from '../services/threat/auth-event-log.js';
import { createLambdaInvoker } from '../services/triggers/invoker-registry.js';
import { createCodeEncryptor } from '../services/triggers/code-encryptor.js';
import { createCustomSenderTransport } from '../services/delivery/custom-sender-transport.js';
import type { LambdaInvoker } from '../services/triggers/custom-message.js';
import { createLogger, type Logger } from '../kernel/logger.js';
import { createArgon2Hasher, type PasswordHasher } from '../services/passwords/password-hasher.js';
import { createAdmission } from '../http/pipeline/admission.js';
import { createAuthenticator } from '../http/pipeline/authenticate.js';
import { cryptoRandom, type Random } from '../kernel/random.js';
import { createSecretBox } from '../kernel/secret-box.js';
import { loadServerKey } from '../services/keys/server-key.js';
import { createSweeper, type Sweeper } from '../services/sweeper/sweeper.js';
import { openStore } from '../storage/dialects.js';
import type { Store } from '../ports/store.js';
import { MEMORY } from '../storage/sqlite.js';
import { applySeedInput, type SeedInput } from './seed/index.js';

/** Replaceable parts, for tests: pin the clock, share a store, silence the log. */
export interface AppOverrides {
  lambda?: LambdaInvoker;
  clock?: Clock;
  random?: Random;
  logger?: Logger;
  store?: Store;
  hasher?: PasswordHasher;
  /** Replace the transports the configuration would choose (smtpUrl, smsTransport). */
  email?: EmailTransport;
  sms?: SmsTransport;
  /** A seed to apply at start instead of config.seed (the embedded API passes values too). */
  seed?: SeedInput;
}

export interface App {
  deps: Deps;
  server: Server;
  /** What the server answers: every route, for tests that must reach each one. */
  routes: RouteTable;
  /** The outbox delivery worker: started by listen(), drained by close(). */
  delivery: DeliveryWorker;
  /** The audit log's writer: flushed in batches, and by close(). */
  audit: AuditLog;
  /** Deletes expired rows: started by listen(), stopped by close(). */
  sweeper: Sweeper;
  /** Runs user import jobs: started by listen(), stopped by close() (its job handed back for a restart). */
  imports: ImportRunner;
  /** Starts listening; resolves to the bound port. */
  listen(): Promise<number>;
  /** Stops accepting requests, finishes those in flight and the sends in flight, closes the store. */
  close(): Promise<void>;
}

/** The composition root: the only place that chooses implementations. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const random = overrides.random ?? cryptoRandom;
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger(config.logLevel);
  // The key first: a refused key must not leave a database pool open behind it.
  const secrets = createSecretBox(inMemoryOnly(config) ? random.bytes(32) : loadServerKey(config, random), random);
  // Read before the store opens: a missing file must not leave a database pool open behind it.
  const compromisedPasswords = config.compromisedPasswords === undefined ? undefined : loadCompromisedPasswords(config.compromisedPasswords, secrets);
  const store = overrides.store ?? (await openStore(config));
  const hasher =
    overrides.hasher ??
    createArgon2Hasher({
      memoryKib: config.argon2MemoryKib,
      iterations: config.argon2Iterations,
      parallelism: config.argon2Parallelism,
      concurrency: config.argon2Concurrency,
    });
  const codes = createCodes(clock, random, secrets);
  const email =
    overrides.email ??
    (config.smtpUrl === undefined
      ? undefined
      : createSmtpTransport({ url: config.smtpUrl, defaultFrom: config.emailFrom, rejectUnauthorized: config.smtpTlsRejectUnauthorized }));
  const sms = overrides.sms ?? createSmsTransport(config, logger);
  const notificationLog = config.logDeliveryDir === undefined ? undefined : createNotificationLog({ dir: config.logDeliveryDir, store, clock, logger });
  const authEventLog = config.logDeliveryDir === undefined ? undefined : createAuthEventLog({ dir: config.logDeliveryDir, store, clock, logger });
  // Created early: every trigger invocation, from a request or from the outbox, is audited.
  const audit = createAuditLog({ store, clock, logger });
  const lambda = overrides.lambda ?? createLambdaInvoker(config, logger, (invocation) => audit.recordTrigger(invocation));
  const encryptor = createCodeEncryptor({ endpoint: config.kmsEndpoint, defaultRegion: config.region, timeoutMs: config.triggerTimeoutMs });
  const customSender = createCustomSenderTransport({ lambda, encryptor, region: config.region });
  const queuedChannels = createQueuedChannels();
  const delivery = createDeliveryWorker({ store, clock, random, secrets, logger, config, email, sms, customSender, notificationLog, workerId: `worker-${random.uuid()}` });
  const imports = createImportRunner({ store, clock, random, logger, workerId: `importer-${random.uuid()}`, claimTtlMs: config.importClaimTtlMs, pipeline: config.databaseUrl === undefined ? 3 : 1 });
  const deps: Deps = {
    config,
    store,
    clock,
    random,
    hasher,
    secrets,
    logger,
    codes,
    lambda,
    compromisedPasswords,
    authEventLog,
    queuedChannels,
    onMessageQueued: () => {
      if (queuedChannels.includesAny(delivery.channels)) delivery.wake();
    },
    onImportJobChanged: () => imports.wake(),
  };
  // Before the authenticator looks for credentials (the seed may bring some) and before listening.
  const seed = overrides.seed ?? config.seed;
  if (seed !== undefined) {
    try {
      const applied = await applySeedInput(seed, deps);
      logger.info('seed applied', { seed: typeof seed === 'string' ? seed : 'object', ...applied });
    } catch (err) {
      await lambda.close?.();
      if (!overrides.store) await store.close();
      throw err;
    }
  }

  const authenticate = await createAuthenticator({ config, store, secrets, clock, logger });
  // Open mode (no credentials) is for this machine's own tools: no other origin, no foreign Host.
  const isOpen = authenticate.isOpen;
  const guards = createGuards({ authenticate: refuseCrossOriginWhenOpen(authenticate, isOpen), admit: createAdmission({ config, store, clock, logger, isOpen }), audit });
  const routes = createRouteTable([
    awsJsonRoute({ handlers: buildHandlers(deps), guards, logger }),
    healthRoute,
    devMessagesRoute(deps, { credentialsExist: async () => !(await isOpen()) }),
    ...wellKnownRoutes(deps),
    ...oauthRoutes(deps),
    importUploadRoute(deps),
    ...(await consoleRoutes(deps, { isOpen, flushAudit: () => audit.flush() })),
  ]);
  const loopbackHostOnly = config.insecureOpen ? undefined : isOpen;
  const server = createHttpServer({ routes, logger, random, limits: limitsFrom(config), loopbackHostOnly });
  warnAtStart(config, logger);
  const sweeper = createSweeper({ store, clock, random, logger, config });

  return {
    deps,
    server,
    routes,
    delivery,
    audit,
    sweeper,
    imports,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          delivery.start();
          sweeper.start();
          imports.start();
          resolve((server.address() as AddressInfo).port);
        });
      }),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await audit.close();
      await authEventLog?.flush();
      await imports.stop();
      await delivery.stop();
      await sweeper.stop();
      await lambda.close?.();
      await store.close();
    },
  };
}

/** `--data-dir :memory:` without a configured key: the key lives as long as the database, in memory. */
function inMemoryOnly(config: Config): boolean {
  return config.dataDir === MEMORY && config.databaseUrl === undefined && config.serverKey === undefined && config.serverKeyFile === undefined;
}
