import { ConfigError, helpText, loadConfig } from './config.js';
import { createApp } from './app.js';

/**
 * `userpoold [serve|messages] [flags]`. Bad flags or configuration print one line and exit 2.
 */
export async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    process.stdout.write(helpText() + '\n');
    return;
  }
  const [first, ...rest] = argv;
  const command = first === undefined || first.startsWith('--') ? 'serve' : first;
  const args = command === first ? rest : argv;
  try {
    switch (command) {
      case 'serve':
        await serve(args);
        return;
      case 'messages': {
        const { messagesCommand } = await import('./cli-messages.js');
        await messagesCommand(args);
        return;
      }
      default:
        throw new ConfigError(`unknown command "${command}" (see userpoold --help)`);
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`userpoold: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

async function serve(args: readonly string[]): Promise<void> {
  const config = loadConfig(args, process.env);
  const app = await createApp(config);
  const port = await app.listen();
  app.deps.logger.info('userpoold listening', { url: `http://${config.host}:${port}`, dataDir: config.dataDir, region: config.region });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.deps.logger.info('shutting down', { signal });
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
