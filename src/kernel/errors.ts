import { MODEL_ERRORS, type ModelErrorName } from '../model/generated/errors.js';

/**
 * Errors of the AWS JSON 1.1 protocol and of SigV4 that the model lists for no operation: the
 * front end answers them before any operation runs.
 */
export const PROTOCOL_ERRORS = [
  'SerializationException',
  'UnknownOperationException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
] as const;
export type ProtocolErrorName = (typeof PROTOCOL_ERRORS)[number];

/** Every error a client can receive: an error shape of the model or a protocol error. */
export type ErrorName = ModelErrorName | ProtocolErrorName;

/**
 * The HTTP status the service gives an error: 500 for the model's server faults, 400 for every
 * client error. The model's httpError traits say 403/404/429 for some (NotAuthorized,
 * UserNotFound, TooManyRequests ...) but the service answers 400 (cognito-facts.md section 8),
 * and captured traffic must match.
 */
export function statusOf(name: ErrorName): number {
  const fact = (MODEL_ERRORS as Readonly<Record<string, { fault: 'client' | 'server' }>>)[name];
  return fact?.fault === 'server' ? 500 : 400;
}

/**
 * Errors that reach clients. Every `name` is an error shape of the AWS model or a protocol
 * error, so SDKs map it to their typed exception classes; the type allows nothing else.
 * Anything thrown that is not a ServiceError becomes a logged InternalErrorException, and so
 * does a ServiceError that the operation's model does not declare (see http/api/dispatch.ts).
 */
export class ServiceError extends Error {
  readonly status: number;
  constructor(
    override readonly name: ErrorName,
    message: string,
    status?: number,
  ) {
    super(message);
    this.status = status ?? statusOf(name);
  }
}

const make = (name: ErrorName) => (message: string) => new ServiceError(name, message);

export const invalidParameter = make('InvalidParameterException');
export const refreshTokenReuse = make('RefreshTokenReuseException');
export const resourceNotFound = make('ResourceNotFoundException');
export const notAuthorized = make('NotAuthorizedException');
export const userNotFound = make('UserNotFoundException');
export const usernameExists = make('UsernameExistsException');
export const aliasExists = make('AliasExistsException');
export const invalidPassword = make('InvalidPasswordException');
export const codeMismatch = make('CodeMismatchException');
export const expiredCode = make('ExpiredCodeException');
export const limitExceeded = make('LimitExceededException');
export const tooManyRequests = make('TooManyRequestsException');
export const passwordResetRequired = make('PasswordResetRequiredException');
export const userNotConfirmed = make('UserNotConfirmedException');
export const serialization = make('SerializationException');
export const unsupportedOperation = make('UnsupportedOperationException');
export const unsupportedUserState = make('UnsupportedUserStateException');
export const unauthorized = make('UnauthorizedException');
export const unsupportedTokenType = make('UnsupportedTokenTypeException');
export const userLambdaValidation = make('UserLambdaValidationException');
export const unexpectedLambda = make('UnexpectedLambdaException');
export const invalidLambdaResponse = make('InvalidLambdaResponseException');

/** AWS's exact texts, in one place (see cognito-facts.md sections 4 and 8). */
export const MESSAGES = {
  userDoesNotExist: 'User does not exist.',
  userDisabled: 'User is disabled.',
  cannotResetInState: 'User password cannot be reset in the current state.',
  noVerifiedContact: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
  incorrectCredentials: 'Incorrect username or password.',
  passwordAttemptsExceeded: 'Password attempts exceeded',
  passwordResetRequired: 'Password reset required for the user',
  userNotConfirmed: 'User is not confirmed.',
  codeMismatch: 'Invalid verification code provided, please try again.',
  expiredCode: 'Invalid code provided, please request a code again.',
  attemptLimit: 'Attempt limit exceeded, please try after some time.',
  rateExceeded: 'Rate exceeded',
  usernameExists: 'User already exists',
  usernameClientNotFound: 'Username/client id combination not found.',
  tempPasswordExpired: 'User account has expired, it must be reset by an administrator.',
} as const;

export const poolNotFound = (poolId: string) => resourceNotFound(`User pool ${poolId} does not exist.`);
export const clientNotFound = (clientId: string) => resourceNotFound(`User pool client ${clientId} does not exist.`);

/**
 * Errors the service is documented to answer for an operation whose model does not list them.
 * AdminCreateUser: the API Reference of ForceAliasCreation says that when it is False "the API
 * throws an AliasExistsException error if the alias already exists", yet the model's error list
 * for AdminCreateUser lacks it.
 */
export const DOCUMENTED_BEYOND_MODEL: Readonly<Partial<Record<string, readonly ErrorName[]>>> = {
  AdminCreateUser: ['AliasExistsException'],
};
