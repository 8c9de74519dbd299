import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Writes docs/screenshots/managed-login-*.png: runs the managed login browser test
 * (test/managed-login-browser.test.ts, headless Chromium at /usr/bin/chromium) with
 * USERPOOLD_SCREENSHOTS set, so the images come from the same steps the test checks. Ordinary
 * test runs leave the committed images alone.
 *
 *   npx tsx scripts/screenshots-managed-login.ts
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const out = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', 'test/managed-login-browser.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, USERPOOLD_SCREENSHOTS: out, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
});
if (run.status !== 0) {
  process.stderr.write('the managed login browser test failed: screenshots may be incomplete\n');
  process.exit(run.status ?? 1);
}
const written = readdirSync(out).filter((f) => f.startsWith('managed-login-'));
process.stdout.write(`${written.length} screenshots in docs/screenshots/: ${written.join(', ')}\n`);
