import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { OutboxRecord } from '../../ports/outbox.js';
import type { LogDeliveryPort } from '../../ports/log-delivery.js';
import { notificationLogGroup } from '../../domain/security/log-delivery.js';
import { logGroupFiles } from './log-group-files.js';

/** One failed delivery try, as the delivery worker saw it (the reason already without the code). */
export interface FailedTry {
  attempts: number;
  /** The message will be tried again (false: it is now `failed`). */
  willRetry: boolean;
  reason: string;
}

/**
 * A pool's `userNotification` logs: the error-level logs of message delivery that AWS sends to
 * the CloudWatch Logs log group of the pool's SetLogDeliveryConfiguration
 * (DG:exporting-quotas-and-usage: "Currently, you can only deliver Error-level user notification
 * logs"), here a file of the folder (log-group-files.ts). AWS's record format is not published
 * in full; these fields are ours, and leave out the destination and the message.
 */
export interface NotificationLog {
  failed(row: OutboxRecord, details: FailedTry): Promise<void>;
}

export function createNotificationLog(options: { dir: string; store: LogDeliveryPort; clock: Clock; logger: Logger }): NotificationLog {
  const { dir, store, clock, logger } = options;
  const files = logGroupFiles(dir);
  return {
    async failed(row, details) {
      try {
        const group = notificationLogGroup(await store.getLogDelivery(row.poolId));
        if (group === undefined) return;
        await files.append(group, {
          eventTimestamp: clock.nowMs(),
          logLevel: 'ERROR',
          eventSource: 'USER_NOTIFICATION',
          userPoolId: row.poolId,
          userSub: row.userSub,
          messageId: row.id,
          eventType: row.trigger,
          deliveryMedium: row.channel === 'CustomEmailSender' ? 'EMAIL' : row.channel === 'CustomSMSSender' ? 'SMS' : row.channel,
          attempts: details.attempts,
          willRetry: details.willRetry,
          reason: details.reason,
        });
      } catch (err) {
        // The log is a report of delivery, never a reason for it to fail.
        logger.warn('could not write a user notification log', { id: row.id, error: err instanceof Error ? err.message : String(err) });
      }
    },
  };
}
