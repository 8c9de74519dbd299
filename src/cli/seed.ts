import { assertDatabaseExists, splitOwnFlags } from './flags.js';
import { ConfigError, loadConfig } from '../kernel/config.js';
import { cryptoRandom } from '../kernel/random.js';
import { createSecretBox } from '../kernel/secret-box.js';
import { loadServerKey } from '../services/keys/server-key.js';
import { openStore } from '../storage/dialects.js';
import { exportPoolSeed } from '../app/seed/export.js';
import { readSeed } from '../app/seed/index.js';
import { validateSeed } from '../app/seed/validate.js';

/**
 * `userpoold seed export --pool ID [--with-secrets] [server options] > seed.yaml`: the seed file
 * of an existing pool (docs/seed.md), without password hashes; client secrets only with
 * --with-secrets. `userpoold seed check FILE [server options]`: validates a seed file as a start
 * would, without opening the database.
 */
export async function seedCommand(args: readonly string[], env: NodeJS.ProcessEnv, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'export':
      return exportSeed(rest, env, output);
    case 'check':
      return checkSeed(rest, env, output);
    default:
      throw new ConfigError('seed: expected export or check (see userpoold --help)');
  }
}

async function exportSeed(args: readonly string[], env: NodeJS.ProcessEnv, output: NodeJS.WritableStream): Promise<void> {
  const { own, rest } = splitOwnFlags('seed export', args, ['pool', 'with-secrets'] as const, ['with-secrets'] as const);
  const poolId = own.get('pool');
  if (poolId === undefined) throw new ConfigError('seed export: --pool is required');
  const withSecrets = own.get('with-secrets') === 'true';
  const config = loadConfig(rest, env);
  assertDatabaseExists('seed export', config);
  // The key opens client secrets; without --with-secrets it is not needed, and not created.
  const secrets = withSecrets ? createSecretBox(loadServerKey(config, cryptoRandom), cryptoRandom) : undefined;
  const store = await openStore(config);
  try {
    const { text, skipped } = await exportPoolSeed(store, poolId, { secrets, withSecrets });
    output.write(text);
    for (const line of skipped) process.stderr.write(`userpoold: seed export: left out ${line}\n`);
  } finally {
    await store.close();
  }
}

async function checkSeed(args: readonly string[], env: NodeJS.ProcessEnv, output: NodeJS.WritableStream): Promise<void> {
  const [file, ...rest] = args;
  if (file === undefined || file.startsWith('--')) throw new ConfigError('seed check: expected the seed file (userpoold seed check FILE)');
  const config = loadConfig(rest, env);
  const plan = validateSeed(await readSeed(file), config);
  const users = plan.pools.reduce((n, p) => n + p.users.length, 0);
  const clients = plan.pools.reduce((n, p) => n + p.clients.length, 0);
  output.write(`seed ${file}: ${plan.pools.length} pools, ${clients} app clients, ${users} users, ${plan.credentials.length} credentials; no problems\n`);
}
