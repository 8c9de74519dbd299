import { ServiceError, invalidParameter } from '../../kernel/errors.js';
import type { LogConfigurationType } from '../../model/generated/types.js';

/**
 * A pool's log delivery configuration (SetLogDeliveryConfiguration), and the rules AWS states
 * for it (cognito-facts-areas.md section 6, "Log delivery"; API_LogConfigurationType):
 * - `userNotification` logs are error-level logs of message delivery: `LogLevel` `ERROR` with a
 *   `CloudWatchLogsConfiguration`;
 * - `userAuthEvents` logs are threat protection's user activity: `INFO`, any of the three
 *   destinations, and the Plus feature plan; S3 and Firehose destinations need Plus too. A plan
 *   too low answers FeatureUnavailableInTierException.
 * AWS publishes no texts for these refusals: the messages here are ours.
 */
export interface LogDeliveryRecord {
  poolId: string;
  configurations: LogConfigurationType[];
  updatedAt: number;
}

export const LOG_DELIVERY_MESSAGES = {
  oneDestination: 'Each log configuration needs exactly one destination: CloudWatchLogsConfiguration, S3Configuration or FirehoseConfiguration.',
  notificationLevel: 'userNotification logs are delivered at LogLevel ERROR to a CloudWatchLogsConfiguration only.',
  authEventsLevel: 'userAuthEvents logs are delivered at LogLevel INFO only.',
  duplicate: (source: string) => `Only one log configuration per EventSource is allowed (${source} is given twice).`,
  logGroupArn: (arn: string) => `${arn} is not the ARN of a CloudWatch Logs log group.`,
  tier: (what: string) => `${what} needs the PLUS feature plan (UserPoolTier); this user pool is on a lower plan.`,
} as const;

/** Checks the configurations of a SetLogDeliveryConfiguration against the pool's feature plan. */
export function checkLogConfigurations(configurations: readonly LogConfigurationType[], tier: string): void {
  const seen = new Set<string>();
  for (const c of configurations) {
    const destinations = [c.CloudWatchLogsConfiguration, c.S3Configuration, c.FirehoseConfiguration].filter((d) => d !== undefined && d !== null);
    if (destinations.length !== 1) throw invalidParameter(LOG_DELIVERY_MESSAGES.oneDestination);
    if (seen.has(c.EventSource)) throw invalidParameter(LOG_DELIVERY_MESSAGES.duplicate(c.EventSource));
    seen.add(c.EventSource);
    const arn = c.CloudWatchLogsConfiguration?.LogGroupArn;
    if (c.CloudWatchLogsConfiguration && (arn === undefined || logGroupName(arn) === undefined)) throw invalidParameter(LOG_DELIVERY_MESSAGES.logGroupArn(arn ?? ''));
    if (c.EventSource === 'userNotification') {
      if (c.LogLevel !== 'ERROR' || !c.CloudWatchLogsConfiguration) throw invalidParameter(LOG_DELIVERY_MESSAGES.notificationLevel);
    } else {
      if (c.LogLevel !== 'INFO') throw invalidParameter(LOG_DELIVERY_MESSAGES.authEventsLevel);
      if (tier !== 'PLUS') throw new ServiceError('FeatureUnavailableInTierException', LOG_DELIVERY_MESSAGES.tier('userAuthEvents log delivery'));
    }
  }
}

const LOG_GROUP_ARN = /^arn:[\w-]+:logs:[\w-]*:\d*:log-group:([\w./#-]+?)(?::\*)?$/;

/** The log group name of a CloudWatch Logs log group ARN (`arn:aws:logs:<region>:<account>:log-group:<name>[:*]`). */
export function logGroupName(arn: string): string | undefined {
  return LOG_GROUP_ARN.exec(arn)?.[1];
}

/** The configuration that receives a pool's user notification (message delivery) errors, if any. */
export function notificationLogGroup(record: LogDeliveryRecord | undefined): string | undefined {
  const arn = record?.configurations.find((c) => c.EventSource === 'userNotification')?.CloudWatchLogsConfiguration?.LogGroupArn;
  return arn === undefined ? undefined : logGroupName(arn);
}

/** The log group that receives a pool's threat protection user activity (`userAuthEvents`), if a CloudWatch Logs one is configured. */
export function authEventsLogGroup(record: LogDeliveryRecord | undefined): string | undefined {
  const arn = record?.configurations.find((c) => c.EventSource === 'userAuthEvents')?.CloudWatchLogsConfiguration?.LogGroupArn;
  return arn === undefined ? undefined : logGroupName(arn);
}
