import { assertDatabaseExists, parseLimit, splitOwnFlags } from './flags.js';
import { loadConfig } from '../kernel/config.js';
import { cryptoRandom } from '../kernel/random.js';
import { createSecretBox } from '../kernel/secret-box.js';
import { loadServerKey } from '../services/keys/server-key.js';
import { openStore } from '../storage/dialects.js';
import { formatMessageLine } from '../services/delivery/message-view.js';

const OWN_FLAGS = ['pool', 'user', 'limit', 'follow'] as const;
const FOLLOW_POLL_MS = 1000;

/**
 * `userpoold messages [--pool ID] [--user NAME] [--limit N] [server options]`: the queued
 * messages of the data folder the server uses (same --data-dir, --config, USERPOOLD_*).
 */
export async function messagesCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { own, rest } = splitOwnFlags('messages', args, OWN_FLAGS, ['follow']);
  const limit = parseLimit('messages', own.get('limit'));
  const config = loadConfig(rest, env);
  assertDatabaseExists('messages', config);
  const store = await openStore(config);
  const secrets = createSecretBox(loadServerKey(config, cryptoRandom), cryptoRandom);
  const query = { poolId: own.get('pool'), username: own.get('user') };
  try {
    let rows = await store.listMessages({ ...query, limit });
    let lastId = rows.at(-1)?.id;
    for (const row of rows) process.stdout.write(formatMessageLine(row, secrets) + '\n');
    // --follow: keep printing new messages as they are queued, until interrupted.
    while (own.get('follow') === 'true') {
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
      rows = await store.listMessages({ ...query, afterId: lastId, limit: 1000 });
      for (const row of rows) process.stdout.write(formatMessageLine(row, secrets) + '\n');
      lastId = rows.at(-1)?.id ?? lastId;
    }
  } finally {
    await store.close();
  }
}
