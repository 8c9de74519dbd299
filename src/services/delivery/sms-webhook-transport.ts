import { PermanentDeliveryError, type SmsMessage, type SmsTransport } from './transport.js';

export interface SmsWebhookOptions {
  url: string;
  /** Sent as X-Userpoold-Secret so the receiver can tell our calls from anyone else's. */
  secret?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Hands each SMS to an HTTP endpoint the operator runs (a gateway, a test catcher). Delivery is
 * at-least-once, so the outbox id travels as Idempotency-Key for the receiver to deduplicate.
 *
 * Error texts end up in the outbox's last_error column and in logs, so they name the status or
 * the network failure and never the message text, which carries the code.
 */
export function createSmsWebhookTransport(options: SmsWebhookOptions): SmsTransport {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async send(message: SmsMessage): Promise<void> {
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'Idempotency-Key': message.messageId,
      };
      if (options.secret !== undefined) headers['X-Userpoold-Secret'] = options.secret;
      let res: Response;
      try {
        res = await fetch(options.url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ messageId: message.messageId, to: message.to, text: message.text }),
          signal: AbortSignal.timeout(timeoutMs),
          // Following a redirect would hand the secret header to whatever host it names.
          redirect: 'manual',
        });
      } catch (err) {
        throw new Error(describeFetchFailure(err, timeoutMs));
      }
      // The body is of no use to us; reading it frees the connection for reuse.
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return;
      const why = `SMS webhook answered HTTP ${res.status}`;
      if (isPermanentStatus(res.status)) throw new PermanentDeliveryError(why);
      throw new Error(why);
    },
  };
}

/** A 4xx means the receiver refuses this message for good, except "too slow" and "too many". */
export function isPermanentStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function describeFetchFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `SMS webhook timed out after ${timeoutMs} ms`;
  const code = e.cause?.code;
  return code === undefined ? 'SMS webhook unreachable' : `SMS webhook unreachable: ${code}`;
}
