import { OPERATIONS, OPERATION_NAMES, SERVICE, type OperationName } from './generated/operations.js';
import { validateInput } from './validate.js';
import { ServiceError, serialization, unsupportedOperation } from '../errors.js';
import type { Handler, RequestContext } from '../operations/deps.js';
import type { Logger } from '../services/logger.js';

export interface DispatchResult {
  status: number;
  body: string;
  errorType?: string;
  errorMessage?: string;
}

export type Handlers = Partial<{ [N in OperationName]: Handler<N> }>;

const TARGET_PREFIX = `${SERVICE.targetPrefix}.`;
const KNOWN = new Set<string>(OPERATION_NAMES);

/**
 * The one path from an HTTP request to an operation and back: target, JSON, validation, call,
 * serialization. Every failure leaves through `errorResult`, so clients always see the
 * AWS JSON error shape and never an internal detail.
 */
export async function dispatch(
  handlers: Handlers,
  target: string | undefined,
  rawBody: string,
  ctx: RequestContext,
  logger: Logger,
): Promise<DispatchResult> {
  try {
    const name = operationName(target);
    const input = parseBody(rawBody);
    const fact = OPERATIONS[name];
    if (fact.input !== null) validateInput(fact.input, input);
    const handler = handlers[name] as Handler<OperationName> | undefined;
    if (!handler) throw unsupportedOperation(`userpoold does not implement ${name} yet.`);
    const output = await handler(input as never, ctx);
    return { status: 200, body: JSON.stringify(output ?? {}) };
  } catch (err) {
    return errorResult(err, ctx, logger, target);
  }
}

function operationName(target: string | undefined): OperationName {
  if (target === undefined || !target.startsWith(TARGET_PREFIX)) {
    throw new ServiceError('UnknownOperationException', '');
  }
  const name = target.slice(TARGET_PREFIX.length);
  if (!KNOWN.has(name)) throw new ServiceError('UnknownOperationException', '');
  return name as OperationName;
}

function parseBody(raw: string): Record<string, unknown> {
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
