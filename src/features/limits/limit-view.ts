import { loadQuotaLimits } from '../../services/quotas/quota-settings.js';
import { AWS_DEFAULT_RPS, type QuotaCategory } from '../../domain/quotas/quota-categories.js';
import { CATEGORY_ATTRIBUTE, LIMIT_CLASS, categoryOfDefinition } from '../../domain/limits/provisioned-limit.js';
import type { Config } from '../../kernel/config.js';
import type { LimitType } from '../../model/generated/types.js';
import { invalidParameter } from '../../kernel/errors.js';

/**
 * The free rate of a category on this server: the one `--quotas` gives it (a file may lower or
 * raise AWS's), else AWS's default.
 */
export function freeRateOf(config: Config, category: QuotaCategory): number {
  const limits = config.quotas === 'off' ? undefined : loadQuotaLimits(config.quotas);
  return limits?.[category] ?? AWS_DEFAULT_RPS[category];
}

/** The category a request's LimitDefinition names; InvalidParameterException otherwise. */
export function requestedCategory(def: { LimitClass?: string; Attributes?: Record<string, string> }): QuotaCategory {
  const named = categoryOfDefinition(def);
  if ('refusal' in named) throw invalidParameter(named.refusal);
  return named.category;
}

/** LimitType: the provisioned rate (the free one while none is provisioned) and the free rate. */
export function limitView(config: Config, category: QuotaCategory, provisioned: number | undefined): LimitType {
  const free = freeRateOf(config, category);
  return {
    LimitDefinition: { LimitClass: LIMIT_CLASS, Attributes: { [CATEGORY_ATTRIBUTE]: category } },
    ProvisionedLimitValue: provisioned ?? free,
    FreeLimitValue: free,
  };
}
