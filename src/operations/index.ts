import type { Deps, Operation } from './deps.js';
import type { Handlers } from '../protocol/dispatch.js';
import type { OperationName } from '../protocol/generated/operations.js';
import { createUserPool } from './create-user-pool.js';
import { describeUserPool } from './describe-user-pool.js';

/**
 * The operations userpoold implements. Every other operation of the model answers
 * UnsupportedOperationException naming it (see dispatch.ts).
 */
export const OPERATIONS = {
  CreateUserPool: createUserPool,
  DescribeUserPool: describeUserPool,
} satisfies { [N in OperationName]?: Operation<N> };

export function buildHandlers(deps: Deps): Handlers {
  const handlers: Record<string, unknown> = {};
  for (const [name, operation] of Object.entries(OPERATIONS)) {
    handlers[name] = (operation as Operation<OperationName>)(deps);
  }
  return handlers as Handlers;
}
