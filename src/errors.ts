/**
 * Errors that reach clients. Every `name` is an error shape of the AWS model (or one of the
 * AWS JSON protocol's own errors), so SDKs map it to their typed exception classes. Anything
 * thrown that is not a ServiceError becomes a logged InternalErrorException.
 */
export class ServiceError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
  }
}

const make = (name: string) => (message: string) => new ServiceError(name, message);

export const invalidParameter = make('InvalidParameterException');
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
