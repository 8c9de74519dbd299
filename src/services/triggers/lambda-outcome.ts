import { invalidLambdaResponse, unexpectedLambda, userLambdaValidation, type ServiceError } from '../../kernel/errors.js';
import type { CustomMessageEvent } from './custom-message.js';

/**
 * How Cognito words a trigger's failures, shared by every invoker so a function behind a URL,
 * a local module or the Lambda API fails the same way. The trigger name is the part of the
 * trigger source before the underscore (`CustomMessage_ForgotPassword` -> `CustomMessage`).
 */
export function triggerName(event: Pick<CustomMessageEvent, 'triggerSource'>): string {
  return event.triggerSource.split('_')[0] ?? event.triggerSource;
}

/** The function ran and failed: Cognito appends a full stop even when the message has one. */
export function functionFailed(event: CustomMessageEvent, errorMessage: string): ServiceError {
  return userLambdaValidation(`${triggerName(event)} failed with error ${errorMessage}.`);
}

/** The function could not be run (denied, throttled, missing, unreachable) or did not answer in time. */
export function invocationFailed(event: CustomMessageEvent, cause: string): ServiceError {
  return unexpectedLambda(`${triggerName(event)} invocation failed due to error ${cause}.`);
}

/** Cognito's words when its wait for the function ends. */
export const TIMEOUT_CAUSE = 'Socket timeout while invoking Lambda function';

export const INVALID_JSON = 'Invalid lambda function output : Invalid JSON';
export const UNRECOGNIZABLE = 'Unrecognizable lambda output';

/**
 * Reads what a function answered. Nothing, `null` or text that is not JSON is "Invalid JSON"
 * (what Cognito says when a handler returns nothing); JSON that is not an object is not an event.
 */
export function parseLambdaOutput(text: string): CustomMessageEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidLambdaResponse(INVALID_JSON);
  }
  if (parsed === null) throw invalidLambdaResponse(INVALID_JSON);
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidLambdaResponse(UNRECOGNIZABLE);
  return parsed as CustomMessageEvent;
}

/** A short, non-secret name for a transport failure (ECONNREFUSED, ENOTFOUND, ...). */
export function transportCause(err: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current !== null && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return err instanceof Error && err.name !== 'Error' && err.name !== 'TypeError' ? err.name : 'ServiceException';
}

export function isTimeout(err: unknown): boolean {
  const name = err instanceof Error ? err.name : '';
  return name === 'TimeoutError' || name === 'AbortError';
}
