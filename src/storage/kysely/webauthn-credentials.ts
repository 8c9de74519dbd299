import type { Selectable } from 'kysely';
import type { WebAuthnCredentialRecord } from '../../domain/webauthn/credential.js';
import type { WebAuthnCredentialsPort } from '../../ports/webauthn-credentials.js';
import type { WebAuthnCredentialsTable } from '../schema.js';
import { KyselyContext } from './context.js';

export class KyselyWebAuthnCredentials extends KyselyContext implements WebAuthnCredentialsPort {
  async insertWebAuthnCredential(record: WebAuthnCredentialRecord): Promise<boolean> {
    const inserted = await this.db
      .insertInto('webauthn_credentials')
      .values(credentialRow(record))
      .onConflict((oc) => oc.columns(['pool_id', 'credential_id']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async listWebAuthnCredentials(poolId: string, userSub: string): Promise<WebAuthnCredentialRecord[]> {
    const rows = await this.db
      .selectFrom('webauthn_credentials')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('user_sub', '=', userSub)
      .orderBy('created_at')
      .orderBy('credential_id')
      .execute();
    return rows.map(credentialFromRow);
  }

  async getWebAuthnCredential(poolId: string, credentialId: string): Promise<WebAuthnCredentialRecord | undefined> {
    const row = await this.db.selectFrom('webauthn_credentials').selectAll().where('pool_id', '=', poolId).where('credential_id', '=', credentialId).executeTakeFirst();
    return row && credentialFromRow(row);
  }

  async advanceWebAuthnSignCount(poolId: string, credentialId: string, expected: number, next: number): Promise<boolean> {
    const updated = await this.db
      .updateTable('webauthn_credentials')
      .set({ sign_count: next })
      .where('pool_id', '=', poolId)
      .where('credential_id', '=', credentialId)
      .where('sign_count', '=', expected)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }

  async deleteWebAuthnCredential(poolId: string, userSub: string, credentialId: string): Promise<boolean> {
    const deleted = await this.db
      .deleteFrom('webauthn_credentials')
      .where('pool_id', '=', poolId)
      .where('user_sub', '=', userSub)
      .where('credential_id', '=', credentialId)
      .executeTakeFirst();
    return Number(deleted.numDeletedRows) === 1;
  }
}

function credentialRow(r: WebAuthnCredentialRecord): Selectable<WebAuthnCredentialsTable> {
  return {
    pool_id: r.poolId,
    credential_id: r.credentialId,
    user_sub: r.userSub,
    public_key: r.publicKey,
    sign_count: r.signCount,
    transports: JSON.stringify(r.transports),
    friendly_name: r.friendlyName,
    relying_party_id: r.relyingPartyId,
    attachment: r.attachment,
    created_at: r.createdAt,
  };
}

function credentialFromRow(row: Selectable<WebAuthnCredentialsTable>): WebAuthnCredentialRecord {
  return {
    poolId: row.pool_id,
    userSub: row.user_sub,
    credentialId: row.credential_id,
    publicKey: row.public_key,
    // PostgreSQL returns bigint columns as strings.
    signCount: Number(row.sign_count),
    transports: JSON.parse(row.transports) as string[],
    friendlyName: row.friendly_name,
    relyingPartyId: row.relying_party_id,
    attachment: row.attachment,
    createdAt: Number(row.created_at),
  };
}
