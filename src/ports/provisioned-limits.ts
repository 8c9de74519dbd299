import type { ProvisionedLimitRecord } from '../domain/limits/provisioned-limit.js';
import type { QuotaCategory } from '../domain/quotas/quota-categories.js';

/** Provisioned request rates per quota category (UpdateProvisionedLimit): account-wide, one row per category. */
export interface ProvisionedLimitsPort {
  getProvisionedLimit(category: QuotaCategory): Promise<ProvisionedLimitRecord | undefined>;
  listProvisionedLimits(): Promise<ProvisionedLimitRecord[]>;
  putProvisionedLimit(record: ProvisionedLimitRecord): Promise<void>;
}
