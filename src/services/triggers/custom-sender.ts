import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { TriggerEvent } from './trigger-event.js';
import { NO_CLIENT, UNKNOWN_SDK } from './trigger-event.js';

/**
 * The custom sender triggers (cognito-facts-areas.md §2.2, §2.3; DG23
 * user-pool-lambda-custom-email-sender / -custom-sms-sender): a pool whose LambdaConfig names
 * CustomEmailSender (CustomSMSSender) hands every email (SMS) it would send to that function
 * instead, with the code or temporary password encrypted under the pool's KMSKeyID by the AWS
 * Encryption SDK. Cognito invokes them asynchronously (DG23 working-with-lambda-triggers: every
 * trigger is synchronous "except the custom senders"), so here they are an outbox transport:
 * retried with backoff and kept across restarts like any other message.
 */
export type CustomSenderTrigger = 'CustomEmailSender' | 'CustomSMSSender';

/** Whether an event's source is one of the custom senders' (CustomEmailSender_SignUp, CustomSMSSender_Authentication, ...). */
export function isCustomSenderSource(triggerSource: string): boolean {
  return triggerSource.startsWith('CustomEmailSender_') || triggerSource.startsWith('CustomSMSSender_');
}

/** What the outbox row of a message routed to a custom sender carries (sealed in its payload). */
export interface CustomSenderRoute {
  trigger: CustomSenderTrigger;
  functionArn: string;
  kmsKeyId: string;
}

/** The sender that takes over a medium's messages in this pool, if any. */
export function customSenderFor(settings: PoolSettings, medium: 'EMAIL' | 'SMS'): CustomSenderRoute | undefined {
  const config = settings.LambdaConfig;
  const trigger: CustomSenderTrigger = medium === 'EMAIL' ? 'CustomEmailSender' : 'CustomSMSSender';
  const fn = config?.[trigger];
  // CreateUserPool/UpdateUserPool refuse a sender without KMSKeyID (domain/pools/not-built.ts),
  // so a stored sender always has its key.
  if (fn === undefined || config?.KMSKeyID === undefined) return undefined;
  return { trigger, functionArn: fn.LambdaArn, kmsKeyId: config.KMSKeyID };
}

export interface CustomSenderEventInput {
  route: CustomSenderRoute;
  /** The CustomMessage-style suffix the outbox row names: SignUp, ForgotPassword, AdminCreateUser, ... */
  suffix: string;
  region: string;
  poolId: string;
  userName: string;
  clientId: string | undefined;
  /** Base64 of the AWS Encryption SDK message holding the code (or temporary password); null when the message has none. */
  code: string | null;
  userAttributes: Record<string, string>;
  clientMetadata: Record<string, string> | undefined;
}

/**
 * The event as AWS sends it (@types/aws-lambda custom-email-sender.d.ts, powertools'
 * CustomEmailSenderTriggerSchema): version "1", `request` {type, code, userAttributes,
 * clientMetadata when the operation had some}, and an empty `response` (the answer is ignored).
 */
export function buildCustomSenderEvent(input: CustomSenderEventInput): TriggerEvent {
  const type = input.route.trigger === 'CustomEmailSender' ? 'customEmailSenderRequestV1' : 'customSMSSenderRequestV1';
  return {
    version: '1',
    triggerSource: `${input.route.trigger}_${input.suffix}`,
    region: input.region,
    userPoolId: input.poolId,
    userName: input.userName,
    callerContext: { awsSdkVersion: UNKNOWN_SDK, clientId: input.clientId ?? NO_CLIENT },
    request: {
      type,
      code: input.code,
      userAttributes: input.userAttributes,
      ...(input.clientMetadata !== undefined ? { clientMetadata: { ...input.clientMetadata } } : {}),
    },
    response: {},
  };
}

/**
 * The secret as Cognito encrypts it: temporary passwords have `<` and `>` HTML-escaped
 * (cognito-facts-areas.md §2.3, DG23 custom sender page), codes are digits and pass unchanged.
 */
export function senderSecret(suffix: string, secret: string): string {
  return suffix === 'AdminCreateUser' ? secret.replace(/</g, '&lt;').replace(/>/g, '&gt;') : secret;
}
