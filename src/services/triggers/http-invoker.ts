import type { LambdaInvoker } from './custom-message.js';
import type { TriggerEvent } from './trigger-event.js';
import { TIMEOUT_CAUSE, functionFailed, invocationFailed, isTimeout, parseLambdaOutput, transportCause } from './lambda-outcome.js';

/**
 * A function behind a URL, for development: the event is POSTed as JSON and the answer (2xx,
 * JSON) is the event the function returns. Any other status is the function failing, with its
 * `errorMessage` (or its body) as the reason, the way a Lambda function's thrown error reads.
 */
export function createHttpInvoker(url: string, timeoutMs: number): LambdaInvoker {
  return {
    async invoke(_functionArn: string, event: TriggerEvent): Promise<TriggerEvent> {
      let res: Response;
      let text: string;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(event),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await res.text();
      } catch (err) {
        throw invocationFailed(event, isTimeout(err) ? TIMEOUT_CAUSE : transportCause(err));
      }
      if (res.status < 200 || res.status > 299) throw functionFailed(event, failureReason(res.status, text));
      return parseLambdaOutput(text);
    },
  };
}

function failureReason(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { errorMessage?: unknown; message?: unknown };
    if (typeof body.errorMessage === 'string') return body.errorMessage;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not JSON: the body itself is the reason.
  }
  const trimmed = text.trim();
  return trimmed === '' ? `HTTP ${status}` : trimmed.slice(0, 1000);
}
