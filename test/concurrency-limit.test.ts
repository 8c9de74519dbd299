import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concurrencyLimit } from '../src/services/passwords/concurrency-limit.js';
import { createArgon2Hasher } from '../src/services/passwords/password-hasher.js';

/** A task that runs until released, recording when it starts. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    task: async () => {
      log.push(`start ${name}`);
      await opened;
      return name;
    },
    open,
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('concurrency limit', () => {
  it('runs at most the limit at once, the rest in arrival order as slots free', async () => {
    const limited = concurrencyLimit(2);
    const log: string[] = [];
    const gates = ['a', 'b', 'c', 'd'].map((n) => gate(log, n));
    const results = gates.map((g) => limited(g.task));
    await turn();
    assert.deepEqual(log, ['start a', 'start b']);
    gates[1]?.open();
    await turn();
    assert.deepEqual(log, ['start a', 'start b', 'start c']);
    gates[0]?.open();
    await turn();
    assert.deepEqual(log, ['start a', 'start b', 'start c', 'start d']);
    gates[2]?.open();
    gates[3]?.open();
    assert.deepEqual(await Promise.all(results), ['a', 'b', 'c', 'd']);
  });

  it('frees the slot of a task that fails, and passes its error on', async () => {
    const limited = concurrencyLimit(1);
    const boom = new Error('boom');
    await assert.rejects(
      limited(async () => {
        throw boom;
      }),
      (err) => err === boom,
    );
    assert.equal(await limited(async () => 'next'), 'next');
  });

  it('lets a hasher limited to one hash at a time finish queued work without deadlock', async () => {
    // verifyDummy hashes and then verifies: two turns at the one slot, never one inside the other.
    const hasher = createArgon2Hasher({ memoryKib: 1024, iterations: 1, parallelism: 1, concurrency: 1 });
    const phc = await hasher.hash('Passw0rd!');
    const results = await Promise.all([hasher.verify(phc, 'Passw0rd!'), hasher.verify(phc, 'wrong'), hasher.hash('x'), hasher.verifyDummy('y')]);
    assert.deepEqual(results.slice(0, 2), [true, false]);
    assert.match(String(results[2]), /^\$argon2id\$/);
  });
});
