import { createApp } from '../../src/app/create-app.js';
import { loadConfig } from '../../src/kernel/config.js';

/**
 * The real server in its own process, for tests that must kill it: takes the CLI's flags and
 * prints `listening <port>` on stdout once it accepts requests. The environment is not read, so
 * a developer's USERPOOLD_* settings cannot leak into a test. SIGTERM stops it as `userpoold
 * serve` stops (src/cli/main.ts): the app is closed, what it buffered written, then exit 0.
 */
const config = loadConfig(process.argv.slice(2), {});
const app = await createApp(config);
const port = await app.listen();
process.stdout.write(`listening ${port}\n`);
process.once('SIGTERM', () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
