import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../src/ports/store.js';
import { T0, refreshToken, storeContract } from './contract.js';

storeContract((onOpen) => {
  let store: Store;
  onOpen((o) => {
    store = o.store;
  });

  describe('refresh tokens', () => {
    it('finds a token by hash and origin, revokes it once, and revokes all of a user’s live tokens', async () => {
      const t1 = refreshToken('h1', 's1');
      await store.insertRefreshToken(t1);
      await store.insertRefreshToken(refreshToken('h2', 's1'));
      await store.insertRefreshToken(refreshToken('h3', 's1'));
      await store.insertRefreshToken(refreshToken('h4', 's2'));
      assert.deepEqual(await store.getRefreshToken('h1'), t1);
      assert.deepEqual(await store.getRefreshTokenByOrigin('jti-h1'), t1);
      assert.equal(await store.getRefreshTokenByOrigin('jti-none'), undefined);

      await store.revokeRefreshToken('h1', T0 + 10);
      await store.revokeRefreshToken('h1', T0 + 20);
      assert.equal((await store.getRefreshToken('h1'))?.revokedAt, T0 + 10, 'the first revocation time stays');

      assert.equal(await store.revokeUserRefreshTokens('s1', T0 + 30), 2);
      assert.equal(await store.revokeUserRefreshTokens('s1', T0 + 40), 0);
      assert.equal((await store.getRefreshToken('h2'))?.revokedAt, T0 + 30);
      assert.equal((await store.getRefreshToken('h4'))?.revokedAt, null);
    });

    it('records the first rotation of a token only, and says when it was', async () => {
      await store.insertRefreshToken(refreshToken('r1', 's1'));
      assert.equal((await store.getRefreshToken('r1'))?.rotatedAt, undefined);
      assert.equal(await store.markRefreshTokenRotated('r1', T0 + 5), T0 + 5);
      assert.equal(await store.markRefreshTokenRotated('r1', T0 + 9), T0 + 5, 'a later use keeps the first rotation time');
      assert.equal((await store.getRefreshToken('r1'))?.rotatedAt, T0 + 5);
    });
  });
});
