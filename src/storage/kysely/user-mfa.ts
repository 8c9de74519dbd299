import type { Selectable } from 'kysely';
import type { MfaMethod, UserMfaRecord } from '../../domain/mfa/mfa-settings.js';
import type { UserMfaPort } from '../../ports/user-mfa.js';
import type { UserMfaTable } from '../schema.js';
import { KyselyContext } from './context.js';

export class KyselyUserMfa extends KyselyContext implements UserMfaPort {
  async getUserMfa(poolId: string, userSub: string): Promise<UserMfaRecord | undefined> {
    const load = async () => {
      const [row] = (await this.q.userMfaOf(this.db, { poolId, userSub })).rows;
      return row ? userMfaFromRow(row) : null;
    };
    // Kept by the read cache (SQLite), "no row" too: most users have none, and AdminGetUser,
    // GetUser and every sign-in ask (read-cache.ts forgets it on any write to user_mfa).
    const found = this.cache ? await this.cache.read('user_mfa', `${poolId}:${userSub}`, load, this.inTransaction) : await load();
    return found ?? undefined;
  }

  async putUserMfa(record: UserMfaRecord): Promise<void> {
    const row = userMfaRow(record);
    const { pool_id: _pool, user_sub: _sub, ...changes } = row;
    await this.db
      .insertInto('user_mfa')
      .values(row)
      .onConflict((oc) => oc.columns(['pool_id', 'user_sub']).doUpdateSet(changes))
      .execute();
  }
}

/** The row of a user's MFA settings (also what import batches insert: import-jobs.ts). */
export function userMfaRow(r: UserMfaRecord): Selectable<UserMfaTable> {
  return {
    pool_id: r.poolId,
    user_sub: r.userSub,
    totp_secret_sealed: r.totpSecretSealed,
    pending_totp_secret_sealed: r.pendingTotpSecretSealed,
    totp_device_name: r.totpDeviceName,
    sms_enabled: r.smsEnabled ? 1 : 0,
    totp_enabled: r.totpEnabled ? 1 : 0,
    email_enabled: r.emailEnabled ? 1 : 0,
    preferred: r.preferred,
    updated_at: r.updatedAt,
  };
}

function userMfaFromRow(row: Selectable<UserMfaTable>): UserMfaRecord {
  return {
    poolId: row.pool_id,
    userSub: row.user_sub,
    totpSecretSealed: row.totp_secret_sealed,
    pendingTotpSecretSealed: row.pending_totp_secret_sealed,
    totpDeviceName: row.totp_device_name,
    smsEnabled: Number(row.sms_enabled) === 1,
    totpEnabled: Number(row.totp_enabled) === 1,
    emailEnabled: Number(row.email_enabled) === 1,
    preferred: row.preferred as MfaMethod | null,
    // PostgreSQL returns bigint columns as strings.
    updatedAt: Number(row.updated_at),
  };
}
