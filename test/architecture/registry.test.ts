import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { OPERATIONS } from '../../src/features/registry.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FEATURES = join(ROOT, 'src', 'features');

/** AdminGetUser -> admin-get-user; the few acronyms of the model stay one word (MFA, CSV, ...). */
function kebab(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

/** The area each registered operation is listed under in docs/compatibility.md. */
function documentedAreas(): Map<string, string> {
  const text = readFileSync(join(ROOT, 'docs', 'compatibility.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const match of text.matchAll(/^\| ([A-Z][A-Za-z]+) \| [^|]+ \| ([a-z-]+) \|$/gm)) rows.set(match[1] as string, match[2] as string);
  return rows;
}

test('every registered operation is documented, with its area, and nothing else is', () => {
  const documented = documentedAreas();
  const registered = Object.keys(OPERATIONS).sort();
  assert.ok(registered.length >= 39);
  assert.deepEqual([...documented.keys()].sort(), registered);
});

test('each operation lives in its own file, named after it, in the folder of its area', () => {
  const areas = new Set(readdirSync(FEATURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name));
  for (const [operation, area] of documentedAreas()) {
    assert.ok(areas.has(area), `${operation}: no area folder src/features/${area}/`);
    const file = join(FEATURES, area, `${kebab(operation)}.ts`);
    assert.ok(existsSync(file), `${operation}: expected ${file}`);
    const index = readFileSync(join(FEATURES, area, 'index.ts'), 'utf8');
    assert.match(index, new RegExp(`\\b${operation}:`), `${operation} is not registered by src/features/${area}/index.ts`);
  }
});
