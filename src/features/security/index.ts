import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { describeRiskConfiguration } from './describe-risk-configuration.js';
import { getLogDeliveryConfiguration } from './get-log-delivery-configuration.js';
import { setLogDeliveryConfiguration } from './set-log-delivery-configuration.js';
import { setRiskConfiguration } from './set-risk-configuration.js';

/** Threat protection and log delivery settings; merged into the registry by features/registry.ts. */
export const securityOperations = {
  SetRiskConfiguration: setRiskConfiguration,
  DescribeRiskConfiguration: describeRiskConfiguration,
  SetLogDeliveryConfiguration: setLogDeliveryConfiguration,
  GetLogDeliveryConfiguration: getLogDeliveryConfiguration,
} satisfies { [N in OperationName]?: Operation<N> };
