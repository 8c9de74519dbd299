import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { checkLogConfigurations } from '../../domain/security/log-delivery.js';

/**
 * Where a pool's logs go. userpoold writes the `userNotification` logs (message delivery
 * errors of the outbox, services/delivery/notification-log.ts) and the `userAuthEvents` logs
 * (threat protection's events, services/threat/auth-event-log.ts) to local files named after
 * the CloudWatch Logs log group, under --log-delivery-dir; without that option, and for S3 and
 * Firehose, the configuration is kept and answered by GetLogDeliveryConfiguration but nothing
 * is written (docs/compatibility.md).
 */
export const setLogDeliveryConfiguration: Operation<'SetLogDeliveryConfiguration', 'clock' | 'store'> = (deps) => async (input) => {
  const configurations = input.LogConfigurations;
  return deps.store.transaction(async (tx) => {
    const { settings } = await loadPool(tx, input.UserPoolId);
    checkLogConfigurations(configurations, settings.UserPoolTier ?? 'ESSENTIALS');
    await tx.putLogDelivery({ poolId: input.UserPoolId, configurations, updatedAt: deps.clock.nowMs() });
    return { LogDeliveryConfiguration: { UserPoolId: input.UserPoolId, LogConfigurations: configurations } };
  });
};
