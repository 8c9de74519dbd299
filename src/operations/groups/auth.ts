import type { OperationName } from '../../protocol/generated/operations.js';
import type { Operation } from '../deps.js';

/** Operations of this group, merged into the registry by operations/index.ts. */
export const authOperations = {} satisfies { [N in OperationName]?: Operation<N> };
