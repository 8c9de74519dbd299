import { isQuotaCategory, type QuotaCategory, type QuotaLimits } from '../quotas/quota-categories.js';

/**
 * Provisioned limits (GetProvisionedLimit / UpdateProvisionedLimit): a request rate per quota
 * category, set through the API and enforced by admission over the rate `--quotas` gives.
 * AWS: "Sets the provisioned limit for a specific API category. The value must be between the
 * default limit and your account-level maximum limit in Service Quotas"; LimitType's
 * FreeLimitValue is the default (free) rate and ProvisionedLimitValue "the rate that Amazon
 * Cognito currently enforces for your account"
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateProvisionedLimit.html,
 * .../API_LimitType.html). The only LimitClass is API_CATEGORY and the category is named by the
 * Attributes key `Category` (PowerShell reference for Get-CGIPProvisionedLimit).
 */
export interface ProvisionedLimitRecord {
  category: QuotaCategory;
  /** requests per second */
  value: number;
  updatedAt: number;
}

export const LIMIT_CLASS = 'API_CATEGORY';
export const CATEGORY_ATTRIBUTE = 'Category';

/**
 * The account-level maximum a provisioned rate may reach. AWS takes it from Service Quotas,
 * which userpoold does not have; ten times the free rate stands in for it (our choice).
 */
export const MAX_PROVISIONED_FACTOR = 10;

/**
 * The category a LimitDefinition names, or the reason it names none. AWS's texts for these
 * refusals are not documented (unverified wording).
 */
export function categoryOfDefinition(def: { LimitClass?: string; Attributes?: Record<string, string> }): { category: QuotaCategory } | { refusal: string } {
  if (def.LimitClass !== LIMIT_CLASS) return { refusal: `LimitClass must be ${LIMIT_CLASS}.` };
  const keys = Object.keys(def.Attributes ?? {});
  const name = def.Attributes?.[CATEGORY_ATTRIBUTE];
  if (name === undefined || keys.length !== 1) return { refusal: `Attributes must hold exactly one key, ${CATEGORY_ATTRIBUTE}.` };
  if (!isQuotaCategory(name)) return { refusal: `Unknown category: ${name}.` };
  return { category: name };
}

/**
 * The rate enforced for `category`: the provisioned one when set (it replaces the free rate),
 * else what `--quotas` says. Undefined: not limited.
 */
export function enforcedRate(category: QuotaCategory, configured: QuotaLimits | undefined, provisioned: number | undefined): number | undefined {
  return provisioned ?? configured?.[category];
}
