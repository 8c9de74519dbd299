import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { groupFsync } from '../../src/storage/group-fsync.js';

// The WAL's fsync runs on a thread of its own, the two threads meeting on a shared word
// (group-fsync.ts). Nothing may be acknowledged before its fsync ran: the fsync's own error
// reaches every caller it covered, the thread keeps serving after an error, and an idle thread
// never holds the process open.
describe('group fsync (a thread of its own, Atomics hand-off)', () => {
  const file = () => {
    const path = join(mkdtempSync(join(tmpdir(), 'userpoold-fsync-')), 'wal');
    writeFileSync(path, 'x');
    return path;
  };

  it('resolves every caller, alone, sequentially and many at once', async () => {
    const wal = groupFsync(file());
    try {
      await wal.sync();
      for (let i = 0; i < 20; i++) await wal.sync();
      await Promise.all(Array.from({ length: 200 }, () => wal.sync()));
    } finally {
      wal.close();
    }
  });

  it("gives the fsync's own error to every caller it covered, and serves the next one", async () => {
    // fsync of /dev/null fails with EINVAL: the error proves the thread ran fsync on this file.
    const wal = groupFsync('/dev/null');
    try {
      await assert.rejects(wal.sync(), /fsync of \/dev\/null failed: EINVAL/);
      const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => wal.sync()));
      assert.ok(outcomes.every((o) => o.status === 'rejected' && /EINVAL/.test(String(o.reason))));
      await assert.rejects(wal.sync(), /EINVAL/);
    } finally {
      wal.close();
    }
  });

  it('lets the process exit once idle, and a caller waiting at close does not hang it', () => {
    const path = file();
    const script = `
      import { groupFsync } from ${JSON.stringify(new URL('../../src/storage/group-fsync.ts', import.meta.url).href)};
      const wal = groupFsync(${JSON.stringify(path)});
      await wal.sync();
      await Promise.all([wal.sync(), wal.sync()]);
      const other = groupFsync(${JSON.stringify(path)});
      const pending = other.sync().then(() => 'synced', (e) => String(e));
      other.close();
      console.log('done', await pending);
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(child.signal, null, `the process did not exit by itself: ${child.stderr}`);
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /^done (synced|Error: fsync of .* failed: the fsync thread stopped)/);
  });
});
