import { ServiceError } from '../../kernel/errors.js';
import type { PoolSettings } from './user-pool.js';

/**
 * The operations over threat protection's event history (AdminListUserAuthEvents,
 * AdminUpdateAuthEventFeedback, UpdateAuthEventFeedback) answer UserPoolAddOnNotEnabledException
 * for a pool without it (cognito-facts-areas.md section 6, [MODEL]: "Without threat protection:
 * UserPoolAddOnNotEnabledException"). userpoold refuses AdvancedSecurityMode AUDIT and ENFORCED
 * (domain/pools/not-built.ts), so today every pool is such a pool. AWS's message text was not
 * found; this one says what is missing.
 */
export const ADD_ON_NOT_ENABLED = 'Threat protection (advanced security) is not enabled for this user pool.';

export function assertThreatProtection(settings: PoolSettings): void {
  const mode = settings.UserPoolAddOns?.AdvancedSecurityMode;
  if (mode !== 'AUDIT' && mode !== 'ENFORCED') throw new ServiceError('UserPoolAddOnNotEnabledException', ADD_ON_NOT_ENABLED);
}
