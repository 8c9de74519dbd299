import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const MODULE = fileURLToPath(new URL('../src/kernel/heap-growth.ts', import.meta.url));

/**
 * A child process that keeps about 30 MB of objects and replaces them at random (as the read
 * caches replace entries), printing the largest old space it reached and what limitHeapGrowth
 * answered ("-" when not called).
 */
function oldSpacePeakMb(callLimit: boolean, nodeFlags: string[] = []): { peakMb: number; answer: string } {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    const { limitHeapGrowth } = await import(${JSON.stringify(MODULE)});
    const answer = ${callLimit} ? String(limitHeapGrowth()) : '-';
    const live = Array.from({ length: 150_000 }, (_, i) => ({ i, s: 'x'.repeat(100) + i }));
    let peak = 0;
    for (let round = 0; round < 40; round++) {
      for (let j = 0; j < 15_000; j++) {
        const k = (Math.random() * live.length) | 0;
        live[k] = { i: k, s: 'y'.repeat(100) + j + '/' + round };
      }
      await new Promise((resolve) => setImmediate(resolve));
      peak = Math.max(peak, getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_size);
    }
    process.stdout.write(JSON.stringify({ peakMb: peak / 1e6, answer }));
  `;
  const out = execFileSync(process.execPath, [...nodeFlags, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(out) as { peakMb: number; answer: string };
}

describe('the server process’s heap growth (kernel/heap-growth.ts)', () => {
  it('keeps the old space well under what V8 lets it reach by default when entries are replaced', () => {
    const byDefault = oldSpacePeakMb(false);
    const limited = oldSpacePeakMb(true);
    assert.equal(limited.answer, 'true');
    // V8's default lets the old space reach about four times the live data; 1.5 times is asked for.
    assert.ok(limited.peakMb < byDefault.peakMb * 0.75, `old space peaked at ${limited.peakMb.toFixed(0)} MB limited, ${byDefault.peakMb.toFixed(0)} MB by default`);
  });

  it('leaves a value given to node alone', async () => {
    const given = oldSpacePeakMb(true, ['--heap-growing-percent=300']);
    assert.equal(given.answer, 'false');
    // The check itself, without setting anything in this process.
    const { limitHeapGrowth } = await import('../src/kernel/heap-growth.js');
    assert.equal(limitHeapGrowth(['--heap_growing_percent', '10'], ''), false);
    assert.equal(limitHeapGrowth([], '--max-old-space-size=512 --heap-growing-percent=10'), false);
  });
});
