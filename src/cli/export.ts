import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { loadConfig, type Config } from '../kernel/config.js';
import { cryptoRandom } from '../kernel/random.js';
import { createSecretBox } from '../kernel/secret-box.js';
import { loadServerKey } from '../services/keys/server-key.js';
import { openDatabase } from '../storage/open-database.js';
import { exportDump, keyCheck, type Counts } from '../storage/transfer.js';

/**
 * `userpoold export [server options] > dump.jsonl`: every table of the database the server
 * options name (--data-dir or --database-url) as JSON lines on stdout, for `userpoold import`.
 * Sealed values stay sealed; the dump records a check value of the server key when the key is
 * at hand, so an import with another key is refused before it writes anything.
 */
export async function exportCommand(args: readonly string[], env: NodeJS.ProcessEnv, output: NodeJS.WritableStream = process.stdout): Promise<Counts> {
  const config = loadConfig(args, env);
  const check = keyAtHand(config) ? keyCheck(createSecretBox(loadServerKey(config, cryptoRandom), cryptoRandom)) : undefined;
  const { db, dialect } = await openDatabase(config, { mustExist: true, command: 'export' });
  // A reader that went away (`| head`) ends the export with one line, not an unhandled error.
  let failed: Error | undefined;
  const onError = (err: Error) => (failed ??= err);
  output.on('error', onError);
  try {
    const counts = await exportDump(
      db,
      dialect,
      async (line) => {
        if (failed) throw new Error(`export: cannot write the dump: ${failed.message}`);
        await writeLine(output, line);
      },
      { keyCheck: check, now: new Date() },
    );
    process.stderr.write(`userpoold: exported ${summary(counts)}\n`);
    if (check === undefined) process.stderr.write('userpoold: no server key given, so the dump carries no key check; import will test its sealed values instead\n');
    return counts;
  } finally {
    output.off('error', onError);
    await db.destroy();
  }
}

/** Whether a key is configured or already on disk; export never creates one. */
function keyAtHand(config: Config): boolean {
  return config.serverKey !== undefined || config.serverKeyFile !== undefined || existsSync(join(config.dataDir, 'server.key'));
}

async function writeLine(output: NodeJS.WritableStream, line: string): Promise<void> {
  // Waits while the reader is behind, so a large database never piles up in memory.
  if (!output.write(line + '\n')) await once(output, 'drain');
}

export function summary(counts: Counts): string {
  return Object.entries(counts)
    .map(([table, n]) => `${n} ${table}`)
    .join(', ');
}
