import { dispatch, errorResult, type DispatchResult, type Guards } from '../api/dispatch.js';
import type { Handlers } from '../../features/operation.js';
import { MESSAGES, ServiceError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import { defineRoute, type Problem, type Route, type RouteResponse } from './route.js';

/** The largest API request body; Cognito's own limit is not published, and no operation needs more. */
export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_ERROR_HEADER_CHARS = 1024;
const AWS_JSON = 'application/x-amz-json-1.1';

export interface AwsJsonRouteDeps {
  handlers: Handlers;
  guards?: Guards | undefined;
  logger: Logger;
}

/**
 * POST / with `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`: the API itself
 * (AWS JSON 1.1), answered by dispatch. Browser apps call the public operations from any origin,
 * as they do Cognito's, so CORS applies; what open mode refuses to other origins is decided
 * per operation in open-mode.ts, since a preflight cannot tell which operation follows.
 */
export function awsJsonRoute(deps: AwsJsonRouteDeps): Route {
  return defineRoute({
    name: 'aws-json',
    methods: ['POST'],
    path: '/',
    body: { kind: 'text', limit: MAX_BODY_BYTES },
    cors: true,
    async handle(request) {
      const target = request.headers['x-amz-target'];
      // The request object has RawRequest's shape (method, path, query, headers, body).
      const result = await dispatch(deps.handlers, Array.isArray(target) ? target[0] : target, request, request.ctx, deps.logger, deps.guards);
      return awsResponse(result);
    },
    problem(problem, ctx) {
      return awsResponse(errorResult(awsErrorOf(problem), ctx, deps.logger));
    },
  });
}

/** The server's refusals in the AWS JSON shape, with the names SDKs know. */
function awsErrorOf(problem: Problem): ServiceError {
  switch (problem.kind) {
    case 'too-large':
      return new ServiceError('SerializationException', `Request body is larger than ${MAX_BODY_BYTES} bytes.`, 413);
    case 'busy':
      // The model's throttling error with AWS's text and status (400, cognito-facts.md section 8):
      // JS v3 counts it as throttling and retries after a pause (section 9). Server overload has
      // no error of its own in Cognito's model; a 503 would be retried too, but as no error an
      // SDK user can name.
      return new ServiceError('TooManyRequestsException', MESSAGES.rateExceeded);
    case 'forbidden-host':
      return new ServiceError('AccessDeniedException', problem.message);
    case 'bad-request':
    case 'unsupported-media-type':
      return new ServiceError('SerializationException', problem.message);
  }
}

function awsResponse(result: DispatchResult): RouteResponse {
  if (result.errorType === undefined) return { status: result.status, contentType: AWS_JSON, body: result.body };
  const headers: Record<string, string> = { 'x-amzn-ErrorType': result.errorType };
  // Header values must be Latin-1 without line breaks; AWS sends the message here too.
  // Kept short: a validation message can quote a 128 KiB value, and HTTP clients refuse
  // responses whose headers exceed 16 KiB. The body carries the whole message.
  if (result.errorMessage) headers['x-amzn-ErrorMessage'] = result.errorMessage.slice(0, MAX_ERROR_HEADER_CHARS).replace(/[^\x20-\x7e]/g, '?');
  return { status: result.status, contentType: AWS_JSON, body: result.body, headers };
}
