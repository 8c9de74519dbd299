import type { LogDeliveryRecord } from '../../domain/security/log-delivery.js';
import type { LogDeliveryPort } from '../../ports/log-delivery.js';
import { KyselyContext } from './context.js';

export class KyselyLogDelivery extends KyselyContext implements LogDeliveryPort {
  async getLogDelivery(poolId: string): Promise<LogDeliveryRecord | undefined> {
    const row = await this.db.selectFrom('log_delivery').selectAll().where('pool_id', '=', poolId).executeTakeFirst();
    return row && { poolId: row.pool_id, configurations: JSON.parse(row.configurations) as LogDeliveryRecord['configurations'], updatedAt: Number(row.updated_at) };
  }

  async putLogDelivery(record: LogDeliveryRecord): Promise<void> {
    if (record.configurations.length === 0) {
      await this.db.deleteFrom('log_delivery').where('pool_id', '=', record.poolId).execute();
      return;
    }
    const row = { pool_id: record.poolId, configurations: JSON.stringify(record.configurations), updated_at: record.updatedAt };
    await this.db
      .insertInto('log_delivery')
      .values(row)
      .onConflict((oc) => oc.column('pool_id').doUpdateSet({ configurations: row.configurations, updated_at: row.updated_at }))
      .execute();
  }
}
