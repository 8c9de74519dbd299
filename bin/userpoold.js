#!/usr/bin/env node
// The CLI entry point. The TypeScript sources are compiled to dist/ by `npm ci` (prepare).
import { main } from '../dist/cli.js';

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`userpoold: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
