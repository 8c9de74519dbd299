import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from '../../kernel/config.js';
import type { Random } from '../../kernel/random.js';
import { loadOrCreateServerKey } from '../../kernel/secret-box.js';
import { ensurePrivateDir } from '../../kernel/private-files.js';
import { cannotUse } from '../../kernel/startup-errors.js';

export type ServerKeyConfig = Pick<Config, 'serverKey' | 'serverKeyFile' | 'databaseUrl' | 'dataDir'>;

const KEY_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$|^[A-Za-z0-9_-]+$/;

/**
 * The key that seals recoverable secrets. Instances sharing a database must all hold the same
 * one, so with a database URL a key made up on the spot is refused: it would quietly make every
 * other instance's sealed values unreadable here. The messages never repeat the key.
 */
export function loadServerKey(config: ServerKeyConfig, random: Random): Buffer {
  if (config.serverKey !== undefined && config.serverKeyFile !== undefined) {
    throw new ConfigError('give --server-key or --server-key-file, not both');
  }
  if (config.serverKey !== undefined) return decodeKey(config.serverKey, '--server-key');
  if (config.serverKeyFile !== undefined) return decodeKey(readKeyFile(config.serverKeyFile), `--server-key-file ${config.serverKeyFile}`);
  if (config.databaseUrl !== undefined && !existsSync(join(config.dataDir, 'server.key'))) {
    throw new ConfigError(
      '--database-url needs --server-key or --server-key-file (or a server.key in --data-dir): every instance on one database must use the same key',
    );
  }
  // The data folder is usually made here, on first start: owner-only (0700), like the key file
  // (0600) that loadOrCreateServerKey writes into it.
  try {
    ensurePrivateDir(config.dataDir);
    return loadOrCreateServerKey(config.dataDir, random);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw cannotUse('the data folder', config.dataDir, err);
  }
}

function decodeKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  // Node decodes both alphabets; the pattern keeps it from skipping stray characters silently.
  const key = BASE64.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) throw new ConfigError(`${source}: expected ${KEY_BYTES} bytes in base64 (make one with: openssl rand -base64 32)`);
  return key;
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read --server-key-file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}
