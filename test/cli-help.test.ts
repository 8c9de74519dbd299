import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS } from '../src/cli/help.js';
import { OPTIONS } from '../src/kernel/config.js';

/**
 * `userpoold --help`, `userpoold <command> --help` and `userpoold --version`, in a separate
 * process started like bin/userpoold.js but on the TypeScript sources.
 */

const ENTRY = join(import.meta.dirname, 'support', 'cli-entry.ts');
/** Every command src/cli/main.ts runs (its `case '...':` lines), so a new one cannot lack help. */
const EXPECTED_COMMANDS = [...readFileSync(join(import.meta.dirname, '..', 'src', 'cli', 'main.ts'), 'utf8').matchAll(/^\s*case '([a-z-]+)':/gm)].map((m) => m[1] as string);
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<Finished> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('USERPOOLD_')) env[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The `--flag` words of an example line, without their `=value`. */
function flagsIn(line: string): string[] {
  return [...line.matchAll(/(?:^|\s)--([a-z0-9-]+)/g)].map((m) => m[1] as string);
}

describe('userpoold --help', () => {
  it('lists every command and how to get its own help', async () => {
    for (const name of ['serve', 'messages', 'credentials', 'audit', 'export', 'import']) assert.ok(EXPECTED_COMMANDS.includes(name), name);
    assert.deepEqual(Object.keys(COMMANDS).sort(), [...EXPECTED_COMMANDS].sort(), 'help for exactly the commands main.ts runs');
    const result = await runCli(['--help']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    for (const name of EXPECTED_COMMANDS) {
      assert.match(result.stdout, new RegExp(`^  ${name} +${escape(COMMANDS[name]?.summary ?? '?')}$`, 'm'), name);
    }
    assert.ok(result.stdout.includes('userpoold <command> --help'));
    assert.ok(result.stdout.includes('userpoold --version'));
  });
});

describe('userpoold <command> --help', { concurrency: 3 }, () => {
  for (const name of EXPECTED_COMMANDS) {
    it(`${name}: usage, flags and examples that use only flags it takes`, async () => {
      const result = await runCli([name, '--help']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      const out = result.stdout;
      assert.ok(out.startsWith(`userpoold ${name}: `), out);
      const help = COMMANDS[name];
      assert.ok(help);
      for (const usage of help.usage) assert.ok(out.includes(`\n  ${usage}\n`), usage);
      for (const [flag] of help.flags) assert.ok(out.includes(`\n  ${flag} `), flag);
      const examples = out.split('\nExamples:\n')[1]?.split('\n\n')[0]?.split('\n') ?? [];
      assert.ok(examples.length >= 2, `at least two examples:\n${out}`);
      const own = help.flags.map(([flag]) => flag.trim()).filter((f) => f.startsWith('--')).map((f) => (f.split(' ')[0] as string).slice(2));
      const known = new Set([...own, 'config', ...OPTIONS.map((o) => o.flag)]);
      for (const example of examples) {
        // Every example runs this command (serve is also the default command).
        assert.match(example, name === 'serve' ? /userpoold (serve )?--/ : new RegExp(`userpoold ${name}\\b`), example);
        for (const flag of flagsIn(example)) assert.ok(known.has(flag), `${name} takes no --${flag}: ${example}`);
      }
      if (name === 'serve') {
        for (const option of OPTIONS) assert.ok(out.includes(`--${option.flag} `), option.flag);
      } else {
        assert.ok(out.includes('userpoold serve --help'), 'points to the server options');
      }
    });
  }

  it('-h and `userpoold help <command>` show the same text, even after other arguments', async () => {
    const [long, short, word, late] = await Promise.all([
      runCli(['credentials', '--help']),
      runCli(['credentials', '-h']),
      runCli(['help', 'credentials']),
      runCli(['credentials', 'create', '--name', 'x', '--help']),
    ]);
    assert.match(long.stdout, /^userpoold credentials: /);
    assert.equal(short.stdout, long.stdout);
    assert.equal(word.stdout, long.stdout);
    assert.equal(late.stdout, long.stdout);
  });

  it('an unknown command with --help is one line and exit 2', async () => {
    for (const args of [['launch', '--help'], ['help', 'toString']]) {
      const result = await runCli(args);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr, `userpoold: unknown command "${args[0] === 'help' ? args[1] : args[0]}" (see userpoold --help)\n`);
    }
  });
});

describe('userpoold --version', () => {
  it('prints the version of package.json, with --version and -v', async () => {
    assert.match(PACKAGE_VERSION, /^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-v']) {
      const result = await runCli([flag]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `${PACKAGE_VERSION}\n`);
      assert.equal(result.stderr, '');
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
