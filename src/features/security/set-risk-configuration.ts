import type { Operation } from '../operation.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';
import { assertThreatProtection } from '../../domain/pools/threat-protection.js';
import { checkRiskExceptions } from '../../domain/security/risk-configuration.js';
import { riskConfigurationOf } from './risk-configuration-answer.js';

/**
 * Threat protection's settings (compromised credentials, adaptive authentication, IP always-block
 * and always-allow lists) for a pool or one of its clients (API_SetRiskConfiguration): "To set
 * the risk configuration for the user pool to defaults, send this request with only the
 * UserPoolId parameter. To reset the threat protection settings of an app client to be
 * inherited from the user pool, send UserPoolId and ClientId parameters only." A pool whose
 * AdvancedSecurityMode is OFF answers UserPoolAddOnNotEnabledException. What userpoold acts on:
 * the compromised-credentials check against --compromised-passwords, BlockedIPRangeList and
 * SkippedIPRangeList; the account takeover settings are kept and answered, as no risk is scored
 * here (docs/compatibility.md).
 */
export const setRiskConfiguration: Operation<'SetRiskConfiguration', 'store' | 'clock'> = (deps) => async (input) => {
  checkRiskExceptions(input.RiskExceptionConfiguration ?? undefined);
  return deps.store.transaction(async (tx) => {
    const { settings } = await loadPool(tx, input.UserPoolId);
    if (input.ClientId !== undefined) await loadClient(tx, input.ClientId, input.UserPoolId);
    assertThreatProtection(settings);
    const clientId = input.ClientId ?? null;
    const given = {
      compromisedCredentials: input.CompromisedCredentialsRiskConfiguration ?? undefined,
      accountTakeover: input.AccountTakeoverRiskConfiguration ?? undefined,
      riskExceptions: input.RiskExceptionConfiguration ?? undefined,
    };
    if (given.compromisedCredentials === undefined && given.accountTakeover === undefined && given.riskExceptions === undefined) {
      await tx.deleteRiskConfiguration(input.UserPoolId, clientId);
      return { RiskConfiguration: riskConfigurationOf(input.UserPoolId, input.ClientId, undefined) };
    }
    const record = { poolId: input.UserPoolId, clientId, ...given, updatedAt: deps.clock.nowMs() };
    await tx.putRiskConfiguration(record);
    return { RiskConfiguration: riskConfigurationOf(input.UserPoolId, input.ClientId, record) };
  });
};
