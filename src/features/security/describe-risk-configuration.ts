import type { Operation } from '../operation.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';
import { assertThreatProtection } from '../../domain/pools/threat-protection.js';

/** The risk configuration of a pool or client: UserPoolAddOnNotEnabledException here (see set-risk-configuration.ts). */
export const describeRiskConfiguration: Operation<'DescribeRiskConfiguration', 'store'> = (deps) => async (input) => {
  const { settings } = await loadPool(deps.store, input.UserPoolId);
  if (input.ClientId !== undefined) await loadClient(deps.store, input.ClientId, input.UserPoolId);
  assertThreatProtection(settings);
  return { RiskConfiguration: { UserPoolId: input.UserPoolId, ...(input.ClientId !== undefined && { ClientId: input.ClientId }) } };
};
