import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { summary } from './export.js';
import { ConfigError, loadConfig } from '../kernel/config.js';
import { cryptoRandom } from '../kernel/random.js';
import { createSecretBox } from '../kernel/secret-box.js';
import { loadServerKey } from '../services/keys/server-key.js';
import { openDatabase, type OpenedDatabase } from '../storage/open-database.js';
import { importDump, type Counts } from '../storage/transfer.js';

/**
 * `userpoold import [--force] [server options] < dump.jsonl`: loads a dump made by `userpoold
 * export` into the database the server options name, all or nothing. The target must be empty
 * unless --force, which replaces its contents. The server key must be the exporting server's:
 * sealed values move as they are.
 */
export async function importCommand(args: readonly string[], env: NodeJS.ProcessEnv, input: Readable = process.stdin): Promise<Counts> {
  const force = args.includes('--force') || args.includes('--force=true');
  const config = loadConfig(
    args.filter((a) => a !== '--force' && a !== '--force=true'),
    env,
  );
  if (config.serverKey === undefined && config.serverKeyFile === undefined && !existsSync(join(config.dataDir, 'server.key'))) {
    // A key made up here could open nothing in the dump.
    throw new ConfigError("import: give the exporting server's key (--server-key or --server-key-file, or its server.key copied into --data-dir)");
  }
  if ((input as { isTTY?: boolean }).isTTY) throw new ConfigError('import: expected a dump on standard input (userpoold import < dump.jsonl)');
  const secrets = createSecretBox(loadServerKey(config, cryptoRandom), cryptoRandom);
  let target: OpenedDatabase | undefined;
  try {
    const open = async () => (target = await openDatabase(config, { mustExist: false, command: 'import' }));
    const counts = await importDump(input, { force, secrets, open });
    process.stderr.write(`userpoold: imported ${summary(counts)}\n`);
    return counts;
  } finally {
    await target?.db.destroy();
  }
}
