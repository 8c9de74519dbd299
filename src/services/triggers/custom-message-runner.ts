import { invalidLambdaResponse, invalidParameter } from '../../kernel/errors.js';
import type { CustomMessageEvent, CustomMessageTriggerSource, LambdaInvoker } from './custom-message.js';
import { UNRECOGNIZABLE } from './lambda-outcome.js';
import { NO_CLIENT, UNKNOWN_SDK } from './trigger-event.js';

export const CODE_PARAMETER = '{####}';
export const LINK_PARAMETER = '{##Click Here##}';
export const USERNAME_PARAMETER = '{username}';
export { NO_CLIENT } from './trigger-event.js';

export interface CustomMessageEventInput {
  triggerSource: CustomMessageTriggerSource;
  region: string;
  poolId: string;
  user: { username: string; attributes: Readonly<Record<string, string>>; status: string };
  /** The app client of a public operation; admin operations have none. */
  clientId?: string | undefined;
  clientMetadata?: Readonly<Record<string, string>> | undefined;
  /** `{username}` for AdminCreateUser, null otherwise (the default). */
  usernameParameter?: string | null | undefined;
}

/**
 * The event Cognito sends a CustomMessage function. It carries placeholders, never the code
 * or the temporary password: Cognito puts those in after the function has answered.
 */
export function buildCustomMessageEvent(input: CustomMessageEventInput): CustomMessageEvent {
  const usernameParameter =
    input.usernameParameter !== undefined ? input.usernameParameter : input.triggerSource === 'CustomMessage_AdminCreateUser' ? USERNAME_PARAMETER : null;
  return {
    version: '1',
    triggerSource: input.triggerSource,
    region: input.region,
    userPoolId: input.poolId,
    userName: input.user.username,
    callerContext: { awsSdkVersion: UNKNOWN_SDK, clientId: input.clientId ?? NO_CLIENT },
    request: {
      userAttributes: { ...input.user.attributes, 'cognito:user_status': input.user.status },
      codeParameter: CODE_PARAMETER,
      linkParameter: LINK_PARAMETER,
      usernameParameter,
      ...(input.clientMetadata !== undefined ? { clientMetadata: { ...input.clientMetadata } } : {}),
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  };
}

export interface CustomText {
  subject?: string;
  body: string;
}

/**
 * Runs the pool's CustomMessage function and returns the text it chose for this channel, still
 * holding its placeholders, or undefined when it left the message empty (the pool's own
 * template is used then). The function's email text is honoured only for pools that send
 * through their own SES identity (EmailSendingAccount DEVELOPER).
 */
export async function runCustomMessage(
  invoker: LambdaInvoker,
  functionArn: string,
  event: CustomMessageEvent,
  channel: 'EMAIL' | 'SMS',
  emailSendingAccount: string | undefined,
): Promise<CustomText | undefined> {
  const answered = (await invoker.invoke(functionArn, event)) as CustomMessageEvent;
  const response = readResponse(answered);
  const required = requiredPlaceholders(event);

  if (channel === 'SMS') {
    const body = present(response.smsMessage);
    if (body === undefined) return undefined;
    rejectViolations([...messageViolations('smsMessage', body, SMS_MAX, required, SMS_PATTERN_TEXT, () => true)]);
    return { body };
  }

  const body = present(response.emailMessage);
  const subject = present(response.emailSubject);
  if (body === undefined && subject === undefined) return undefined;
  if (emailSendingAccount !== 'DEVELOPER') throw invalidLambdaResponse(DEVELOPER_ONLY);
  rejectViolations([
    ...(body === undefined ? [] : messageViolations('emailBody', body, EMAIL_MAX, required, EMAIL_PATTERN_TEXT, (v) => EMAIL_BODY.test(v))),
    ...(subject === undefined ? [] : subjectViolations(subject)),
  ]);
  if (body === undefined) return undefined;
  return subject === undefined ? { body } : { subject, body };
}

const SMS_MAX = 140;
const EMAIL_MAX = 20000;
const SUBJECT_MAX = 140;

// The model's patterns for message templates, with Java's \s (ASCII white space only), which is
// what the service applies: a no-break space, for one, is refused.
const TEXT_CHAR = String.raw`[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\x0B\f\r *]`;
const EMAIL_BODY = new RegExp(String.raw`^${TEXT_CHAR}*\{####\}${TEXT_CHAR}*$`, 'u');
const SUBJECT = new RegExp(String.raw`^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\x0B\f\r ]+$`, 'u');
const EMAIL_PATTERN_TEXT = String.raw`[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*`;
const SMS_PATTERN_TEXT = String.raw`.*\{####\}.*`;
const SUBJECT_PATTERN_TEXT = String.raw`[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+`;

export const DEVELOPER_ONLY =
  'Invalid lambda response: emailMessage and emailSubject are allowed only when the user pool EmailSendingAccount is DEVELOPER';

function readResponse(event: CustomMessageEvent): CustomMessageEvent['response'] {
  const response: unknown = (event as { response?: unknown }).response;
  if (response === null || typeof response !== 'object' || Array.isArray(response)) throw invalidLambdaResponse(UNRECOGNIZABLE);
  for (const key of ['smsMessage', 'emailMessage', 'emailSubject'] as const) {
    const value = (response as Record<string, unknown>)[key];
    if (value !== undefined && value !== null && typeof value !== 'string') throw invalidLambdaResponse(UNRECOGNIZABLE);
  }
  return response as CustomMessageEvent['response'];
}

function present(value: string | null | undefined): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : value;
}

/** The code placeholder always; for invitations the username placeholder too. */
function requiredPlaceholders(event: CustomMessageEvent): { code: string; username: string | null } {
  const username = event.triggerSource === 'CustomMessage_AdminCreateUser' ? (event.request.usernameParameter ?? USERNAME_PARAMETER) : null;
  return { code: event.request.codeParameter, username };
}

/** Lengths count characters (code points), as the service's "UTF-8 characters" do. */
function length(value: string): number {
  return [...value].length;
}

function violation(field: string, value: string, rule: string): string {
  return `Value '${value}' at '${field}' failed to satisfy constraint: ${rule}`;
}

function* messageViolations(
  field: string,
  value: string,
  max: number,
  required: { code: string; username: string | null },
  patternText: string,
  charactersAllowed: (value: string) => boolean,
): Generator<string> {
  if (length(value) > max) yield violation(field, value, `Member must have length less than or equal to ${max}`);
  if (!value.includes(required.code) || !charactersAllowed(value)) {
    yield violation(field, value, `Member must satisfy regular expression pattern: ${patternText}`);
  }
  if (required.username !== null && !value.includes(required.username)) {
    yield violation(field, value, String.raw`Member must satisfy regular expression pattern: .*\{username\}.*`);
  }
}

function subjectViolations(value: string): string[] {
  const out: string[] = [];
  if (length(value) > SUBJECT_MAX) out.push(violation('emailSubject', value, `Member must have length less than or equal to ${SUBJECT_MAX}`));
  if (!SUBJECT.test(value)) out.push(violation('emailSubject', value, `Member must satisfy regular expression pattern: ${SUBJECT_PATTERN_TEXT}`));
  return out;
}

/** Reported the way the service reports request validation: counted, joined by "; ". */
function rejectViolations(violations: string[]): void {
  if (violations.length === 0) return;
  const n = violations.length;
  throw invalidParameter(`${n} validation error${n === 1 ? '' : 's'} detected: ${violations.join('; ')}`);
}
