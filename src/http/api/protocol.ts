import { OPERATIONS, OPERATION_NAMES, SERVICE, type OperationName } from '../../model/generated/operations.js';
import { DOCUMENTED_BEYOND_MODEL, ServiceError, serialization } from '../../kernel/errors.js';
import type { RequestContext } from '../../kernel/request-context.js';
import type { Logger } from '../../kernel/logger.js';

/** AWS JSON 1.1 as the API speaks it: operation names, request bodies, error answers. */

export interface DispatchResult {
  status: number;
  body: string;
  errorType?: string;
  errorMessage?: string;
}

const TARGET_PREFIX = `${SERVICE.targetPrefix}.`;
const KNOWN = new Set<string>(OPERATION_NAMES);

/**
 * An operation may throw only the errors its model declares: a client that switches on the
 * error name must never meet one it cannot know. Anything else is our fault, logged and
 * answered as InternalErrorException like any other bug.
 */
export function declaredOnly(operation: OperationName, err: unknown): unknown {
  if (!(err instanceof ServiceError) || OPERATIONS[operation].errors.includes(err.name)) return err;
  if (DOCUMENTED_BEYOND_MODEL[operation]?.includes(err.name)) return err;
  return new Error(`${operation} threw ${err.name}, which its model does not declare: ${err.message}`);
}

/** The operation an X-Amz-Target value names: `AWSCognitoIdentityProviderService.<Operation>`. */
export function operationName(target: string | undefined): OperationName {
  if (target === undefined || target === '') {
    throw new ServiceError('UnknownOperationException', `No X-Amz-Target header was received; expected ${TARGET_PREFIX}<Operation>.`);
  }
  const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  if (name === undefined || !KNOWN.has(name)) {
    // AWS answers with no message; saying what arrived saves a developer the guesswork.
    const shown = JSON.stringify(target.length > 120 ? `${target.slice(0, 120)}...` : target);
    throw new ServiceError('UnknownOperationException', `Unknown operation: received X-Amz-Target ${shown}; expected ${TARGET_PREFIX}<Operation>.`);
  }
  return name as OperationName;
}

/** The request body: a JSON object, or nothing at all (an operation without input). */
export function parseBody(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw serialization('Request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw serialization('Request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

export function errorResult(err: unknown, ctx: RequestContext, logger: Logger, target?: string): DispatchResult {
  if (err instanceof ServiceError) {
    return {
      status: err.status,
      body: JSON.stringify({ __type: err.name, message: err.message }),
      errorType: err.name,
      errorMessage: err.message,
    };
  }
  // Our own fault: log it with the request id, tell the client nothing more.
  logger.error('internal error', {
    requestId: ctx.requestId,
    target,
    error: err instanceof Error ? (err.stack ?? err.message) : String(err),
  });
  const message = 'Internal server error.';
  return {
    status: 500,
    body: JSON.stringify({ __type: 'InternalErrorException', message }),
    errorType: 'InternalErrorException',
    errorMessage: message,
  };
}
