import {
  AdminCreateUserCommand,
  AdminResetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Config } from '../src/kernel/config.js';
import { createLogger } from '../src/kernel/logger.js';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { messagesFor, type QueuedMessage } from './support/outbox.js';
import { startServer, type TestServer } from './support/server.js';
import { startSmtp, type ReceivedMail, type SmtpStartOptions, type TestSmtp } from './support/smtp.js';

const PASSWORD = 'Correct-Horse-1';
const NEW_PASSWORD = 'Battery-Staple-2';

describe('email delivery over SMTP', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    // The server first: closing it drains the worker, which may still talk to the mail server.
    for (const thing of open.splice(0).reverse()) await thing.close();
  });

  async function setup(smtpOptions: SmtpStartOptions, config: Partial<Config> = {}) {
    const smtp = await startSmtp(smtpOptions);
    open.push(smtp);
    const logLines: string[] = [];
    const server = await startServer({
      config: { smtpUrl: smtp.url, smtpTlsRejectUnauthorized: false, ...config },
      overrides: { logger: createLogger('debug', (line) => logLines.push(line)) },
    });
    open.push(server);
    return { smtp, server, logLines };
  }

  async function poolWithUser(server: TestServer, username: string, settings: Partial<CreateUserPoolCommandInput> = {}) {
    const { poolId, clientId } = await createPoolWithClient(server.client, { PoolName: 'mail', ...settings }, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    await createConfirmedUser(server.client, poolId, username, { password: PASSWORD });
    return { poolId, clientId };
  }

  /** Resets the user's password and delivers what that queued; returns the row and the mail. */
  async function resetAndDeliver(server: TestServer, smtp: TestSmtp, poolId: string, username: string) {
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: username }));
    await server.app.delivery.runOnce();
    const rows = await messagesFor(server, poolId, username);
    assert.equal(rows.length, 1);
    assert.equal(smtp.messages.length, 1, `one mail expected, got ${smtp.messages.length}`);
    return { row: rows[0] as QueuedMessage, mail: smtp.messages[0] as ReceivedMail };
  }

  /** The one six-digit number of the text, which must appear exactly once. */
  function codeIn(text: string | undefined): string {
    const codes = (text ?? '').match(/\b\d{6}\b/g) ?? [];
    assert.equal(codes.length, 1, `one code expected in ${JSON.stringify(text)}`);
    return codes[0] as string;
  }

  async function completeReset(server: TestServer, clientId: string, username: string, code: string) {
    await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: NEW_PASSWORD }));
    const signedIn = await server.client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: NEW_PASSWORD } }),
    );
    assert.ok(signedIn.AuthenticationResult?.AccessToken);
  }

  it('delivers the AdminResetUserPassword code by plain SMTP; the code in the inbox completes ConfirmForgotPassword', async () => {
    const { smtp, server, logLines } = await setup({ tls: 'none' });
    const { poolId, clientId } = await poolWithUser(server, 'alice');
    const { row, mail } = await resetAndDeliver(server, smtp, poolId, 'alice');

    assert.deepEqual(mail.envelope.to, ['alice@example.com']);
    assert.equal(mail.from, 'no-reply@verificationemail.com');
    assert.equal(mail.subject, 'Your verification code');
    assert.equal(mail.messageId, `<${row.id}@userpoold>`);
    assert.equal(mail.secure, false);
    const code = codeIn(mail.text);
    assert.equal(code, row.payload.code);
    assert.equal(mail.text, `Your verification code is ${code}.`);
    assert.ok(mail.html?.includes(code), 'the HTML part carries the code too');

    assert.equal(row.state, 'delivered');
    assert.equal(row.attempts, 1);
    assert.equal(row.deliveredAt, server.clock.nowMs());
    assert.equal(row.lastError, null);
    // The stored text keeps its placeholder: the code exists only in the sealed payload.
    assert.ok(row.payload.body?.includes('{####}'));

    const delivered = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'message delivered');
    assert.deepEqual(
      { id: delivered?.id, channel: delivered?.channel, state: delivered?.state, attempts: delivered?.attempts },
      { id: row.id, channel: 'EMAIL', state: 'delivered', attempts: 1 },
    );
    assert.ok(!logLines.some((l) => l.includes(code)), 'the code never reaches the log');

    await completeReset(server, clientId, 'alice', code);
  });

  it('delivers over smtps:// (implicit TLS) to a server with a self-signed certificate when told to accept it', async () => {
    const { smtp, server } = await setup({ tls: 'implicit' });
    assert.match(smtp.url, /^smtps:\/\//);
    const { poolId, clientId } = await poolWithUser(server, 'bob');
    const { row, mail } = await resetAndDeliver(server, smtp, poolId, 'bob');
    assert.equal(mail.secure, true);
    assert.equal(row.state, 'delivered');
    await completeReset(server, clientId, 'bob', codeIn(mail.text));
  });

  it('upgrades smtp:// with STARTTLS when offered and logs in with the credentials of the URL', async () => {
    const { smtp, server } = await setup({ tls: 'starttls', auth: { user: 'mailer', pass: 'p@ss:word/1' } });
    assert.match(smtp.url, /^smtp:\/\/mailer:p%40ss%3Aword%2F1@/);
    const { poolId, clientId } = await poolWithUser(server, 'carol');
    const { mail } = await resetAndDeliver(server, smtp, poolId, 'carol');
    assert.equal(mail.secure, true, 'the session was upgraded to TLS');
    await completeReset(server, clientId, 'carol', codeIn(mail.text));
  });

  it('refuses a self-signed certificate by default: the try fails and is kept for a retry', async () => {
    const { smtp, server } = await setup({ tls: 'implicit' }, { smtpTlsRejectUnauthorized: true });
    const { poolId } = await poolWithUser(server, 'dave');
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'dave' }));
    await server.app.delivery.runOnce();
    const [row] = await messagesFor(server, poolId, 'dave');
    assert.equal(smtp.messages.length, 0);
    assert.equal(row?.state, 'pending');
    assert.equal(row?.attempts, 1);
    assert.match(row?.lastError ?? '', /certificate/i);
    assert.ok(!(row?.lastError ?? '').includes(row?.payload.code as string));
  });

  it("sends the pool's HTML template with a text alternative, from the pool's sender with its Reply-To", async () => {
    const { smtp, server } = await setup({ tls: 'none' });
    const { poolId, clientId } = await poolWithUser(server, 'erin', {
      VerificationMessageTemplate: {
        DefaultEmailOption: 'CONFIRM_WITH_CODE',
        EmailSubject: 'Reset for {username}',
        EmailMessage: '<html><body><p>Hello&nbsp;there,</p><p>your code: <b>{####}</b><br>Thanks &amp; bye</p></body></html>',
      },
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/team@example.com',
        From: 'Example Team <team@example.com>',
        ReplyToEmailAddress: 'help@example.com',
      },
    });
    const { mail } = await resetAndDeliver(server, smtp, poolId, 'erin');
    const code = codeIn(mail.text);
    assert.equal(mail.from, '"Example Team" <team@example.com>');
    assert.equal(mail.envelope.from, 'team@example.com');
    assert.equal(mail.replyTo, 'help@example.com');
    assert.equal(mail.subject, 'Reset for erin');
    assert.equal(mail.html, `<html><body><p>Hello&nbsp;there,</p><p>your code: <b>${code}</b><br>Thanks &amp; bye</p></body></html>`);
    assert.equal(mail.text, `Hello there,\nyour code: ${code}\nThanks & bye`);
    await completeReset(server, clientId, 'erin', code);
  });

  it('fills an invitation with the username and the temporary password, escaped in the HTML, each placeholder once', async () => {
    const { smtp, server } = await setup({ tls: 'none' });
    const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'invite' }));
    const poolId = created.UserPool?.Id as string;
    // A username that itself reads like a placeholder must come out as it is.
    const username = 'x{####}y';
    const temporary = 'Tmp<&>"pass1A';
    await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: temporary,
        UserAttributes: [
          { Name: 'email', Value: 'invitee@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    await server.app.delivery.runOnce();
    assert.equal(smtp.messages.length, 1);
    const mail = smtp.messages[0] as ReceivedMail;
    assert.equal(mail.subject, 'Your temporary password');
    assert.equal(mail.text, `Your username is ${username} and temporary password is ${temporary}.`);
    assert.ok(mail.html?.includes('temporary password is Tmp&lt;&amp;&gt;&quot;pass1A.'), mail.html);
    const [row] = await messagesFor(server, poolId, username);
    assert.equal(row?.trigger, 'AdminCreateUser');
    assert.equal(row?.state, 'delivered');
  });

  it('is woken by the operation that queued the message: no runOnce, no wait for the next poll', async (t) => {
    const { smtp, server } = await setup({ tls: 'none' }, { deliveryPollMs: 600_000 });
    const { poolId } = await poolWithUser(server, 'frank');
    const started = performance.now();
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'frank' }));
    await smtp.waitFor(() => smtp.messages.length === 1, 5_000);
    const latencyMs = performance.now() - started;
    t.diagnostic(`queued to accepted by the mail server: ${latencyMs.toFixed(0)} ms`);
    // The pass that sent it is still recording the outcome; this waits for it.
    await server.app.delivery.runOnce();
    const [row] = await messagesFor(server, poolId, 'frank');
    assert.equal(row?.state, 'delivered');
    assert.equal(smtp.messages[0]?.messageId, `<${row?.id}@userpoold>`);
  });
});
