#!/usr/bin/env node
// The CLI entry point. The TypeScript sources are compiled to dist/ by `npm ci` (prepare).
import { run } from '../dist/cli.js';

await run(process.argv.slice(2));
