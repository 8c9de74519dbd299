import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createApp } from '../src/app/create-app.js';
import { loadConfig } from '../src/kernel/config.js';
import { limitHeapGrowth } from '../src/kernel/heap-growth.js';

/**
 * The real server for the benchmark, in its own process: the CLI's flags, then
 * `listening <port> <ms from createApp to listening> <ms since process start>` on stdout, and on
 * SIGTERM, after a clean close, `maxrss <KiB>` (the process's peak resident set). Over IPC, any
 * message is answered with the process's CPU time and current RSS.
 */
const config = loadConfig(process.argv.slice(2), {});
limitHeapGrowth(); // as `userpoold serve` does
const started = performance.now();
const app = await createApp(config);
const port = await app.listen();
process.stdout.write(`listening ${port} ${(performance.now() - started).toFixed(1)} ${performance.now().toFixed(1)}\n`);
// The benchmark asks for the process's CPU time around each scenario (a figure that other
// load on the machine disturbs much less than throughput does).
// And how long the event loop was held, since the last 'reset-loop-delay' (the import benchmark's figure).
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
process.on('message', (m) => {
  if (m === 'reset-loop-delay') return loopDelay.reset();
  process.send?.({ cpu: process.cpuUsage(), rss: process.memoryUsage.rss(), loopDelayMaxMs: loopDelay.max / 1e6, loopDelayP99Ms: loopDelay.percentile(99) / 1e6 });
});
process.channel?.unref();
process.once('SIGTERM', () => {
  void app.close().then(() => {
    process.stdout.write(`maxrss ${process.resourceUsage().maxRSS}\n`);
    process.exit(0);
  });
});
