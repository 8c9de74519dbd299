import type { Operation } from '../operation.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';
import { assertThreatProtection } from '../../domain/pools/threat-protection.js';
import { riskConfigurationOf } from './risk-configuration-answer.js';

/**
 * The risk configuration of a pool, or of a client: a client without its own configuration
 * inherits the pool's ("You can apply default risk configuration at the user pool level and
 * further customize it from user pool defaults at the app-client level",
 * API_DescribeRiskConfiguration), so it is answered with the pool's settings under its ClientId.
 */
export const describeRiskConfiguration: Operation<'DescribeRiskConfiguration', 'store'> = (deps) => async (input) => {
  const { settings } = await loadPool(deps.store, input.UserPoolId);
  if (input.ClientId !== undefined) await loadClient(deps.store, input.ClientId, input.UserPoolId);
  assertThreatProtection(settings);
  const record =
    input.ClientId === undefined
      ? await deps.store.getRiskConfiguration(input.UserPoolId, null)
      : await deps.store.effectiveRiskConfiguration(input.UserPoolId, input.ClientId);
  return { RiskConfiguration: riskConfigurationOf(input.UserPoolId, input.ClientId, record) };
};
