import type { ProvisionedLimitRecord } from '../../domain/limits/provisioned-limit.js';
import type { QuotaCategory } from '../../domain/quotas/quota-categories.js';
import type { ProvisionedLimitsPort } from '../../ports/provisioned-limits.js';
import type { ProvisionedLimitsTable } from '../schema.js';
import { KyselyContext } from './context.js';

const toRecord = (row: ProvisionedLimitsTable): ProvisionedLimitRecord => ({
  category: row.category as QuotaCategory,
  value: Number(row.value),
  updatedAt: Number(row.updated_at),
});

export class KyselyProvisionedLimits extends KyselyContext implements ProvisionedLimitsPort {
  async getProvisionedLimit(category: QuotaCategory): Promise<ProvisionedLimitRecord | undefined> {
    const row = await this.db.selectFrom('provisioned_limits').selectAll().where('category', '=', category).executeTakeFirst();
    return row && toRecord(row);
  }

  async listProvisionedLimits(): Promise<ProvisionedLimitRecord[]> {
    const rows = await this.db.selectFrom('provisioned_limits').selectAll().orderBy('category').execute();
    return rows.map(toRecord);
  }

  async putProvisionedLimit(record: ProvisionedLimitRecord): Promise<void> {
    const row = { category: record.category, value: record.value, updated_at: record.updatedAt };
    await this.db
      .insertInto('provisioned_limits')
      .values(row)
      .onConflict((oc) => oc.column('category').doUpdateSet({ value: row.value, updated_at: row.updated_at }))
      .execute();
  }
}
