// Runs every *.test.ts under src/, test/ and scripts/ with Node's test runner (TypeScript via tsx).
// Node 20's runner takes no globs, so the files are listed here. Extra arguments pass through,
// e.g. `npm test -- test/reset.test.ts` runs one file.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...args, ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
