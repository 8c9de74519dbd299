import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { defaultThreadPoolSize, threadPoolSize } from '../src/kernel/thread-pool-size.js';

const BIN = fileURLToPath(new URL('../bin/userpoold.js', import.meta.url));

/** The pool size the launcher leaves in the environment, read by running its first statement. */
function launcherSets(env: NodeJS.ProcessEnv): string {
  // The launcher's first statement, evaluated in a plain CommonJS process with the given env:
  // running the whole launcher would need a built dist/.
  const source = execFileSync(process.execPath, ['-e', "process.stdout.write(require('node:fs').readFileSync(process.argv[1], 'utf8'))", BIN], { encoding: 'utf8' });
  const statement = source.split('\n').find((line) => line.startsWith('process.env.UV_THREADPOOL_SIZE'));
  assert.ok(statement, 'bin/userpoold.js sets UV_THREADPOOL_SIZE');
  return execFileSync(process.execPath, ['-e', `${statement}\nprocess.stdout.write(String(process.env.UV_THREADPOOL_SIZE))`], { encoding: 'utf8', env });
}

describe('thread pool size', () => {
  it('the launcher sets the size src/thread-pool-size.ts documents, unless the environment has one', () => {
    const { UV_THREADPOOL_SIZE: _unset, ...env } = process.env;
    assert.equal(launcherSets(env), String(defaultThreadPoolSize()));
    assert.equal(launcherSets({ ...env, UV_THREADPOOL_SIZE: '' }), String(defaultThreadPoolSize()));
    assert.equal(launcherSets({ ...env, UV_THREADPOOL_SIZE: '7' }), '7');
  });

  it('hashes as many at once as the pool has threads, libuv’s 4 when unset', () => {
    const saved = process.env.UV_THREADPOOL_SIZE;
    try {
      process.env.UV_THREADPOOL_SIZE = '3';
      assert.equal(threadPoolSize(), 3);
      delete process.env.UV_THREADPOOL_SIZE;
      assert.equal(threadPoolSize(), 4);
      process.env.UV_THREADPOOL_SIZE = 'many';
      assert.equal(threadPoolSize(), 4);
    } finally {
      if (saved === undefined) delete process.env.UV_THREADPOOL_SIZE;
      else process.env.UV_THREADPOOL_SIZE = saved;
    }
  });
});
