import {
  DEFAULT_INVITATION_MESSAGE as DEFAULT_INVITATION_BODY,
  DEFAULT_INVITATION_SUBJECT,
  DEFAULT_VERIFICATION_MESSAGE as DEFAULT_CODE_BODY,
  DEFAULT_VERIFICATION_SUBJECT as DEFAULT_CODE_SUBJECT,
} from '../../domain/messages/message-templates.js';
import type { MessagePayload } from './message-view.js';

// Rows queued before messages were rendered at queue time carry no text: they get the
// service's default messages, as they would have from Cognito.

const INVITATION_TRIGGER = 'AdminCreateUser';

export interface EmailContent {
  subject: string;
  /** HTML, as Cognito sends email bodies. */
  body: string;
}

/** The value `{####}` stands for: the temporary password of an invitation, else the code. */
export function secretOf(trigger: string, payload: MessagePayload): string | undefined {
  return trigger === INVITATION_TRIGGER ? (payload.temporaryPassword ?? payload.code) : (payload.code ?? payload.temporaryPassword);
}

/**
 * The email as it leaves: placeholders filled only now, so no stored text holds the code. The
 * body is HTML, so the values put into it are escaped (a temporary password may hold `<` or
 * `&`); the subject is a plain header and takes them as they are.
 */
export function renderEmail(trigger: string, username: string, payload: MessagePayload): EmailContent {
  const invitation = trigger === INVITATION_TRIGGER;
  const subject = payload.subject ?? (invitation ? DEFAULT_INVITATION_SUBJECT : DEFAULT_CODE_SUBJECT);
  const body = payload.body ?? (invitation ? DEFAULT_INVITATION_BODY : DEFAULT_CODE_BODY);
  const secret = secretOf(trigger, payload);
  return {
    subject: fill(subject, secret, username, (v) => v),
    body: fill(body, secret, username, escapeHtml),
  };
}

/** The SMS text as it leaves, placeholders filled. */
export function renderSms(trigger: string, username: string, payload: MessagePayload): string {
  const body = payload.body ?? (trigger === INVITATION_TRIGGER ? DEFAULT_INVITATION_BODY : DEFAULT_CODE_BODY);
  return fill(body, secretOf(trigger, payload), username, (v) => v);
}

/**
 * One pass over the template, so a username that itself reads `{####}` (usernames may hold
 * braces and hashes) is never replaced a second time. Without a secret, `{####}` stays as it is.
 */
function fill(template: string, secret: string | undefined, username: string, encode: (value: string) => string): string {
  return template.replace(/\{####\}|\{username\}/g, (placeholder) => {
    if (placeholder === '{username}') return encode(username);
    return secret === undefined ? placeholder : encode(secret);
  });
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}
