import type { Config } from '../config.js';
import type { Clock } from '../services/clock.js';
import type { Codes } from '../services/codes.js';
import type { LambdaInvoker } from '../services/triggers/custom-message.js';
import type { Logger } from '../services/logger.js';
import type { PasswordHasher } from '../services/password-hasher.js';
import type { Random } from '../services/random.js';
import type { SecretBox } from '../services/secret-box.js';
import type { Store } from '../storage/store.js';
import type { OperationName } from '../protocol/generated/operations.js';
import type { OperationIO } from '../protocol/generated/types.js';

/** Everything an operation may use. Built once, in app.ts. */
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
  /** Called after a transaction that queued a message commits, to wake the delivery worker. */
  onMessageQueued?: (() => void) | undefined;
}

/** What the protocol layer knows about the request beyond its body. */
export interface RequestContext {
  requestId: string;
  sourceIp: string;
  /** The base URL this request reached, e.g. http://127.0.0.1:9229 (token issuers). */
  baseUrl: string;
  /** The verified caller of a signed operation (set by the SigV4 guard). */
  principal?: { arn: string; accessKeyId: string } | undefined;
}

export type Input<N extends OperationName> = OperationIO[N]['input'];
export type Output<N extends OperationName> = OperationIO[N]['output'];

export type Handler<N extends OperationName> = (input: Input<N>, ctx: RequestContext) => Promise<Output<N>>;

/** An operation is a function of its dependencies and its input. */
export type Operation<N extends OperationName> = (deps: Deps) => Handler<N>;
