import type { Handlers } from '../../features/operation.js';
import type { RawRequest, RequestContext } from '../../kernel/request-context.js';
import type { Logger } from '../../kernel/logger.js';
import { createApiPipeline, NO_GUARDS, type ApiPipeline, type Guards } from '../pipeline/index.js';
import type { DispatchResult } from './protocol.js';

// The API's request pipeline (its steps, in order) is src/http/pipeline/index.ts; the
// protocol pieces it uses (operation names, bodies, error answers) are ./protocol.ts.
export { createApiPipeline, type ApiExchange, type ApiPipeline, type Guards } from '../pipeline/index.js';
export { errorResult, type DispatchResult } from './protocol.js';

const built = new WeakMap<Guards, { handlers: Handlers; logger: Logger; pipeline: ApiPipeline }>();

/**
 * One request through the pipeline for these handlers and guards, built on first use and
 * reused after. For callers that hold no pipeline of their own; a server can build one with
 * createApiPipeline at startup and call its `handle`.
 */
export function dispatch(
  handlers: Handlers,
  target: string | undefined,
  request: RawRequest,
  ctx: RequestContext,
  logger: Logger,
  guards: Guards = NO_GUARDS,
): Promise<DispatchResult> {
  let entry = built.get(guards);
  if (entry === undefined || entry.handlers !== handlers || entry.logger !== logger) {
    entry = { handlers, logger, pipeline: createApiPipeline({ handlers, logger, guards }) };
    built.set(guards, entry);
  }
  return entry.pipeline.handle(target, request, ctx);
}
