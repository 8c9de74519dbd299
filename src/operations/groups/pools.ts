import type { OperationName } from '../../protocol/generated/operations.js';
import type { Operation } from '../deps.js';
import { createUserPool } from '../create-user-pool.js';
import { describeUserPool } from '../describe-user-pool.js';

/** Operations of this group, merged into the registry by operations/index.ts. */
export const poolsOperations = {
  CreateUserPool: createUserPool,
  DescribeUserPool: describeUserPool,
} satisfies { [N in OperationName]?: Operation<N> };
