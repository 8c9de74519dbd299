/**
 * How messages leave userpoold. The worker hands each outbox row, rendered and with its code
 * substituted, to the transport of its channel. `messageId` is the outbox row id: transports
 * that can deduplicate (SMTP Message-ID header, webhook idempotency header) use it, since
 * delivery is at-least-once.
 */
export interface EmailMessage {
  messageId: string;
  to: string;
  /** The pool's EmailConfiguration.From (or SourceArn's identity), else the server default. */
  from?: string;
  replyTo?: string;
  subject: string;
  /** Cognito's email messages may be HTML; sent as the HTML part with a text alternative. */
  body: string;
}

export interface SmsMessage {
  messageId: string;
  /** E.164 phone number. */
  to: string;
  text: string;
}

export interface EmailTransport {
  send(message: EmailMessage): Promise<void>;
  close?(): Promise<void>;
}

export interface SmsTransport {
  send(message: SmsMessage): Promise<void>;
  close?(): Promise<void>;
}

/** A failure the worker should not retry (e.g. a permanently rejected address). */
export class PermanentDeliveryError extends Error {}
