import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { LogDeliveryPort } from '../../ports/log-delivery.js';
import type { AuthEventRecord } from '../../domain/security/auth-event.js';
import { authEventsLogGroup } from '../../domain/security/log-delivery.js';
import { logGroupFiles } from '../delivery/log-group-files.js';

/**
 * A pool's `userAuthEvents` logs: threat protection's user activity, which AWS exports at INFO
 * level to the destination of the pool's SetLogDeliveryConfiguration (API_LogConfigurationType:
 * "To send info-level logs about threat-protection user activity in user pools with the Plus
 * feature plan, set to userAuthEvents"). Written the way the `userNotification` logs are
 * (services/delivery/notification-log.ts): the CloudWatch Logs log group is a file of the folder
 * (services/delivery/log-group-files.ts). S3 and Firehose destinations are kept but not
 * written. The record carries the event as AdminListUserAuthEvents shows it (AuthEventType's
 * members, camel-cased) inside AWS's log envelope (eventTimestamp, logLevel, eventSource,
 * userPoolId); AWS's full record format was not found published, so the field names are ours.
 * Nothing secret is in it: no password, code, token or username, only the user's sub.
 *
 * Events are written after they are stored and off the request's path: the caller does not wait
 * for the log's read of the configuration or the file write; flush() waits for what is pending.
 */
export interface AuthEventLog {
  /** An event was stored (inserted, or completed in place: the line is written again with the new outcome). */
  recorded(event: AuthEventRecord, clientId: string | undefined): void;
  flush(): Promise<void>;
}

export function createAuthEventLog(options: { dir: string; store: LogDeliveryPort; clock: Clock; logger: Logger }): AuthEventLog {
  const { dir, store, clock, logger } = options;
  const files = logGroupFiles(dir);
  const pending = new Set<Promise<void>>();

  async function write(event: AuthEventRecord, clientId: string | undefined): Promise<void> {
    try {
      const group = authEventsLogGroup(await store.getLogDelivery(event.poolId));
      if (group === undefined) return;
      await files.append(group, {
        eventTimestamp: clock.nowMs(),
        logLevel: 'INFO',
        eventSource: 'USER_AUTH_EVENTS',
        userPoolId: event.poolId,
        message: {
          eventId: event.eventId,
          eventType: event.eventType,
          creationDate: new Date(event.createdAt).toISOString(),
          eventResponse: event.response,
          riskDecision: event.risk.decision,
          riskLevel: event.risk.level,
          compromisedCredentialsDetected: event.risk.compromisedCredentialsDetected,
          challenges: event.challenges.map((c) => ({ challengeName: c.ChallengeName, challengeResponse: c.ChallengeResponse })),
          ...(event.context.ipAddress !== undefined && { ipAddress: event.context.ipAddress }),
          ...(event.context.deviceName !== undefined && { deviceName: event.context.deviceName }),
          userSub: event.userSub,
          ...(clientId !== undefined && { clientId }),
        },
      });
    } catch (err) {
      // The log reports sign-in activity; it is never a reason for a sign-in to fail.
      logger.warn('could not write a user auth events log', { eventId: event.eventId, error: err instanceof Error ? err.message : String(err) });
    }
  }

  return {
    recorded(event, clientId) {
      const done: Promise<void> = write(event, clientId).finally(() => pending.delete(done));
      pending.add(done);
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
