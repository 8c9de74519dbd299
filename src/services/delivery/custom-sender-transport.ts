import { ServiceError } from '../../kernel/errors.js';
import type { OutboxRecord } from '../../ports/outbox.js';
import type { LambdaInvoker } from '../triggers/custom-message.js';
import type { CodeEncryptor } from '../triggers/code-encryptor.js';
import { buildCustomSenderEvent, senderSecret } from '../triggers/custom-sender.js';
import type { MessagePayload } from './message-view.js';
import { secretOf } from './placeholders.js';
import { PermanentDeliveryError } from './transport.js';

/**
 * Delivers an outbox row routed to a pool's CustomEmailSender or CustomSMSSender function
 * (services/triggers/custom-sender.ts): the code is encrypted under the pool's KMS key only now,
 * as the message leaves, and the function is invoked with AWS's event. Its answer is ignored, as
 * Cognito ignores it; a failure (the function threw, could not be reached, KMS refused) is a
 * failed try, which the worker retries with backoff, so the message outlives a restart.
 */
export interface CustomSenderTransport {
  send(row: OutboxRecord, payload: MessagePayload): Promise<void>;
}

export function createCustomSenderTransport(deps: { lambda: LambdaInvoker; encryptor: CodeEncryptor; region: string }): CustomSenderTransport {
  return {
    async send(row, payload) {
      const route = payload.sender;
      if (route === undefined) throw new PermanentDeliveryError('the message names no custom sender function');
      const secret = secretOf(row.trigger, payload);
      // A message without a code (a notification) has `code: null`, as the event's type allows.
      const code = secret === undefined ? null : await deps.encryptor.encrypt(route.kmsKeyId, senderSecret(row.trigger, secret));
      const event = buildCustomSenderEvent({
        route,
        suffix: row.trigger,
        region: deps.region,
        poolId: row.poolId,
        userName: row.username,
        clientId: payload.clientId,
        code,
        userAttributes: payload.userAttributes ?? {},
        clientMetadata: payload.clientMetadata,
      });
      try {
        await deps.lambda.invoke(route.functionArn, event);
      } catch (err) {
        // The function ran: whatever it answered (AWS's samples `return;`) is no failure here.
        if (isIgnoredAnswer(err)) return;
        throw err;
      }
    },
  };
}

/** An answer that is not an event: every other trigger's failure, but a custom sender's answer is ignored. */
export function isIgnoredAnswer(err: unknown): boolean {
  return err instanceof ServiceError && err.name === 'InvalidLambdaResponseException';
}
