import type { OperationName } from '../../protocol/generated/operations.js';
import type { Operation } from '../deps.js';
import { listUsers } from '../list-users.js';

/** Operations of this group, merged into the registry by operations/index.ts. */
export const listUsersOperations = {
  ListUsers: listUsers,
} satisfies { [N in OperationName]?: Operation<N> };
