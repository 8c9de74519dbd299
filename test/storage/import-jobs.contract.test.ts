import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImportJobRecord } from '../../src/domain/import/import-job.js';
import type { Store } from '../../src/ports/store.js';
import { T0, expectUnique, pool, storeContract, user } from './contract.js';

function job(jobId: string, poolId: string, over: Partial<ImportJobRecord> = {}): ImportJobRecord {
  return {
    jobId,
    poolId,
    jobName: 'name',
    status: 'Created',
    roleArn: 'arn:aws:iam::123456789012:role/r',
    uploadTokenHash: 'hash',
    uploadExpiresAt: T0 + 900_000,
    uploadId: null,
    uploadProblem: null,
    chunkCount: 0,
    nextChunk: 1,
    imported: 0,
    skipped: 0,
    failed: 0,
    completionMessage: null,
    createdAt: T0,
    startedAt: null,
    completedAt: null,
    claimedBy: null,
    claimedUntil: null,
    ...over,
  };
}

storeContract((onOpen, dialect) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('import jobs', () => {
    it('stores, lists in id order, counts and updates jobs', async () => {
      await store.insertPool(pool('p1'));
      await store.insertImportJob(job('import-b', 'p1'));
      await store.insertImportJob(job('import-a', 'p1', { startedAt: T0 + 1, completedAt: T0 + 2, completionMessage: 'done', uploadId: 'u1' }));
      await store.insertImportJob(job('import-c', 'other'));
      assert.deepEqual(await store.getImportJob('import-a'), job('import-a', 'p1', { startedAt: T0 + 1, completedAt: T0 + 2, completionMessage: 'done', uploadId: 'u1' }));
      assert.equal(await store.getImportJob('import-z'), undefined);
      assert.deepEqual((await store.listImportJobs('p1', { limit: 1 })).map((j) => j.jobId), ['import-a']);
      assert.deepEqual((await store.listImportJobs('p1', { limit: 5, after: 'import-a' })).map((j) => j.jobId), ['import-b']);
      assert.equal(await store.countImportJobs('p1'), 2);
      const changed = job('import-b', 'p1', { status: 'InProgress', imported: 5, skipped: 1, failed: 2, nextChunk: 3 });
      assert.equal(await store.updateImportJob(changed), true);
      assert.deepEqual(await store.getImportJob('import-b'), changed);
    });

    it('claims a runnable job for one runner until its lease ends; a lost lease writes nothing', async () => {
      await store.insertImportJob(job('import-r', 'p1', { status: 'Pending' }));
      const now = T0 + 10_000;
      const claimed = await store.transaction((tx) => tx.claimImportJob('w1', now, now + 1000));
      assert.equal(claimed?.jobId, 'import-r');
      assert.equal(claimed?.claimedBy, 'w1');
      assert.equal(await store.transaction((tx) => tx.claimImportJob('w2', now + 500, now + 1500)), undefined, 'leased');
      const taken = await store.transaction((tx) => tx.claimImportJob('w2', now + 1001, now + 2001));
      assert.equal(taken?.claimedBy, 'w2');
      assert.equal(await store.updateImportJob({ ...(claimed as ImportJobRecord), imported: 99 }, 'w1'), false);
      assert.equal((await store.getImportJob('import-r'))?.imported, 0);
      assert.equal(await store.updateImportJob({ ...(taken as ImportJobRecord), imported: 7 }, 'w2'), true);
      await store.updateImportJob({ ...(taken as ImportJobRecord), status: 'Succeeded', claimedBy: null, claimedUntil: null });
      assert.equal(await store.transaction((tx) => tx.claimImportJob('w3', now + 5000, now + 6000)), undefined, 'finished jobs are not runnable');
    });

    it('keeps chunks per upload and deletes all but one', async () => {
      await store.insertImportChunks('import-a', 'u1', [
        { seq: 0, firstLine: 1, data: 'h' },
        { seq: 1, firstLine: 2, data: 'x\ny' },
      ]);
      await store.insertImportChunks('import-a', 'u2', [{ seq: 0, firstLine: 1, data: 'h2' }]);
      assert.deepEqual(await store.getImportChunk('import-a', 'u1', 1), { seq: 1, firstLine: 2, data: 'x\ny' });
      await store.deleteImportChunks('import-a', 'u2');
      assert.equal(await store.getImportChunk('import-a', 'u1', 0), undefined);
      assert.deepEqual(await store.getImportChunk('import-a', 'u2', 0), { seq: 0, firstLine: 1, data: 'h2' });
      await store.deleteImportChunks('import-a');
      assert.equal(await store.getImportChunk('import-a', 'u2', 0), undefined);
      // One upload's chunks only (a streamed upload that failed): the others stay.
      await store.insertImportChunks('import-a', 'u3', [{ seq: 0, firstLine: 1, data: 'h3' }]);
      await store.insertImportChunks('import-a', 'u4', [{ seq: 0, firstLine: 1, data: 'h4' }]);
      await store.deleteUploadChunks('import-a', 'u3');
      assert.equal(await store.getImportChunk('import-a', 'u3', 0), undefined);
      assert.deepEqual(await store.getImportChunk('import-a', 'u4', 0), { seq: 0, firstLine: 1, data: 'h4' });
    });

    it('inserts users in bulk, finds taken usernames and aliases, and refuses a taken one whole', async () => {
      await store.insertPool(pool('p9'));
      const email = (name: string) => ({ email: `${name}@x.test`, phone_number: null, preferred_username: null });
      const many = Array.from({ length: 1203 }, (_, i) => user('p9', `bulk${i}`, { status: 'RESET_REQUIRED', aliases: email(`bulk${i}`) }));
      await store.transaction((tx) => tx.insertImportedUsers(many));
      assert.equal(await store.countUsers('p9'), 1203);
      assert.equal((await store.getUserByUsernameKey('p9', 'bulk1202'))?.status, 'RESET_REQUIRED');
      assert.deepEqual([...(await store.existingUsernameKeys('p9', ['bulk0', 'nobody', 'bulk7']))].sort(), ['bulk0', 'bulk7']);
      assert.deepEqual([...(await store.takenAliasKeys('p9', 'email', ['bulk3@x.test', 'free@x.test']))], ['bulk3@x.test']);
      assert.equal((await store.existingUsernameKeys('p1', ['bulk0'])).size, 0, 'another pool');
      await expectUnique(store.insertImportedUsers([user('p9', 'fresh'), user('p9', 'bulk5')]), 'username');
      assert.equal(await store.getUserByUsernameKey('p9', 'fresh'), undefined);
    });

    it('commits a batch whole, only while the job is InProgress, held, at the chunk and in an existing pool', async () => {
      await store.insertPool(pool('pb'));
      await store.insertImportJob(job('import-batch', 'pb', { status: 'InProgress', claimedBy: 'w1', claimedUntil: T0 + 1000, nextChunk: 1, chunkCount: 4, imported: 2 }));
      const users = Array.from({ length: 1203 }, (_, i) => user('pb', `b${String(i).padStart(4, '0')}`, { status: 'RESET_REQUIRED' }));
      const batch = {
        jobId: 'import-batch',
        poolId: 'pb',
        worker: 'w1',
        seq: 1,
        users,
        mfa: [{ poolId: 'pb', userSub: users[0]!.sub, totpSecretSealed: null, pendingTotpSecretSealed: null, totpDeviceName: null, smsEnabled: true, totpEnabled: false, emailEnabled: false, preferred: null, updatedAt: T0 }],
        refused: [{ jobId: 'import-batch', line: 9, outcome: 'FAILED' as const, message: 'bad row' }],
        imported: users.length,
        skipped: 0,
        failed: 1,
        claimedUntil: T0 + 5000,
      };
      assert.equal(await store.commitImportBatch(batch), true);
      assert.equal(await store.countUsers('pb'), 1203);
      assert.equal((await store.getUserMfa('pb', users[0]!.sub))?.smsEnabled, true);
      assert.deepEqual(await store.listImportLog('import-batch', 0, 10), batch.refused);
      const after = await store.getImportJob('import-batch');
      assert.deepEqual([after?.imported, after?.failed, after?.nextChunk, after?.claimedUntil], [2 + 1203, 1, 2, T0 + 5000]);

      // The same chunk again, another runner's, a stopping job, a deleted pool: nothing written.
      const next = { ...batch, seq: 2, users: [user('pb', 'late')], mfa: [], refused: [], imported: 1, failed: 0 };
      assert.equal(await store.commitImportBatch({ ...next, seq: 1 }), false, 'chunk already imported');
      assert.equal(await store.commitImportBatch({ ...next, worker: 'w2' }), false, 'not the holder');
      await store.updateImportJob({ ...(after as ImportJobRecord), status: 'Stopping' });
      assert.equal(await store.commitImportBatch(next), false, 'stopping');
      await store.updateImportJob({ ...(after as ImportJobRecord), status: 'InProgress' });
      assert.equal(await store.commitImportBatch({ ...next, poolId: 'gone', users: [user('gone', 'late')] }), false, 'pool deleted');
      assert.equal(await store.getUserByUsernameKey('pb', 'late'), undefined);
      assert.equal((await store.getImportJob('import-batch'))?.nextChunk, 2);

      // A username taken meanwhile: UniqueViolation, and none of the batch (nor its counts) is written.
      await expectUnique(store.commitImportBatch({ ...next, users: [user('pb', 'fresh'), user('pb', 'b0005')] }), 'username');
      assert.equal(await store.getUserByUsernameKey('pb', 'fresh'), undefined);
      assert.deepEqual([(await store.getImportJob('import-batch'))?.imported, (await store.getImportJob('import-batch'))?.nextChunk], [2 + 1203, 2]);
      assert.equal(await store.commitImportBatch(next), true);
      assert.equal((await store.getUserByUsernameKey('pb', 'late'))?.status, 'CONFIRMED');
    });

    // PostgreSQL runs transactions side by side, so there the runner sends one batch at a time.
    const together = dialect.name === 'sqlite' ? false : 'batches in flight together are a SQLite-only pipeline';
    it('commits batches sent together in the order sent, each whole: one that fails is undone alone', { skip: together }, async () => {
      // Not awaited one by one: on SQLite files the writer thread takes the batches waiting
      // into one transaction (sqlite-writer.ts), and each must still stand or fall alone.
      await store.insertPool(pool('pg'));
      await store.insertUser(user('pg', 'taken'));
      await store.insertImportJob(job('import-group', 'pg', { status: 'InProgress', claimedBy: 'w1', claimedUntil: T0 + 1000, nextChunk: 1, chunkCount: 9 }));
      const batch = (seq: number, names: string[]) => {
        const users = names.map((n) => user('pg', n, { status: 'RESET_REQUIRED' }));
        return { jobId: 'import-group', poolId: 'pg', worker: 'w1', seq, users, mfa: [], refused: [], imported: users.length, skipped: 0, failed: 0, claimedUntil: T0 + 5000 };
      };
      const sent = [
        store.commitImportBatch(batch(1, ['g1a', 'g1b'])),
        store.commitImportBatch(batch(2, ['g2a', 'g2b'])),
        store.commitImportBatch(batch(3, ['g3a', 'taken'])),
        store.commitImportBatch(batch(4, ['g4a'])),
      ];
      const [one, two, three, four] = await Promise.allSettled(sent);
      assert.deepEqual([one, two], [
        { status: 'fulfilled', value: true },
        { status: 'fulfilled', value: true },
      ]);
      await expectUnique(sent[2] as Promise<boolean>, 'username');
      assert.equal(three?.status, 'rejected');
      // Its guard expects chunk 4, and chunk 3 did not commit.
      assert.deepEqual(four, { status: 'fulfilled', value: false });
      const users = await Promise.all(['g1a', 'g1b', 'g2a', 'g2b', 'g3a', 'g4a'].map(async (n) => (await store.getUserByUsernameKey('pg', n)) !== undefined));
      assert.deepEqual(users, [true, true, true, true, false, false]);
      const after = await store.getImportJob('import-group');
      assert.deepEqual([after?.imported, after?.nextChunk], [4, 3]);
    });

    it('appends and pages the log of refused rows', async () => {
      const entries = Array.from({ length: 5 }, (_, i) => ({ jobId: 'import-a', line: i + 2, outcome: i % 2 === 0 ? ('FAILED' as const) : ('SKIPPED' as const), message: `m${i}` }));
      await store.transaction((tx) => tx.appendImportLog(entries));
      assert.deepEqual(await store.listImportLog('import-a', 0, 2), entries.slice(0, 2));
      assert.deepEqual(await store.listImportLog('import-a', 3, 10), entries.slice(2));
      assert.deepEqual(await store.listImportLog('import-b', 0, 10), []);
    });
  });
});
