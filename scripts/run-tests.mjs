// Runs every *.test.ts under src/, test/ and scripts/ with Node's test runner (TypeScript via tsx).
// Node 20's runner takes no globs, so the files are listed here. Extra arguments pass through,
// e.g. `npm test -- test/reset.test.ts` runs one file.
//
// Files run in parallel: most of a test's time is spent waiting (argon2 threads, sockets,
// PostgreSQL, child processes), so more files than cores keep the machine busy. Node's own
// default is one less than the cores, which on a 2-core machine is one file at a time.
// USERPOOLD_TEST_CONCURRENCY overrides the number.
//
// No file may stall the run: Node's runner waits for every file's process without limit, so one
// test awaiting what never comes (or a file whose process keeps a handle open) held a CI run
// until its own time ran out, with nothing said about which file. --test-timeout, given to the
// runner here, bounds each file's process: past it the file is cancelled and named as timed out.
// The slowest file takes about two minutes on a loaded 2-core machine; the bound leaves room.
// --test-force-exit ends a file's process once its tests are done, open handles or not.
//
// When files timed out and no test failed otherwise, those files run once more, after the rest,
// and the run's outcome is theirs; the log says which and why. An assertion that fails is never
// run again.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

function find(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(find(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const files = args.some((a) => a.endsWith('.ts')) ? [] : ['src', 'test', 'scripts'].flatMap(find).sort();
const concurrency = process.env.USERPOOLD_TEST_CONCURRENCY ?? String(Math.max(2, availableParallelism() * 2));
const fileTimeoutMs = process.env.USERPOOLD_TEST_FILE_TIMEOUT_MS ?? '360000';
const reporter = join(import.meta.dirname, 'test-timeouts-reporter.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'userpoold-test-run-'));

/** One run of Node's runner over `targets`; what it printed goes to this terminal. */
function run(targets, round) {
  const outcomes = join(scratch, `outcomes-${round}.txt`);
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      `--test-timeout=${fileTimeoutMs}`,
      '--test-force-exit',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${reporter}`,
      `--test-reporter-destination=${outcomes}`,
      ...targets,
    ],
    {
      stdio: 'inherit',
      // The AWS SDK's notice that its 2027 releases will need Node 22 says nothing about this
      // project's tests and would otherwise be printed once per test file.
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );
  let lines = [];
  try {
    lines = readFileSync(outcomes, 'utf8').split('\n').filter(Boolean);
  } catch {
    // The runner wrote nothing (it could not start): its status says so.
  }
  const timedOut = [...new Set(lines.filter((l) => l.startsWith('timeout ')).map((l) => l.slice('timeout '.length)))];
  const failedElsewhere = lines.some((l) => l.startsWith('failed ') && !timedOut.includes(l.slice('failed '.length)));
  return { status: result.status ?? 1, timedOut, failedElsewhere };
}

let status;
try {
  const first = run([...args, ...files], 1);
  status = first.status;
  if (status !== 0 && first.timedOut.length > 0 && !first.failedElsewhere) {
    console.log(`\n${first.timedOut.length} file(s) did not finish within ${fileTimeoutMs} ms and nothing else failed; running them once more:`);
    for (const file of first.timedOut) console.log(`  ${file}`);
    const again = run([...args.filter((a) => !a.endsWith('.ts')), ...first.timedOut], 2);
    status = again.status;
    console.log(status === 0 ? '\nThey passed when run again.' : '\nThey failed again.');
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);
