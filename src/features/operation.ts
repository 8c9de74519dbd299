import type { RequestContext } from '../kernel/request-context.js';
import type { OperationName } from '../model/generated/operations.js';
import type { OperationIO } from '../model/generated/types.js';
import type { Deps } from '../services/deps.js';

export type Input<N extends OperationName> = OperationIO[N]['input'];
export type Output<N extends OperationName> = OperationIO[N]['output'];

export type Handler<N extends OperationName> = (input: Input<N>, ctx: RequestContext) => Promise<Output<N>>;

/** The handlers of the operations that are built, by operation name. */
export type Handlers = Partial<{ [N in OperationName]: Handler<N> }>;

/**
 * An operation is a function of the services it names (`K`) and its input: it is given only
 * those, so what it can touch is visible in its type. The registry hands every operation the
 * whole Deps, which satisfies any Pick of it.
 */
export type Operation<N extends OperationName, K extends keyof Deps = keyof Deps> = (deps: Pick<Deps, K>) => Handler<N>;

/** An area's operations, by name: what each area's index.ts exports for the registry. */
export type AreaOperations = { [N in OperationName]?: Operation<N, never> | Operation<N, keyof Deps> };
