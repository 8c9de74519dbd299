import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The local stand-in for the CloudWatch Logs log groups of SetLogDeliveryConfiguration, shared by
 * the `userNotification` (notification-log.ts) and `userAuthEvents` (threat/auth-event-log.ts)
 * logs: the log group `…:log-group:NAME` is the file `<dir>/NAME.log` (characters outside
 * `[A-Za-z0-9._-]` become `_`), private to the server's user, one JSON object per line.
 */
export interface LogGroupFiles {
  append(logGroup: string, record: object): Promise<void>;
}

export function logGroupFiles(dir: string): LogGroupFiles {
  let made: Promise<unknown> | undefined;
  return {
    async append(logGroup, record) {
      made ??= mkdir(dir, { recursive: true, mode: 0o700 });
      await made;
      await appendFile(join(dir, `${fileNameOf(logGroup)}.log`), `${JSON.stringify(record)}\n`, { mode: 0o600 });
    },
  };
}

/** A log group name as a file name inside the folder: no separators, no leading dot. */
export function fileNameOf(logGroup: string): string {
  return logGroup.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_');
}
