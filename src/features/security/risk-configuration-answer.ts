import type { RiskConfigurationRecord } from '../../domain/security/risk-configuration.js';
import type { RiskConfigurationType } from '../../model/generated/types.js';

/** A stored configuration as Set/DescribeRiskConfiguration answer it. */
export function riskConfigurationOf(poolId: string, clientId: string | undefined, record: RiskConfigurationRecord | undefined): RiskConfigurationType {
  return {
    UserPoolId: poolId,
    ...(clientId !== undefined && { ClientId: clientId }),
    ...(record?.compromisedCredentials !== undefined && { CompromisedCredentialsRiskConfiguration: record.compromisedCredentials }),
    ...(record?.accountTakeover !== undefined && { AccountTakeoverRiskConfiguration: record.accountTakeover }),
    ...(record?.riskExceptions !== undefined && { RiskExceptionConfiguration: record.riskExceptions }),
    ...(record && { LastModifiedDate: record.updatedAt / 1000 }),
  };
}
