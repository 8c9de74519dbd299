import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { cryptoRandom } from './services/random.js';
import { createSecretBox } from './services/secret-box.js';
import { loadServerKey } from './services/server-key.js';
import { openStore } from './storage/dialects.js';
import { formatMessageLine } from './services/delivery/message-view.js';

const OWN_FLAGS = ['pool', 'user', 'limit', 'follow'] as const;
const FOLLOW_POLL_MS = 1000;
type OwnFlag = (typeof OWN_FLAGS)[number];

/**
 * `userpoold messages [--pool ID] [--user NAME] [--limit N] [server options]`: the queued
 * messages of the data folder the server uses (same --data-dir, --config, USERPOOLD_*).
 */
export async function messagesCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const own = new Map<OwnFlag, string>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(2, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg.slice(2), undefined];
    if (!arg.startsWith('--') || !OWN_FLAGS.includes(flag as OwnFlag)) {
      rest.push(arg);
      continue;
    }
    if (flag === 'follow') {
      own.set('follow', inline ?? 'true');
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new ConfigError(`messages: --${flag} needs a value`);
    own.set(flag as OwnFlag, value);
  }
  const limitText = own.get('limit') ?? '50';
  const limit = /^\d+$/.test(limitText) ? Number(limitText) : NaN;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new ConfigError('messages: --limit expects a positive whole number');
  const config = loadConfig(rest, env);
  const { dataDir } = config;
  // Reading must not create an empty database (and a key) in a mistyped folder.
  if (config.databaseUrl === undefined && !existsSync(join(dataDir, 'userpoold.sqlite'))) {
    throw new ConfigError(`messages: no userpoold database in ${dataDir}`);
  }
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
