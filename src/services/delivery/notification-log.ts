import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { OutboxRecord } from '../../ports/outbox.js';
import type { LogDeliveryPort } from '../../ports/log-delivery.js';
import { notificationLogGroup } from '../../domain/security/log-delivery.js';

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
 * logs"). Here the log group `…:log-group:NAME` is the file `<dir>/NAME.log` (characters outside
 * `[A-Za-z0-9._-]` become `_`), one JSON object per line. AWS's record format is not published
 * in full; these fields are ours, and leave out the destination and the message.
 */
export interface NotificationLog {
  failed(row: OutboxRecord, details: FailedTry): Promise<void>;
}

export function createNotificationLog(options: { dir: string; store: LogDeliveryPort; clock: Clock; logger: Logger }): NotificationLog {
  const { dir, store, clock, logger } = options;
  let made: Promise<unknown> | undefined;
  return {
    async failed(row, details) {
      try {
        const group = notificationLogGroup(await store.getLogDelivery(row.poolId));
        if (group === undefined) return;
        made ??= mkdir(dir, { recursive: true, mode: 0o700 });
        await made;
        const record = {
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
        };
        await appendFile(join(dir, `${fileNameOf(group)}.log`), `${JSON.stringify(record)}\n`, { mode: 0o600 });
      } catch (err) {
        // The log is a report of delivery, never a reason for it to fail.
        logger.warn('could not write a user notification log', { id: row.id, error: err instanceof Error ? err.message : String(err) });
      }
    },
  };
}

/** A log group name as a file name inside the folder: no separators, no leading dot. */
export function fileNameOf(logGroup: string): string {
  return logGroup.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_');
}
