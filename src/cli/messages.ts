import { assertDatabaseExists, parseLimit, splitOwnFlags } from './flags.js';
import { loadConfig } from '../kernel/config.js';
import { cryptoRandom } from '../kernel/random.js';
import { createSecretBox } from '../kernel/secret-box.js';
import { settingsOf } from '../domain/pools/user-pool.js';
import type { OutboxRecord } from '../ports/outbox.js';
import type { Store } from '../ports/store.js';
import { findUser } from '../services/directory/find-user.js';
import { loadServerKey } from '../services/keys/server-key.js';
import { openStore } from '../storage/dialects.js';
import { formatMessageLine } from '../services/delivery/message-view.js';

const OWN_FLAGS = ['pool', 'user', 'limit', 'follow'] as const;
const FOLLOW_POLL_MS = 1000;
/** The columns of formatMessageLine, as a comment line so the rows stay tab-separated data. */
const HEADER = '# time\tpool\tusername\ttrigger\tchannel:destination\tstate\tcode';
const POOL_PAGE = 1000;

interface Target {
  poolId: string | undefined;
  username: string | undefined;
}

/**
 * `userpoold messages [--pool ID] [--user NAME] [--limit N] [server options]`: the queued
 * messages of the data folder the server uses (same --data-dir, --config, USERPOOLD_*).
 * --user finds the user as the API does: by username, alias (email, phone) or sub.
 */
export async function messagesCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { own, rest } = splitOwnFlags('messages', args, OWN_FLAGS, ['follow']);
  const limit = parseLimit('messages', own.get('limit'));
  const config = loadConfig(rest, env);
  assertDatabaseExists('messages', config);
  const store = await openStore(config);
  const secrets = createSecretBox(loadServerKey(config, cryptoRandom), cryptoRandom);
  try {
    const targets = await targetsOf(store, own.get('pool'), own.get('user'));
    const print = (rows: readonly OutboxRecord[]) => {
      for (const row of rows) process.stdout.write(formatMessageLine(row, secrets) + '\n');
    };
    process.stdout.write(HEADER + '\n');
    let rows = newest(await Promise.all(targets.map((t) => store.listMessages({ ...t, limit }))), limit);
    print(rows);
    const lastIds = new Map(targets.map((t, i) => [i, rows.filter((r) => matches(r, t)).at(-1)?.id]));
    // --follow: keep printing new messages as they are queued, until interrupted.
    while (own.get('follow') === 'true') {
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
      const fresh = await Promise.all(targets.map((t, i) => store.listMessages({ ...t, afterId: lastIds.get(i), limit: 1000 })));
      fresh.forEach((found, i) => lastIds.set(i, found.at(-1)?.id ?? lastIds.get(i)));
      rows = newest(fresh, Number.MAX_SAFE_INTEGER);
      print(rows);
    }
  } finally {
    await store.close();
  }
}

/**
 * Whose messages to show. A name is looked up in the pool given, or in every pool, the way the
 * API resolves a Username (username, alias or sub); a name that finds nobody (a deleted user)
 * is matched as the username the messages were queued under.
 */
async function targetsOf(store: Store, poolId: string | undefined, name: string | undefined): Promise<Target[]> {
  if (name === undefined) return [{ poolId, username: undefined }];
  const found: Target[] = [];
  const pools = poolId !== undefined ? [await store.getPool(poolId)] : await allPools(store);
  for (const pool of pools) {
    if (!pool) continue;
    const user = await findUser(store, pool.id, settingsOf(pool), name);
    if (user) found.push({ poolId: pool.id, username: user.username });
  }
  return found.length > 0 ? found : [{ poolId, username: name }];
}

async function allPools(store: Store) {
  const pools = [];
  for (let after: string | undefined; ; ) {
    const page = await store.listPools({ limit: POOL_PAGE, after });
    pools.push(...page);
    if (page.length < POOL_PAGE) return pools;
    after = page.at(-1)?.id;
  }
}

const matches = (row: OutboxRecord, t: Target) => (t.poolId === undefined || row.poolId === t.poolId) && (t.username === undefined || row.username === t.username);

/** The newest `limit` rows of several listings, oldest first. */
function newest(lists: readonly OutboxRecord[][], limit: number): OutboxRecord[] {
  const merged = lists.flat().sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return merged.slice(Math.max(0, merged.length - limit));
}
