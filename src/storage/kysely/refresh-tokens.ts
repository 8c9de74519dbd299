import type { Selectable } from 'kysely';
import type { RefreshTokenRecord, RefreshTokensPort } from '../../ports/refresh-tokens.js';
import type { Database } from '../schema.js';
import { KyselyContext } from './context.js';

export class KyselyRefreshTokens extends KyselyContext implements RefreshTokensPort {
  async insertRefreshToken(token: RefreshTokenRecord): Promise<void> {
    await this.q.insertRefreshToken(this.db, {
      token_hash: token.tokenHash,
      pool_id: token.poolId,
      client_id: token.clientId,
      user_sub: token.userSub,
      origin_jti: token.originJti,
      auth_time: token.authTime,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
      revoked_at: token.revokedAt,
      device_key: token.deviceKey ?? null,
      rotated_at: token.rotatedAt ?? null,
    });
  }

  async getRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const row = await this.db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && refreshTokenFromRow(row);
  }

  async getRefreshTokenByOrigin(originJti: string): Promise<RefreshTokenRecord | undefined> {
    // Precompiled: every access-token check comes here.
    const [row] = (await this.q.refreshTokenByOrigin(this.db, { originJti })).rows;
    return row && refreshTokenFromRow(row);
  }

  async revokeRefreshToken(tokenHash: string, at: number): Promise<void> {
    await this.db.updateTable('refresh_tokens').set({ revoked_at: at }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).execute();
  }

  async markRefreshTokenRotated(tokenHash: string, at: number): Promise<number> {
    await this.db.updateTable('refresh_tokens').set({ rotated_at: at }).where('token_hash', '=', tokenHash).where('rotated_at', 'is', null).execute();
    const row = await this.db.selectFrom('refresh_tokens').select('rotated_at').where('token_hash', '=', tokenHash).executeTakeFirst();
    return row?.rotated_at === null || row?.rotated_at === undefined ? at : Number(row.rotated_at);
  }

  async revokeUserRefreshTokens(userSub: string, at: number): Promise<number> {
    const result = await this.q.revokeUserRefreshTokens(this.db, { userSub, at });
    return Number(result.numAffectedRows ?? 0n);
  }
}

function refreshTokenFromRow(row: Selectable<Database['refresh_tokens']>): RefreshTokenRecord {
  return {
    tokenHash: row.token_hash,
    poolId: row.pool_id,
    clientId: row.client_id,
    userSub: row.user_sub,
    originJti: row.origin_jti,
    authTime: Number(row.auth_time),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    // Only a sign-in on a remembered-devices device has one.
    ...(row.device_key !== null && row.device_key !== undefined && { deviceKey: row.device_key }),
    ...(row.rotated_at !== null && row.rotated_at !== undefined && { rotatedAt: Number(row.rotated_at) }),
  };
}
