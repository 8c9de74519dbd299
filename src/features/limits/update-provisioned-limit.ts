import type { Operation } from '../operation.js';
import { MAX_PROVISIONED_FACTOR } from '../../domain/limits/provisioned-limit.js';
import { ServiceError, invalidParameter } from '../../kernel/errors.js';
import { freeRateOf, limitView, requestedCategory } from './limit-view.js';

const serviceQuotaExceeded = (message: string) => new ServiceError('ServiceQuotaExceededException', message);

/**
 * Sets a category's provisioned rate. AWS: "The value must be between the default limit and
 * your account-level maximum limit in Service Quotas"
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateProvisionedLimit.html).
 * Below the free rate: InvalidParameterException; above the maximum (ten times the free rate
 * here, there being no Service Quotas): ServiceQuotaExceededException, which the model
 * declares for exactly this. The texts are not documented (unverified wording). Admission
 * applies the new rate within a second on every instance (services/quotas/provisioned-rates.ts).
 */
export const updateProvisionedLimit: Operation<'UpdateProvisionedLimit', 'config' | 'store' | 'clock'> = (deps) => async (input) => {
  const category = requestedCategory(input.LimitDefinition);
  const free = freeRateOf(deps.config, category);
  const value = input.RequestedLimitValue;
  if (value < free) throw invalidParameter(`RequestedLimitValue must be at least the default limit, ${free}, for ${category}.`);
  const max = free * MAX_PROVISIONED_FACTOR;
  if (value > max) throw serviceQuotaExceeded(`RequestedLimitValue exceeds the maximum limit, ${max}, for ${category}.`);
  await deps.store.putProvisionedLimit({ category, value, updatedAt: deps.clock.nowMs() });
  return { Limit: limitView(deps.config, category, value) };
};
