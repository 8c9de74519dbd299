// bin/userpoold.js, but on the TypeScript sources (run with `node --import tsx`), so the CLI
// tests need no build.
import { run } from '../../src/cli/main.js';

await run(process.argv.slice(2));
