import type { SingleUsePort } from '../../ports/single-use.js';
import { KyselyContext } from './context.js';

export class KyselySingleUse extends KyselyContext implements SingleUsePort {
  async useOnce(key: string, expiresAt: number, nowMs: number): Promise<boolean> {
    await this.db.deleteFrom('single_use').where('expires_at', '<=', nowMs).execute();
    const result = await this.db
      .insertInto('single_use')
      .values({ key, expires_at: expiresAt })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
}
