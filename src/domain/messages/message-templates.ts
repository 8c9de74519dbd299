import type { PoolSettings } from '../pools/user-pool.js';
import { poolMfaFactors } from '../mfa/mfa-settings.js';

/**
 * The text of a message before any CustomMessage trigger: the pool's templates, or AWS's
 * defaults. Placeholders stay in (`{####}` code or temporary password, `{username}`); the
 * delivery worker fills them in when it sends.
 */
export interface MessageText {
  subject?: string;
  body: string;
}

export const DEFAULT_VERIFICATION_MESSAGE = 'Your verification code is {####}. ';
export const DEFAULT_VERIFICATION_SUBJECT = 'Your verification code';
export const DEFAULT_INVITATION_MESSAGE = 'Your username is {username} and temporary password is {####}. ';
export const DEFAULT_INVITATION_SUBJECT = 'Your temporary password';
export const DEFAULT_AUTHENTICATION_MESSAGE = 'Your authentication code is {####}. ';
export const DEFAULT_AUTHENTICATION_SUBJECT = 'Your authentication code';

/**
 * Which template a trigger uses: invitations (AdminCreateUser) have their own; every code
 * Cognito sends for verification or recovery uses the pool's verification message.
 */
export function messageText(settings: PoolSettings, trigger: string, channel: 'EMAIL' | 'SMS'): MessageText {
  if (trigger === 'AdminCreateUser') {
    const invite = settings.AdminCreateUserConfig?.InviteMessageTemplate;
    return channel === 'EMAIL'
      ? { subject: invite?.EmailSubject ?? DEFAULT_INVITATION_SUBJECT, body: invite?.EmailMessage ?? DEFAULT_INVITATION_MESSAGE }
      : { body: invite?.SMSMessage ?? DEFAULT_INVITATION_MESSAGE };
  }
  if (trigger === 'Authentication') {
    if (channel === 'EMAIL') {
      // Email MFA's own message and subject (SetUserPoolMfaConfig's EmailMfaConfiguration).
      const email = poolMfaFactors(settings).email;
      return { subject: email?.Subject ?? DEFAULT_AUTHENTICATION_SUBJECT, body: email?.Message ?? DEFAULT_AUTHENTICATION_MESSAGE };
    }
    return { body: settings.SmsAuthenticationMessage ?? DEFAULT_AUTHENTICATION_MESSAGE };
  }
  const template = settings.VerificationMessageTemplate;
  if (channel === 'SMS') return { body: template?.SmsMessage ?? settings.SmsVerificationMessage ?? DEFAULT_VERIFICATION_MESSAGE };
  return {
    subject: template?.EmailSubject ?? settings.EmailVerificationSubject ?? DEFAULT_VERIFICATION_SUBJECT,
    body: template?.EmailMessage ?? settings.EmailVerificationMessage ?? DEFAULT_VERIFICATION_MESSAGE,
  };
}

/**
 * The sender of the pool's email: EmailConfiguration.From, else the address of the SES
 * identity named by SourceArn (`arn:aws:ses:REGION:ACCOUNT:identity/ADDRESS`), else none
 * (the server's default sender applies).
 */
export function emailSender(settings: PoolSettings): { from?: string; replyTo?: string } {
  const config = settings.EmailConfiguration;
  const identity = config?.SourceArn?.split(':identity/')[1];
  const from = config?.From ?? (identity?.includes('@') ? identity : undefined);
  return { ...(from !== undefined && { from }), ...(config?.ReplyToEmailAddress !== undefined && { replyTo: config.ReplyToEmailAddress }) };
}
