import { ServiceError } from '../../kernel/errors.js';
import type { CreateUserPoolRequest } from '../../model/generated/types.js';
import type { PoolSettings } from './user-pool.js';

/** Threat protection's operating mode for a pool (UserPoolAddOns.AdvancedSecurityMode; absent is OFF). */
export type ThreatMode = 'OFF' | 'AUDIT' | 'ENFORCED';

export function threatModeOf(settings: Pick<PoolSettings, 'UserPoolAddOns'>): ThreatMode {
  return settings.UserPoolAddOns?.AdvancedSecurityMode ?? 'OFF';
}

/**
 * The mode of threat protection in custom authentication: AdvancedSecurityAdditionalFlows
 * .CustomAuthMode (AUDIT or ENFORCED), while the pool's AdvancedSecurityMode is not OFF. Absent,
 * custom authentication is not watched (userpoold's reading: AWS documents the member as the
 * mode of custom authentication and gives no default in the API reference).
 */
export function customAuthThreatModeOf(settings: Pick<PoolSettings, 'UserPoolAddOns'>): ThreatMode {
  if (threatModeOf(settings) === 'OFF') return 'OFF';
  return settings.UserPoolAddOns?.AdvancedSecurityAdditionalFlows?.CustomAuthMode ?? 'OFF';
}

/**
 * The operations of threat protection (AdminListUserAuthEvents, the two feedback operations,
 * Set/DescribeRiskConfiguration) answer UserPoolAddOnNotEnabledException for a pool whose mode
 * is OFF (cognito-facts-areas.md section 6, [MODEL]). AWS's text is not published; this one
 * says what is missing.
 */
export const ADD_ON_NOT_ENABLED = 'Threat protection (advanced security) is not enabled for this user pool.';

/** Text of FeatureUnavailableInTierException for AUDIT/ENFORCED below Plus (AWS publishes none). */
export const THREAT_PROTECTION_TIER = 'Threat protection (UserPoolAddOns.AdvancedSecurityMode AUDIT or ENFORCED) needs the PLUS feature plan (UserPoolTier); this user pool is on a lower plan.';

export function assertThreatProtection(settings: PoolSettings): void {
  if (threatModeOf(settings) === 'OFF') throw new ServiceError('UserPoolAddOnNotEnabledException', ADD_ON_NOT_ENABLED);
}

/**
 * AUDIT and ENFORCED need the Plus feature plan: "To activate this setting, your user pool must
 * be on the Plus tier" (API_UserPoolAddOnsType; DG cognito-user-pool-settings-threat-protection:
 * "Threat protection is available in the Plus feature plan"). A plan too low answers
 * FeatureUnavailableInTierException, as for the other Plus settings (cognito-facts-areas.md
 * section 6, log delivery). AdvancedSecurityAdditionalFlows (custom authentication) is kept.
 */
export function checkThreatProtectionSettings(req: Omit<CreateUserPoolRequest, 'PoolName'>): void {
  const mode = req.UserPoolAddOns?.AdvancedSecurityMode ?? 'OFF';
  const custom = req.UserPoolAddOns?.AdvancedSecurityAdditionalFlows?.CustomAuthMode;
  if ((mode !== 'OFF' || (custom !== undefined && custom !== null)) && (req.UserPoolTier ?? 'ESSENTIALS') !== 'PLUS') {
    throw new ServiceError('FeatureUnavailableInTierException', THREAT_PROTECTION_TIER);
  }
}
