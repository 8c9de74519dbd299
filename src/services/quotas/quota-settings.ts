import { readFileSync } from 'node:fs';
import { ConfigError } from '../../kernel/config.js';
import { AWS_DEFAULT_RPS, QUOTA_CATEGORIES, isQuotaCategory, type QuotaCategory, type QuotaLimits } from '../../domain/quotas/quota-categories.js';

/**
 * The `quotas` setting as limits: `off` (none, the default, so development never meets a
 * throttle), `aws` (AWS's default rates), or the path of a JSON object whose keys are
 * categories and whose values are requests per second (a positive whole number) or null (no
 * limit for that category); categories it leaves out keep AWS's rate.
 */
export function loadQuotaLimits(setting: string): QuotaLimits | undefined {
  if (setting === 'off') return undefined;
  if (setting === 'aws') return { ...AWS_DEFAULT_RPS };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(setting, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? 'not valid JSON';
    throw new ConfigError(`--quotas: expected off, aws or a readable JSON file (${setting}: ${why})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`--quotas: ${setting} must hold a JSON object of category: requests per second`);
  }
  const limits: Partial<Record<QuotaCategory, number>> = { ...AWS_DEFAULT_RPS };
  for (const [name, value] of Object.entries(parsed)) {
    if (!isQuotaCategory(name)) {
      throw new ConfigError(`--quotas: ${setting}: unknown category "${name}" (one of ${QUOTA_CATEGORIES.join(', ')})`);
    }
    if (value === null) {
      delete limits[name];
      continue;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new ConfigError(`--quotas: ${setting}: "${name}" expects a positive whole number of requests per second, or null`);
    }
    limits[name] = value;
  }
  return limits;
}
