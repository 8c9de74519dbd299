import type { CodeRecord, CodesPort } from '../../ports/codes.js';
import { KyselyContext } from './context.js';

export class KyselyCodes extends KyselyContext implements CodesPort {
  async putCode(code: CodeRecord): Promise<void> {
    const row = {
      user_sub: code.userSub,
      purpose: code.purpose,
      pool_id: code.poolId,
      code_hash: code.codeHash,
      expires_at: code.expiresAt,
      created_at: code.createdAt,
    };
    await this.q.putCode(this.db, row);
  }

  async getCode(userSub: string, purpose: string): Promise<CodeRecord | undefined> {
    const [row] = (await this.q.codeOf(this.db, { userSub, purpose })).rows;
    return (
      row && {
        userSub: row.user_sub,
        purpose: row.purpose,
        poolId: row.pool_id,
        codeHash: row.code_hash,
        expiresAt: Number(row.expires_at),
        createdAt: Number(row.created_at),
      }
    );
  }

  async consumeCode(userSub: string, purpose: string, codeHash: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('codes')
      .where('user_sub', '=', userSub)
      .where('purpose', '=', purpose)
      .where('code_hash', '=', codeHash)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async deleteCodes(userSub: string): Promise<void> {
    await this.q.deleteCodes(this.db, { userSub });
  }
}
