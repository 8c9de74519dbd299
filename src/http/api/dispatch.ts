import { OPERATIONS, OPERATION_NAMES, SERVICE, type OperationName } from '../../model/generated/operations.js';
import { knownMembersOnly, validateInput } from './validate.js';
import { DOCUMENTED_BEYOND_MODEL, ServiceError, serialization, unsupportedOperation } from '../../kernel/errors.js';
import type { Handler, Handlers } from '../../features/operation.js';
import type { Outcome, RawRequest, RequestContext } from '../../kernel/request-context.js';
import type { Logger } from '../../kernel/logger.js';

export interface DispatchResult {
  status: number;
  body: string;
  errorType?: string;
  errorMessage?: string;
}

/**
 * Checks around every operation, in AWS's order: who is calling (SigV4 and policy, for the
 * operations AWS signs), whether they are within their quotas, then after the call a record
 * of the outcome. Each is optional; each throws ServiceErrors with AWS's names.
 */
export interface Guards {
  authenticate?(operation: OperationName, signed: boolean, request: RawRequest, input: Record<string, unknown>, ctx: RequestContext): Promise<void>;
  admit?(operation: OperationName, input: Record<string, unknown>, ctx: RequestContext): Promise<void>;
  record?(outcome: Outcome): void;
}

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
  request: RawRequest,
  ctx: RequestContext,
  logger: Logger,
  guards: Guards = {},
): Promise<DispatchResult> {
  let name: OperationName | undefined;
  let input: Record<string, unknown> | undefined;
  let result: DispatchResult;
  try {
    name = operationName(target);
    input = parseBody(request.body);
    const fact = OPERATIONS[name];
    await guards.authenticate?.(name, !fact.unsigned, request, input, ctx);
    await guards.admit?.(name, input, ctx);
    if (fact.input !== null) validateInput(fact.input, input);
    const handler = handlers[name] as Handler<OperationName> | undefined;
    if (!handler) throw unsupportedOperation(`userpoold does not implement ${name} yet.`);
    const known = fact.input === null ? {} : knownMembersOnly(fact.input, input);
    const output = await handler(known as never, ctx).catch((err: unknown) => {
      throw declaredOnly(name as OperationName, err);
    });
    result = { status: 200, body: JSON.stringify(output ?? {}) };
  } catch (err) {
    result = errorResult(err, ctx, logger, target);
  }
  guards.record?.({ operation: name, input, ctx, status: result.status, errorType: result.errorType });
  return result;
}

/**
 * An operation may throw only the errors its model declares: a client that switches on the
 * error name must never meet one it cannot know. Anything else is our fault, logged and
 * answered as InternalErrorException like any other bug.
 */
function declaredOnly(operation: OperationName, err: unknown): unknown {
  if (!(err instanceof ServiceError) || OPERATIONS[operation].errors.includes(err.name)) return err;
  if (DOCUMENTED_BEYOND_MODEL[operation]?.includes(err.name)) return err;
  return new Error(`${operation} threw ${err.name}, which its model does not declare: ${err.message}`);
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
