import { readFileSync } from 'node:fs';
import { commandHelp, isCommand, mainHelp } from './help.js';
import { ConfigError, loadConfig } from '../kernel/config.js';
import { limitHeapGrowth } from '../kernel/heap-growth.js';

/**
 * `userpoold [command] [flags]`, as the bin script runs it. Never rejects: bad flags or
 * configuration print one line and exit 2; any other failure to start prints one line and
 * exits 1.
 */
export async function run(argv: readonly string[]): Promise<void> {
  try {
    await main(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`userpoold: ${err.message}\n`);
      process.exit(2);
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`userpoold: ${message.split('\n')[0]}\n`);
    process.exit(1);
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v' || first === 'version') {
    process.stdout.write(version() + '\n');
    return;
  }
  if (argv.includes('--help') || argv.includes('-h') || first === 'help') {
    // `userpoold help messages` and `userpoold messages --help` both show one command.
    const named = first === 'help' ? rest[0] : first?.startsWith('-') ? undefined : first;
    if (named !== undefined && !isCommand(named)) throw new ConfigError(`unknown command "${named}" (see userpoold --help)`);
    process.stdout.write((named === undefined ? mainHelp() : commandHelp(named)) + '\n');
    return;
  }
  const command = first === undefined || first.startsWith('-') ? 'serve' : first;
  const args = command === first ? rest : argv;
  switch (command) {
    case 'serve':
      await serve(args);
      return;
    case 'messages': {
      const { messagesCommand } = await import('./messages.js');
      await messagesCommand(args, process.env);
      return;
    }
    case 'credentials': {
      const { credentialsCommand } = await import('./credentials.js');
      await credentialsCommand(args, process.env);
      return;
    }
    case 'export': {
      const { exportCommand } = await import('./export.js');
      await exportCommand(args, process.env);
      return;
    }
    case 'import': {
      const { importCommand } = await import('./import.js');
      await importCommand(args, process.env);
      return;
    }
    case 'seed': {
      const { seedCommand } = await import('./seed.js');
      await seedCommand(args, process.env);
      return;
    }
    case 'users': {
      const { usersCommand } = await import('./users-import.js');
      await usersCommand(args, process.env);
      return;
    }
    case 'import-log': {
      const { importLogCommand } = await import('./import-log.js');
      await importLogCommand(args, process.env);
      return;
    }
    case 'audit': {
      const { auditCommand } = await import('./audit.js');
      await auditCommand(args, process.env);
      return;
    }
    default:
      throw new ConfigError(`unknown command "${command}" (see userpoold --help)`);
  }
}

/** The version in package.json: ../../ is the package root from src/cli/ and from dist/cli/ alike. */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function serve(args: readonly string[]): Promise<void> {
  const config = loadConfig(args, process.env);
  // The process is the server's own, so its heap is tuned for it (kernel/heap-growth.ts).
  limitHeapGrowth();
  // Loaded only once the configuration is known to be good, so a typo fails fast.
  const { createApp } = await import('../app/create-app.js');
  const { startUpSummary } = await import('../app/start-up-summary.js');
  const app = await createApp(config);
  const port = await app.listen();
  app.deps.logger.info('userpoold listening', await startUpSummary(app, config, port));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.deps.logger.info('shutting down', { signal });
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.deps.logger.error('shutdown failed', { error: String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
