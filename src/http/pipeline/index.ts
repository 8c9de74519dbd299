import { OPERATIONS, type OperationFact, type OperationName } from '../../model/generated/operations.js';
import { unsupportedOperation } from '../../kernel/errors.js';
import { declaredOnly, errorResult, operationName, parseBody, type DispatchResult } from '../api/protocol.js';
import { modelledMembers } from '../api/modelled-members.js';
import { knownMembersOnly, validateInput } from '../api/validate.js';
import { runPipeline, type Pipeline, type Step } from './step.js';
import { signedTarget } from './sigv4.js';
import type { Handler, Handlers } from '../../features/operation.js';
import type { Outcome, RawRequest, RequestContext } from '../../kernel/request-context.js';
import type { Logger } from '../../kernel/logger.js';
import { answerJson } from '../../kernel/shared-answer.js';

/**
 * The optional steps around every operation, composed in guards.ts: who is
 * calling (SigV4 and policy, for the operations AWS signs), whether they are within their
 * quotas, and after the call a record of the outcome. The first two throw ServiceErrors with
 * AWS's names. `input` holds only the members the operation's input shape defines.
 */
export interface Guards {
  authenticate?(operation: OperationName, signed: boolean, request: RawRequest, input: Record<string, unknown>, ctx: RequestContext): Promise<void>;
  admit?(operation: OperationName, input: Record<string, unknown>, ctx: RequestContext): Promise<void>;
  record?(outcome: Outcome): void;
}

/**
 * One API request on its way through the pipeline. Each step fills in its part; when the
 * request is done the same object is its result (status, body, error) and the outcome the
 * audit records, so a request allocates one object for all three.
 */
export interface ApiExchange extends Outcome, DispatchResult {
  readonly request: RawRequest;
  readonly ctx: RequestContext;
  /** The X-Amz-Target header as received (the operation may come from a presigned query instead). */
  readonly targetHeader: string | undefined;
  /** From the target step on. */
  operation: OperationName | undefined;
  fact: OperationFact | undefined;
  /**
   * From the body step on: the top-level members the operation's input shape defines, and only
   * those. The policy's resource, quotas and the audit row all read this one object.
   */
  input: Record<string, unknown> | undefined;
  /** From the known-members step on: the validated input without unknown members at any depth. */
  known: unknown;
  status: number;
  body: string;
  errorType: string | undefined;
  errorMessage: string | undefined;
}

export interface ApiPipeline extends Pipeline<ApiExchange> {
  /** steps: target, body, sigv4, quotas, validate, known-members, call; after: audit. */
  handle(targetHeader: string | undefined, request: RawRequest, ctx: RequestContext): Promise<ApiExchange>;
}

export const NO_GUARDS: Guards = {};

/**
 * The one path from an AWS JSON request to an operation and back, as an ordered list of named
 * steps, in AWS's order: which operation (bound to the signature), the JSON body (reduced to
 * the members the model defines), who is calling (SigV4 and policy, for the operations AWS
 * signs), quotas, validation, unknown members dropped at every depth, the call; then, whatever
 * happened, the audit record. Every failure leaves through `errorResult`, so clients always see
 * the AWS JSON error shape and never an internal detail. Built once, at startup; the body
 * size limit is the route's, applied before any step. Other endpoints (OAuth) list their own
 * steps over their own exchange with the same Step type (step.ts).
 */
export function createApiPipeline(parts: { handlers: Handlers; logger: Logger; guards?: Guards | undefined }): ApiPipeline {
  const { handlers, logger } = parts;
  const guards = parts.guards ?? NO_GUARDS;
  const authenticate = guards.authenticate?.bind(guards);
  const admit = guards.admit?.bind(guards);
  const record = guards.record?.bind(guards);
  const steps: Step<ApiExchange>[] = [
    { name: 'target', run: resolveOperation },
    { name: 'body', run: readBody },
  ];
  if (authenticate) {
    steps.push({ name: 'sigv4', run: (x) => authenticate(x.operation as OperationName, !(x.fact as OperationFact).unsigned, x.request, x.input as Record<string, unknown>, x.ctx) });
  }
  if (admit) steps.push({ name: 'quotas', run: (x) => admit(x.operation as OperationName, x.input as Record<string, unknown>, x.ctx) });
  steps.push(
    { name: 'validate', run: validate },
    { name: 'known-members', run: dropUnknownMembers },
    { name: 'call', run: (x) => call(handlers, x) },
  );
  const after: Step<ApiExchange>[] = record ? [{ name: 'audit', run: (x) => record(x) }] : [];

  const fail = (x: ApiExchange, err: unknown): void => {
    const failed = errorResult(err, x.ctx, logger, x.targetHeader);
    x.status = failed.status;
    x.body = failed.body;
    x.errorType = failed.errorType;
    x.errorMessage = failed.errorMessage;
  };
  const pipeline: ApiPipeline = {
    steps,
    after,
    handle(targetHeader, request, ctx) {
      const x: ApiExchange = {
        request,
        ctx,
        targetHeader,
        operation: undefined,
        fact: undefined,
        input: undefined,
        known: undefined,
        status: 200,
        body: '',
        errorType: undefined,
        errorMessage: undefined,
      };
      return runPipeline(pipeline, x, fail);
    },
  };
  return pipeline;
}

function resolveOperation(x: ApiExchange): void {
  const name = operationName(signedTarget(x.request, x.targetHeader));
  x.operation = name;
  x.fact = OPERATIONS[name];
}

function readBody(x: ApiExchange): void {
  x.input = modelledMembers((x.fact as OperationFact).input, parseBody(x.request.body));
}

function validate(x: ApiExchange): void {
  const shape = (x.fact as OperationFact).input;
  if (shape !== null) validateInput(shape, x.input as Record<string, unknown>);
}

function dropUnknownMembers(x: ApiExchange): void {
  const shape = (x.fact as OperationFact).input;
  x.known = shape === null ? {} : knownMembersOnly(shape, x.input);
}

async function call(handlers: Handlers, x: ApiExchange): Promise<void> {
  const name = x.operation as OperationName;
  const handler = handlers[name] as Handler<OperationName> | undefined;
  if (!handler) throw unsupportedOperation(`userpoold does not implement ${name} yet.`);
  let output: unknown;
  try {
    output = await handler(x.known as never, x.ctx);
  } catch (err) {
    throw declaredOnly(name, err);
  }
  x.status = 200;
  // A frozen answer is shared between requests and serialized once (kernel/shared-answer.ts).
  x.body = answerJson(output);
}
