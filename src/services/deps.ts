import type { Config } from '../kernel/config.js';
import type { Clock } from '../kernel/clock.js';
import type { Logger } from '../kernel/logger.js';
import type { Random } from '../kernel/random.js';
import type { SecretBox } from '../kernel/secret-box.js';
import type { Store } from '../ports/store.js';
import type { Codes } from './codes/codes.js';
import type { PasswordHasher } from './passwords/password-hasher.js';
import type { LambdaInvoker } from './triggers/custom-message.js';
import type { CompromisedPasswords } from './threat/compromised-passwords.js';
import type { AuthEventLog } from './threat/auth-event-log.js';
import type { QueuedChannels } from './delivery/queued-channels.js';

/**
 * Every service an operation may ask for, built once by the composition root (src/app/).
 * An operation names the members it uses (`Operation<'X', 'store' | 'clock'>`), and so does
 * every helper it calls, so what a file can touch is visible in its signature.
 */
export interface Deps {
  config: Config;
  store: Store;
  clock: Clock;
  random: Random;
  hasher: PasswordHasher;
  secrets: SecretBox;
  logger: Logger;
  codes: Codes;
  /** Runs Lambda triggers (CustomMessage); absent when no invoker is configured. */
  lambda?: LambdaInvoker | undefined;
  /** The local list of compromised passwords (--compromised-passwords); absent: none is known. */
  compromisedPasswords?: CompromisedPasswords | undefined;
  /** Writes threat protection's events to pools' `userAuthEvents` log groups (--log-delivery-dir); absent: nowhere. */
  authEventLog?: AuthEventLog | undefined;
  /** The channels messages were queued for (noted by queueMessage), so that a wake is skipped when the worker has none of them. */
  queuedChannels: QueuedChannels;
  /** Called after a transaction that queued a message commits, to wake the delivery worker. */
  onMessageQueued: () => void;
  /** Called after a user import job was started or stopped, to wake the import runner (it also polls). */
  onImportJobChanged?: (() => void) | undefined;
}
