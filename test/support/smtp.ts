import { simpleParser, type ParsedMail } from 'mailparser';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

const FIXTURES = new URL('../fixtures/', import.meta.url);
/** A self-signed certificate for localhost and 127.0.0.1 (openssl, valid until 2126). */
export const TEST_TLS = {
  key: readFileSync(new URL('smtp-test-key.pem', FIXTURES)),
  cert: readFileSync(new URL('smtp-test-cert.pem', FIXTURES)),
};

/** Where and how the server refuses mail. */
export interface FailRule {
  /** connect: the greeting; rcpt: the recipient; data: after the message was received. */
  stage: 'connect' | 'rcpt' | 'data';
  code: number;
  /** How many tries are refused before mail is accepted again; every try when absent. */
  times?: number;
  /** The reply text; at the data stage it may quote the message it refuses. */
  text?: string | ((mail: ParsedMail | undefined) => string);
}

export interface SmtpStartOptions {
  /** none: plain SMTP; starttls: offers STARTTLS; implicit: TLS from the first byte (smtps). */
  tls?: 'none' | 'starttls' | 'implicit';
  /** Required credentials (over TLS, or offered in clear with tls none). */
  auth?: { user: string; pass: string };
  failFor?: FailRule;
  /** A fixed port, to bring a server back where a stopped one listened. */
  port?: number;
}

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  messageId: string | undefined;
  from: string | undefined;
  to: string | undefined;
  replyTo: string | undefined;
  subject: string | undefined;
  text: string | undefined;
  html: string | undefined;
  /** Whether the session that carried it was encrypted. */
  secure: boolean;
  parsed: ParsedMail;
}

export interface TestSmtp {
  port: number;
  /** smtp:// or smtps:// URL of this server, with the credentials it expects. */
  url: string;
  /** Every message accepted, in order. */
  messages: ReceivedMail[];
  /** RCPT TO commands seen, refused or not: the number of delivery tries that got that far. */
  readonly recipientsSeen: number;
  /** Changes the refusal rule (undefined: accept everything). */
  failFor(rule: FailRule | undefined): void;
  /** While on, recipients get no answer at all: a send hangs mid-way. Turned off, the waiting ones are accepted. */
  hang(on: boolean): void;
  /** Resolves once `predicate` holds, checking every 20 ms, or rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (port 0 unless given) that keeps what it receives, parsed. */
export async function startSmtp(options: SmtpStartOptions = {}): Promise<TestSmtp> {
  const tls = options.tls ?? 'none';
  const messages: ReceivedMail[] = [];
  let rule = options.failFor;
  let refused = 0;
  let hanging = false;
  const held: ((err: null) => void)[] = [];
  let recipientsSeen = 0;

  /** The error for this try when the rule applies to `stage`, counting it. */
  const refusal = (stage: FailRule['stage'], mail?: ParsedMail): Error | undefined => {
    if (!rule || rule.stage !== stage) return undefined;
    if (rule.times !== undefined && refused >= rule.times) return undefined;
    refused++;
    const text = typeof rule.text === 'function' ? rule.text(mail) : (rule.text ?? (rule.code >= 500 ? 'Mailbox unavailable' : 'Try again later'));
    return Object.assign(new Error(text), { responseCode: rule.code });
  };

  const serverOptions: SMTPServerOptions = {
    secure: tls === 'implicit',
    ...(tls === 'none' ? {} : TEST_TLS),
    disabledCommands: [...(tls === 'none' ? ['STARTTLS'] : []), ...(options.auth ? [] : ['AUTH'])],
    allowInsecureAuth: tls === 'none',
    authOptional: !options.auth,
    disableReverseLookup: true,
    closeTimeout: 200,
    logger: false,
    onConnect(_session, callback) {
      callback(refusal('connect') ?? null);
    },
    onAuth(auth, _session, callback) {
      if (auth.username === options.auth?.user && auth.password === options.auth?.pass) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      recipientsSeen++;
      if (hanging) return void held.push(callback); // no answer: the client waits until it gives up or dies
      callback(refusal('rcpt') ?? null);
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const refuse = refusal('data', parsed);
          if (refuse) return callback(refuse);
          const envelopeFrom = session.envelope.mailFrom;
          messages.push({
            envelope: { from: envelopeFrom ? envelopeFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
            messageId: parsed.messageId,
            from: parsed.from?.text,
            to: Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : parsed.to?.text,
            replyTo: parsed.replyTo?.text,
            subject: parsed.subject,
            text: parsed.text,
            html: parsed.html === false ? undefined : parsed.html,
            secure: session.secure,
            parsed,
          });
          callback(null);
        },
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    },
  };
  const server = new SMTPServer(serverOptions);
  server.on('error', () => {
    // Clients that vanish mid-session (a killed userpoold) are expected here.
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  const credentials = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@` : '';
  return {
    port,
    url: `${tls === 'implicit' ? 'smtps' : 'smtp'}://${credentials}127.0.0.1:${port}`,
    messages,
    get recipientsSeen() {
      return recipientsSeen;
    },
    failFor(next) {
      rule = next;
      refused = 0;
    },
    hang(on) {
      hanging = on;
      if (!on) for (const callback of held.splice(0)) callback(null);
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
