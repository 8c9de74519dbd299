import { invalidLambdaResponse, unexpectedLambda, userLambdaValidation, type ServiceError } from '../../kernel/errors.js';
import type { TriggerEvent } from './trigger-event.js';

/**
 * How Cognito words a trigger's failures, shared by every invoker so a function behind a URL,
 * a local module or the Lambda API fails the same way. The trigger name is the LambdaConfig key
 * (cognito-facts-areas.md §2.5): the part of the trigger source before the underscore
 * (`CustomMessage_ForgotPassword` -> `CustomMessage`), except for the token trigger, whose
 * sources are `TokenGeneration_*` but whose key is PreTokenGeneration.
 */
export function triggerName(event: Pick<TriggerEvent, 'triggerSource'>): string {
  const prefix = event.triggerSource.split('_')[0] ?? event.triggerSource;
  return prefix === 'TokenGeneration' ? 'PreTokenGeneration' : prefix;
}

/** The function ran and failed: Cognito appends a full stop even when the message has one. */
export function functionFailed(event: TriggerEvent, errorMessage: string): ServiceError {
  return userLambdaValidation(`${triggerName(event)} failed with error ${errorMessage}.`);
}

/** The function could not be run (denied, throttled, missing, unreachable) or did not answer in time. */
export function invocationFailed(event: TriggerEvent, cause: string): ServiceError {
  return unexpectedLambda(`${triggerName(event)} invocation failed due to error ${cause}.`);
}

/** How userpoold says it has no way to run a function, in the place AWS puts the cause. */
export function noInvokerCause(functionArn: string): string {
  return (
    `NoInvokerConfigured: userpoold has no invoker for ${functionArn}; ` +
    'map the ARN in --triggers-file ({"module": "./fn.mjs"}, {"url": "http://..."} or {"lambda": {"endpoint": "http://..."}}) or set --lambda-endpoint'
  );
}

/** Cognito's words when its wait for the function ends. */
export const TIMEOUT_CAUSE = 'Socket timeout while invoking Lambda function';

export const INVALID_JSON = 'Invalid lambda function output : Invalid JSON';
export const UNRECOGNIZABLE = 'Unrecognizable lambda output';

/**
 * Reads what a function answered. Nothing, `null` or text that is not JSON is "Invalid JSON"
 * (what Cognito says when a handler returns nothing); JSON that is not an object is not an event.
 */
export function parseLambdaOutput(text: string): TriggerEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidLambdaResponse(INVALID_JSON);
  }
  if (parsed === null) throw invalidLambdaResponse(INVALID_JSON);
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidLambdaResponse(UNRECOGNIZABLE);
  return parsed as TriggerEvent;
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
