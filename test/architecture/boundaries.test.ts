import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { cruise, type ICruiseOptions, type IViolation } from 'dependency-cruiser';

const ROOT = join(import.meta.dirname, '..', '..');
const rules = createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs')) as { forbidden: unknown[]; options: ICruiseOptions };

async function violations(baseDir: string, tsConfig?: string): Promise<{ modules: number; violations: IViolation[] }> {
  const result = await cruise(['src'], {
    ...rules.options,
    ...(tsConfig ? { tsConfig: { fileName: tsConfig } } : { tsConfig: undefined }),
    baseDir,
    validate: true,
    ruleSet: { forbidden: rules.forbidden },
  } as ICruiseOptions);
  if (typeof result.output === 'string') throw new Error(result.output);
  return { modules: result.output.modules.length, violations: result.output.summary.violations };
}

const show = (v: IViolation[]) => v.map((x) => `${x.rule.name}: ${x.from} -> ${x.to}`).join('\n');

test('src/ keeps the house rules: imports point down, areas meet through their index', async () => {
  const { modules, violations: found } = await violations(ROOT, join(ROOT, 'tsconfig.json'));
  // The cruise must have seen the tree, or an empty result would prove nothing.
  assert.ok(modules > 100, `only ${modules} modules seen`);
  assert.equal(found.length, 0, `\n${show(found)}`);
});

test('the rules catch an upward import, a sibling area reached past its index, and src importing tests', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'userpoold-boundaries-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  try {
    write('src/services/tokens.ts', 'export const x = 1;\n');
    write('src/domain/users/user.ts', "import { x } from '../../services/tokens.js';\nexport const y = x;\n");
    write('src/features/auth/index.ts', "export { z } from './sign-in.js';\n");
    write('src/features/auth/sign-in.ts', 'export const z = 1;\n');
    write('src/features/users/get-user.ts', "import { z } from '../auth/sign-in.js';\nimport { z as ok } from '../auth/index.js';\nexport const w = z + ok;\n");
    write('src/kernel/clock.ts', "import { t } from '../../test/helper.js';\nexport const c = t;\n");
    write('test/helper.ts', 'export const t = 1;\n');
    const { violations: found } = await violations(dir);
    const seen = found.map((v) => `${v.rule.name} ${v.from} -> ${v.to}`).sort();
    assert.deepEqual(seen, [
      'feature-area-through-index src/features/users/get-user.ts -> src/features/auth/sign-in.ts',
      'layer-domain src/domain/users/user.ts -> src/services/tokens.ts',
      'src-not-from-outside src/kernel/clock.ts -> test/helper.ts',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
