import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full collection before it
 * collects again, for the server process (`userpoold serve`; an embedding application keeps its
 * own settings). V8 picks a factor between 1.1 and 4 from how cheap collecting has been, and 4 on
 * any machine with a few GiB of memory: under load the read caches replace entries, which die in
 * the old space, and it grew to four times the live data (35-45 MB live, 110-166 MB of old space)
 * before V8 collected it. Peak RSS at 1,000,000 users was 380 MB with that, against 203 MB before the
 * caches; with this setting and the caches' admission (storage/read-cache-admission.ts) the
 * bench's peaks were 214-239 MB from 1,000 to 1,000,000 users (bench/RESULTS.md, session 8). At
 * 1.5 a full collection comes sooner and costs about the same each time (its work follows the
 * live data, not the garbage): CPU per request did not move beyond noise in alternated runs.
 *
 * The flag is read by V8 at each full collection, so setting it once the process runs works.
 * Someone who set it (NODE_OPTIONS or node's own arguments) keeps their value.
 */
const HEAP_GROWING_PERCENT = 50;

export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => /^--heap[-_]growing[-_]percent(=|$)/.test(arg));
  if (given) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
