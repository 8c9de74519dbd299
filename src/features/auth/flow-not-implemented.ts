import { unsupportedOperation } from '../../kernel/errors.js';

/** A flow or challenge of the model that userpoold does not run yet: a distinct, clear refusal. */
export function flowNotImplemented(name: string) {
  return unsupportedOperation(`userpoold does not implement ${name} yet.`);
}
