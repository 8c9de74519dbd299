import type { Operation } from '../operation.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';
import { assertThreatProtection } from '../../domain/pools/threat-protection.js';

/**
 * Threat protection's settings (adaptive authentication, compromised credentials, IP allow and
 * deny lists) for a pool or one of its clients. AWS: "To activate this setting, your user pool
 * must be on the Plus tier", configured for "a user pool or app client where threat protection
 * is configured" (API_SetRiskConfiguration, API_DescribeRiskConfiguration); without it the answer
 * is UserPoolAddOnNotEnabledException. userpoold refuses AdvancedSecurityMode AUDIT and ENFORCED
 * (domain/pools/not-built.ts), so every pool is such a pool: after the pool and client lookups
 * this refuses, and nothing is stored.
 */
export const setRiskConfiguration: Operation<'SetRiskConfiguration', 'store'> = (deps) => async (input) => {
  const { settings } = await loadPool(deps.store, input.UserPoolId);
  if (input.ClientId !== undefined) await loadClient(deps.store, input.ClientId, input.UserPoolId);
  assertThreatProtection(settings);
  // Unreachable today (see above); the answer a pool with threat protection would get is built
  // with threat protection itself.
  return { RiskConfiguration: { UserPoolId: input.UserPoolId, ...(input.ClientId !== undefined && { ClientId: input.ClientId }) } };
};
