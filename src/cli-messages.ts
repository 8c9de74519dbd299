import { ConfigError, defaultConfig } from './config.js';
import { cryptoRandom } from './services/random.js';
import { createSecretBox, loadOrCreateServerKey } from './services/secret-box.js';
import { openSqliteStore } from './storage/sqlite.js';
import { formatMessageLine } from './services/delivery/message-view.js';

/** `userpoold messages [--data-dir DIR] [--pool ID] [--user NAME] [--limit N]` */
export async function messagesCommand(args: readonly string[]): Promise<void> {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i] as string;
    const value = args[i + 1];
    if (!['--data-dir', '--pool', '--user', '--limit'].includes(flag) || value === undefined) {
      throw new ConfigError(`messages: unexpected argument "${flag}" (see userpoold --help)`);
    }
    options.set(flag.slice(2), value);
  }
  const limit = Number(options.get('limit') ?? '50');
  if (!Number.isSafeInteger(limit) || limit < 1) throw new ConfigError('messages: --limit expects a positive whole number');
  const dataDir = options.get('data-dir') ?? process.env.USERPOOLD_DATA_DIR ?? defaultConfig().dataDir;
  const store = await openSqliteStore(dataDir);
  const secrets = createSecretBox(loadOrCreateServerKey(dataDir, cryptoRandom), cryptoRandom);
  try {
    const rows = await store.listMessages({ poolId: options.get('pool'), username: options.get('user'), limit });
    for (const row of rows) process.stdout.write(formatMessageLine(row, secrets) + '\n');
  } finally {
    await store.close();
  }
}
