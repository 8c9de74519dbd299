#!/usr/bin/env node
// The CLI entry point. The TypeScript sources are compiled to dist/ by `npm ci` (prepare).
//
// CommonJS (bin/package.json) on purpose: libuv sizes its thread pool, which runs the password
// hashes, when the pool is first used, and loading an ES module already uses it. So the size is
// set here, before dist/cli/main.js loads: one more than the cores unless the environment says
// otherwise (src/kernel/thread-pool-size.ts explains why; test/thread-pool-size.test.ts checks that
// this matches defaultThreadPoolSize there).
process.env.UV_THREADPOOL_SIZE ||= String(require('node:os').availableParallelism() + 1);

import('../dist/cli/main.js').then(({ run }) => run(process.argv.slice(2)));
