import type { Transporter } from 'nodemailer';
import { ConfigError } from '../../kernel/config.js';
import { htmlToText } from './html-to-text.js';
import { PermanentDeliveryError, type EmailMessage, type EmailTransport } from './transport.js';

export interface SmtpOptions {
  /** smtp://[user:pass@]host[:port] (STARTTLS when the server offers it) or smtps:// (TLS from the start). */
  url: string;
  /** Sender when the message names none. */
  defaultFrom: string;
  /** False accepts a certificate that does not verify (a test server's self-signed one). */
  rejectUnauthorized: boolean;
}

/** Bounds on one delivery, so a silent server fails a try instead of holding its claim. */
const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

/** Beyond this a server's reply adds nothing to `lastError` that an operator needs. */
const MAX_REASON_LENGTH = 160;

/**
 * Email over SMTP. One connection per message (QUIT after it): codes are sent one at a time,
 * and nothing stays open to hold a process or a test alive. The outbox row id becomes the
 * Message-ID, so a message sent twice (delivery is at-least-once) can be recognised as one.
 */
export function createSmtpTransport(options: SmtpOptions): EmailTransport {
  const target = parseSmtpUrl(options.url);
  // nodemailer is loaded with the first message: a server that keeps email in the outbox does
  // not carry it. The URL is checked now, so a bad one still stops the start.
  let loading: Promise<Transporter> | undefined;
  const load = () => (loading ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport({
    host: target.host,
    port: target.port,
    secure: target.secure,
    auth: target.user === undefined ? undefined : { user: target.user, pass: target.pass ?? '' },
    tls: { rejectUnauthorized: options.rejectUnauthorized },
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    // Message contents are our own text: nothing in them may make the mailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  })));
  return {
    async send(message: EmailMessage): Promise<void> {
      try {
        const transporter = await load();
        await transporter.sendMail({
          messageId: `<${message.messageId}@userpoold>`,
          from: message.from ?? options.defaultFrom,
          to: message.to,
          replyTo: message.replyTo,
          subject: message.subject,
          html: message.body,
          text: htmlToText(message.body),
        });
      } catch (err) {
        throw classify(err);
      }
    },
    async close(): Promise<void> {
      if (loading) (await loading).close();
    },
  };
}

interface SmtpTarget {
  host: string;
  port: number | undefined;
  secure: boolean;
  user: string | undefined;
  pass: string | undefined;
}

/** Throws (without echoing the URL, which may carry a password) when the URL is not usable. */
export function parseSmtpUrl(url: string): SmtpTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('--smtp-url: expected smtp://[user:pass@]host[:port] or smtps://...');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new ConfigError(`--smtp-url: expected smtp:// or smtps://, not ${parsed.protocol}//`);
  }
  if (parsed.hostname === '') throw new ConfigError('--smtp-url: names no host');
  return {
    // URL keeps the brackets of an IPv6 literal; a socket wants the bare address.
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? undefined : Number(parsed.port),
    secure: parsed.protocol === 'smtps:',
    user: parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
    pass: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
  };
}

interface MailerError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/**
 * A 5xx reply to the envelope or the message is the server saying "never": the try is not
 * repeated. Everything else (refused or dropped connections, timeouts, TLS trouble, 4xx
 * "try later", and failed logins, which an operator can fix) is worth another try.
 */
function classify(err: unknown): Error {
  const e = (err ?? {}) as MailerError;
  const reason = describe(e);
  const rejected = e.code === 'EENVELOPE' || e.code === 'EMESSAGE';
  if (rejected && (e.responseCode === undefined ? e.code === 'EENVELOPE' : e.responseCode >= 500)) {
    return new PermanentDeliveryError(reason);
  }
  return new Error(reason);
}

function describe(e: MailerError): string {
  const reply = e.response?.split('\n')[0]?.trim();
  const text = reply !== undefined && reply !== '' ? reply : (e.message ?? 'unknown error');
  const summary = `SMTP ${e.code ?? 'error'}: ${text}`;
  return summary.length > MAX_REASON_LENGTH ? `${summary.slice(0, MAX_REASON_LENGTH - 1)}…` : summary;
}
