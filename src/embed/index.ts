import { feedbackToken } from '../services/threat/feedback-token.js';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type App } from '../app/create-app.js';
import type { SeedInput } from '../app/seed/index.js';
import { defaultConfig, type Config } from '../kernel/config.js';
import { openMessage, type OpenedMessage } from '../services/delivery/message-view.js';

/**
 * userpoold inside a test process (docs/embedding.md):
 *
 *   const server = await startUserpoold({ seed: 'test/seed.yaml' });
 *   new CognitoIdentityProviderClient({ endpoint: server.endpoint, region: server.region, ... });
 *
 * Storage is an in-memory SQLite database by default, so nothing is left on disk and every
 * start begins empty; `reset()` empties everything and applies the seed again, keeping the
 * endpoint, so tests can share one server and still start from the same state.
 */
export interface StartOptions extends Partial<Omit<Config, 'seed'>> {
  /** A seed file's path, or the seed as a value (the same shape as the file, docs/seed.md). */
  seed?: SeedInput;
  /** memory (default): nothing on disk. sqlite: the SQLite file in `dataDir`, which reset() deletes. */
  storage?: 'memory' | 'sqlite';
}

export interface UserpooldServer {
  /** http://127.0.0.1:PORT, for the SDK's `endpoint`. */
  endpoint: string;
  region: string;
  port: number;
  /** Messages queued for delivery (with their codes), oldest first, newest last. */
  messages(filter?: MessageFilter): Promise<QueuedMessage[]>;
  /**
   * The FeedbackToken of a threat protection auth event (UpdateAuthEventFeedback): AWS sends it
   * in its risk notification emails, which userpoold does not send, so a test gets it here.
   */
  authEventFeedbackToken(poolId: string, eventId: string): string;
  /** Empties everything (pools, users, codes, tokens, messages, credentials), then applies the seed again. */
  reset(): Promise<void>;
  /** Stops listening and closes the storage. */
  stop(): Promise<void>;
}

export interface MessageFilter {
  poolId?: string;
  username?: string;
  /** The CustomMessage trigger source suffix: ForgotPassword, AdminCreateUser, SignUp, ... */
  trigger?: string;
  channel?: 'EMAIL' | 'SMS';
  destination?: string;
}

/**
 * A queued message as messages() gives it: the code (or temporary password) included; `body`
 * is the text with its placeholders ({####}, {username}) as queued, filled in when sent.
 */
export type QueuedMessage = OpenedMessage;

/** How many of the newest messages messages() looks at. */
const MESSAGE_WINDOW = 1000;

export async function startUserpoold(options: StartOptions = {}): Promise<UserpooldServer> {
  const { seed, storage = 'memory', ...given } = options;
  if (storage !== 'memory' && storage !== 'sqlite') throw new Error(`startUserpoold: storage must be 'memory' or 'sqlite', not ${String(storage)}`);
  if (storage === 'sqlite' && given.dataDir === undefined) throw new Error("startUserpoold: storage 'sqlite' needs a dataDir");
  if (given.databaseUrl !== undefined) throw new Error('startUserpoold: PostgreSQL is not offered here: reset() could not empty a shared database safely');
  const config: Config = {
    ...defaultConfig(),
    host: '127.0.0.1',
    port: 0,
    // The server's notices would clutter a test run; its own faults still show.
    logLevel: 'error',
    ...given,
    dataDir: storage === 'memory' ? ':memory:' : (given.dataDir as string),
    seed: undefined,
  };
  const start = async (port: number): Promise<{ app: App; port: number }> => {
    const app = await createApp({ ...config, port }, seed === undefined ? {} : { seed });
    try {
      return { app, port: await app.listen() };
    } catch (err) {
      await app.close();
      throw err;
    }
  };
  let current = await start(config.port);
  const port = current.port;
  let stopped = false;
  const alive = (what: string) => {
    if (stopped) throw new Error(`startUserpoold: ${what} after stop()`);
  };

  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: config.region,
    port,
    async messages(filter = {}) {
      alive('messages()');
      const { deps } = current.app;
      const rows = await deps.store.listMessages({ poolId: filter.poolId, username: filter.username, limit: MESSAGE_WINDOW });
      return rows
        .filter((row) => (filter.trigger === undefined || row.trigger === filter.trigger) && (filter.channel === undefined || row.channel === filter.channel))
        .filter((row) => filter.destination === undefined || row.destination === filter.destination)
        .map((row) => openMessage(row, deps.secrets));
    },
    authEventFeedbackToken(poolId, eventId) {
      alive('authEventFeedbackToken()');
      return feedbackToken(current.app.deps.secrets, poolId, eventId);
    },
    async reset() {
      alive('reset()');
      // A new store is the only complete way to empty one: a fresh in-memory database (or a
      // deleted file), and a new server on the same port, so the endpoint stays valid.
      // Until the new server is up this handle is unusable; if it fails to start, it stays so.
      stopped = true;
      await current.app.close();
      if (storage === 'sqlite') for (const suffix of ['', '-wal', '-shm']) rmSync(join(config.dataDir, `userpoold.sqlite${suffix}`), { force: true });
      current = await start(port);
      stopped = false;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await current.app.close();
    },
  };
}

export type { SeedInput };
