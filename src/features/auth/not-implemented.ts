import { invalidParameter, unsupportedOperation } from '../../kernel/errors.js';
import { OPERATIONS, type OperationName } from '../../model/generated/operations.js';

/**
 * A flow or challenge of the model that userpoold does not run yet: a distinct, clear refusal.
 * It is UnsupportedOperationException where the operation's model declares that error
 * (InitiateAuth, AdminInitiateAuth); the RespondToAuthChallenge pair does not declare it, and an
 * undeclared error would reach the client as a 500, so there it is InvalidParameterException.
 */
export function notImplemented(operation: OperationName, what: string) {
  const message = `userpoold does not implement ${what} yet.`;
  return OPERATIONS[operation].errors.includes('UnsupportedOperationException') ? unsupportedOperation(message) : invalidParameter(message);
}
