import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { loadConfig, OPTIONS } from '../src/kernel/config.js';

/**
 * The settings the Dockerfile and examples/compose.yaml give userpoold are real options with
 * valid values: a renamed option must not leave them silently ignored (userpoold refuses unknown
 * USERPOOLD_* variables, so the container would not start). The image itself is built and run
 * by scripts/container-test.sh (.ci/run).
 */

const ROOT = join(import.meta.dirname, '..');
const KNOWN = new Set(['USERPOOLD_CONFIG', ...OPTIONS.map((o) => `USERPOOLD_${o.flag.toUpperCase().replace(/-/g, '_')}`)]);

/** The Dockerfile's `ENV A=1 \ B=2` settings of the final stage. */
function dockerfileEnv(): Record<string, string> {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const finalStage = text.slice(text.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const line of finalStage.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const [, name, value] of line.slice(4).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)) env[name as string] = value as string;
  }
  return env;
}

describe('Dockerfile', () => {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  it('configures userpoold for 0.0.0.0:9229 with its data in /data, through real options', () => {
    const env = dockerfileEnv();
    const names = Object.keys(env).filter((n) => n.startsWith('USERPOOLD_'));
    assert.deepEqual(names.sort(), ['USERPOOLD_DATA_DIR', 'USERPOOLD_HOST', 'USERPOOLD_PORT']);
    const config = loadConfig([], env);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.port, 9229);
    assert.equal(config.dataDir, '/data');
    // No open server by default: without credentials userpoold refuses 0.0.0.0.
    assert.equal(config.insecureOpen, false);
  });

  it('runs as a user of its own, keeps /data in a volume and checks /health', () => {
    const finalStage = text.slice(text.lastIndexOf('\nFROM '));
    assert.match(finalStage, /^USER userpoold$/m);
    assert.match(finalStage, /^VOLUME \/data$/m);
    assert.match(finalStage, /^EXPOSE 9229$/m);
    assert.match(finalStage, /^HEALTHCHECK .*\n?.*\/health/m);
    assert.match(finalStage, /^ENTRYPOINT \["node", "\/app\/bin\/userpoold\.js"\]$/m);
  });
});

describe('examples/compose.yaml', () => {
  const compose = parseYaml(readFileSync(join(ROOT, 'examples', 'compose.yaml'), 'utf8')) as {
    services: Record<string, { environment?: Record<string, string>; depends_on?: Record<string, unknown>; ports?: string[] }>;
  };

  it('wires userpoold to PostgreSQL and the mail catcher with options it knows', () => {
    const service = compose.services.userpoold;
    assert.ok(service?.environment);
    for (const name of Object.keys(service.environment)) assert.ok(KNOWN.has(name), `${name} is not a userpoold option`);
    // Compose's ${VAR:?message} is given here, as `export USERPOOLD_SERVER_KEY=...` would.
    const env = Object.fromEntries(
      Object.entries({ ...dockerfileEnv(), ...service.environment }).map(([k, v]) => [k, /^\$\{USERPOOLD_SERVER_KEY:\?/.test(v) ? randomBytes(32).toString('base64') : v]),
    );
    const config = loadConfig([], env);
    const db = new URL(config.databaseUrl ?? '');
    assert.equal(db.hostname, 'postgres');
    assert.ok(compose.services.postgres, 'a postgres service');
    const smtp = new URL(config.smtpUrl ?? '');
    assert.equal(smtp.hostname, 'mailpit');
    assert.ok(compose.services.mailpit, 'a mailpit service');
    assert.deepEqual(Object.keys(service.depends_on ?? {}).sort(), ['mailpit', 'postgres']);
    // Open (no credentials) only because the port is published on loopback.
    assert.equal(config.insecureOpen, true);
    assert.deepEqual(service.ports, ['127.0.0.1:9229:9229']);
    assert.equal(config.publicUrl, 'http://127.0.0.1:9229');
  });
});
