import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Writes docs/screenshots/managed-login-*.png: runs the managed login browser test
 * (test/managed-login-browser.test.ts, headless Chromium at /usr/bin/chromium) with
 * USERPOOLD_SCREENSHOTS set, so the images come from the same steps the test checks. Ordinary
 * test runs leave the committed images alone.
 *
 *   npx tsx scripts/screenshots-managed-login.ts                      every page
 *   npx tsx scripts/screenshots-managed-login.ts mfa-setup-choice ... only the pages named
 *
 * Pages: sign-in, sign-up, confirm, forgot-password, reset-with-code, new-password, mfa-setup
 * (authenticator), mfa-setup-choice (authenticator or email), mfa-setup-email (the address),
 * mfa-code, select-mfa, error. Naming pages leaves the other images untouched, so a change to
 * one page does not rewrite images whose pixels merely shift between runs.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const out = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const only = process.argv.slice(2);
const target = only.length === 0 ? out : mkdtempSync(join(tmpdir(), 'managed-login-shots-'));
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', 'test/managed-login-browser.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, USERPOOLD_SCREENSHOTS: target, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
});
if (run.status !== 0) {
  process.stderr.write('the managed login browser test failed: screenshots may be incomplete\n');
  process.exit(run.status ?? 1);
}
if (only.length > 0) {
  const taken = new Set(readdirSync(target));
  const missing = only.filter((name) => !taken.has(`managed-login-${name}.png`));
  for (const name of only.filter((n) => !missing.includes(n))) copyFileSync(join(target, `managed-login-${name}.png`), join(out, `managed-login-${name}.png`));
  rmSync(target, { recursive: true, force: true });
  if (missing.length > 0) {
    process.stderr.write(`no such page photographed: ${missing.join(', ')}\n`);
    process.exit(1);
  }
  process.stdout.write(`${only.length} screenshots in docs/screenshots/: ${only.map((n) => `managed-login-${n}.png`).join(', ')}\n`);
} else {
  const written = readdirSync(out).filter((f) => f.startsWith('managed-login-'));
  process.stdout.write(`${written.length} screenshots in docs/screenshots/: ${written.join(', ')}\n`);
}
