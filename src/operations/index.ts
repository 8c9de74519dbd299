import type { Deps, Operation } from './deps.js';
import type { Handlers } from '../protocol/dispatch.js';
import type { OperationName } from '../protocol/generated/operations.js';
import { authOperations } from './groups/auth.js';
import { clientsOperations } from './groups/clients.js';
import { listUsersOperations } from './groups/list-users.js';
import { poolsOperations } from './groups/pools.js';
import { recoveryOperations } from './groups/recovery.js';
import { signupOperations } from './groups/signup.js';
import { usersOperations } from './groups/users.js';

/**
 * The operations userpoold implements, gathered from their groups. Every other operation of
 * the model answers UnsupportedOperationException naming it (see dispatch.ts).
 */
export const OPERATIONS = {
  ...poolsOperations,
  ...clientsOperations,
  ...usersOperations,
  ...listUsersOperations,
  ...authOperations,
  ...recoveryOperations,
  ...signupOperations,
} satisfies { [N in OperationName]?: Operation<N> };

export function buildHandlers(deps: Deps): Handlers {
  const handlers: Record<string, unknown> = {};
  for (const [name, operation] of Object.entries(OPERATIONS)) {
    handlers[name] = (operation as Operation<OperationName>)(deps);
  }
  return handlers as Handlers;
}
