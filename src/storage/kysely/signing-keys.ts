import type { SigningKeyRecord, SigningKeysPort } from '../../ports/signing-keys.js';
import { KyselyContext } from './context.js';

export class KyselySigningKeys extends KyselyContext implements SigningKeysPort {
  async getSigningKey(poolId: string): Promise<SigningKeyRecord | undefined> {
    const row = await this.db.selectFrom('signing_keys').selectAll().where('pool_id', '=', poolId).executeTakeFirst();
    return (
      row && {
        poolId: row.pool_id,
        kid: row.kid,
        privateJwkSealed: row.private_jwk_sealed,
        publicJwk: row.public_jwk,
        createdAt: Number(row.created_at),
      }
    );
  }

  async putSigningKeyIfAbsent(key: SigningKeyRecord): Promise<SigningKeyRecord> {
    await this.db
      .insertInto('signing_keys')
      .values({
        pool_id: key.poolId,
        kid: key.kid,
        private_jwk_sealed: key.privateJwkSealed,
        public_jwk: key.publicJwk,
        created_at: key.createdAt,
      })
      .onConflict((oc) => oc.column('pool_id').doNothing())
      .execute();
    return (await this.getSigningKey(key.poolId)) as SigningKeyRecord;
  }
}
