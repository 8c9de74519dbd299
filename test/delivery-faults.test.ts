import {
  AdminResetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { Config } from '../src/kernel/config.js';
import { MAX_RETRY_DELAY_MS, retryDelayMs } from '../src/services/delivery/backoff.js';
import { createSmtpTransport } from '../src/services/delivery/smtp-transport.js';
import type { EmailTransport } from '../src/services/delivery/transport.js';
import { createDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from '../src/services/delivery/worker.js';
import { createLogger } from '../src/kernel/logger.js';
import { killRunningChildren, startChildServer, stopChildServer, type ChildServer } from './support/child-server.js';
import { createConfirmedUser, createPoolWithClient, verifiedEmail } from './support/fixtures.js';
import { messagesFor, type QueuedMessage } from './support/outbox.js';
import { sdkClient, startServer, type TestServer } from './support/server.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

const PASSWORD = 'Correct-Horse-1';
const NEW_PASSWORD = 'Battery-Staple-2';
const BASE_MS = 1000;

/** A pool with one app client. */
const createPool = (client: CognitoIdentityProviderClient) => createPoolWithClient(client, { PoolName: 'faults' });

/** A confirmed user with a verified email (or phone), then a reset: one message queued. */
async function resetUser(client: CognitoIdentityProviderClient, poolId: string, username: string, via: 'email' | 'phone' = 'email') {
  const attributes: AttributeType[] =
    via === 'email'
      ? verifiedEmail(username)
      : [
          { Name: 'phone_number', Value: '+15555550123' },
          { Name: 'phone_number_verified', Value: 'true' },
        ];
  await createConfirmedUser(client, poolId, username, { password: PASSWORD, attributes });
  await client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: username }));
}

describe('delivery faults (real SMTP server, workers driven by a pinned clock)', () => {
  const open: { close(): Promise<void> }[] = [];
  const workers: DeliveryWorker[] = [];
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop(1_000);
    for (const thing of open.splice(0).reverse()) await thing.close();
  });

  /** A server without smtpUrl: its own worker claims nothing, so only the test's workers deliver. */
  async function setup(smtpOptions: Parameters<typeof startSmtp>[0] = {}, config: Partial<Config> = {}) {
    const smtp = await startSmtp(smtpOptions);
    const server = await startServer({ config });
    open.push(server, smtp);
    // Only the custom sender channels (pools' CustomEmailSender/CustomSMSSender functions), which no pool here names.
    assert.deepEqual(server.app.delivery.channels, ['CustomEmailSender', 'CustomSMSSender']);
    const { poolId, clientId } = await createPool(server.client);
    return { smtp, server, poolId, clientId };
  }

  function worker(
    server: TestServer,
    workerId: string,
    email: EmailTransport | undefined,
    options: { config?: Partial<Config>; logLines?: string[] } & Omit<Partial<DeliveryWorkerOptions>, 'config'> = {},
  ): DeliveryWorker {
    const { store, clock, random, secrets, config } = server.app.deps;
    const lines = options.logLines;
    const created = createDeliveryWorker({
      store,
      clock,
      random,
      secrets,
      logger: createLogger('debug', (line) => lines?.push(line)),
      email,
      ...options,
      config: { ...config, deliveryBackoffMs: BASE_MS, ...options.config },
      workerId,
    });
    workers.push(created);
    return created;
  }

  const smtpTo = (url: string) => createSmtpTransport({ url, defaultFrom: 'no-reply@example.com', rejectUnauthorized: true });

  async function only(server: TestServer, poolId: string, username: string): Promise<QueuedMessage> {
    const rows = await messagesFor(server, poolId, username);
    assert.equal(rows.length, 1);
    return rows[0] as QueuedMessage;
  }

  it('retries a server that answers 4xx, doubling the wait, and delivers exactly once when it accepts', async () => {
    const { smtp, server, poolId } = await setup({ failFor: { stage: 'rcpt', code: 451, times: 3 } });
    const w = worker(server, 'w1', smtpTo(smtp.url));
    await resetUser(server.client, poolId, 'alice');

    for (let failure = 1; failure <= 3; failure++) {
      assert.equal(await w.runOnce(), 1);
      const row = await only(server, poolId, 'alice');
      const nominal = BASE_MS * 2 ** (failure - 1);
      const wait = row.nextAttemptAt - server.clock.nowMs();
      assert.equal(row.state, 'pending');
      assert.equal(row.attempts, failure);
      assert.match(row.lastError ?? '', /451/);
      assert.equal(row.claimedUntil, null);
      assert.ok(wait >= nominal * 0.9 && wait <= nominal, `wait ${wait} after failure ${failure}, nominal ${nominal}`);
      // Not due before its time.
      server.clock.advance(Math.floor(nominal / 2));
      assert.equal(await w.runOnce(), 0);
      server.clock.advance(nominal - Math.floor(nominal / 2));
    }
    assert.equal(await w.runOnce(), 1);
    const row = await only(server, poolId, 'alice');
    assert.equal(row.state, 'delivered');
    assert.equal(row.attempts, 4);
    assert.equal(row.deliveredAt, server.clock.nowMs());
    server.clock.advance(MAX_RETRY_DELAY_MS);
    assert.equal(await w.runOnce(), 0);
    assert.equal(smtp.recipientsSeen, 4);
    assert.equal(smtp.messages.length, 1);
    assert.equal(smtp.messages[0]?.messageId, `<${row.id}@userpoold>`);
  });

  it('retries while the mail server is down and delivers once it is back on its port', async () => {
    const { smtp, server, poolId, clientId } = await setup();
    const port = smtp.port;
    await smtp.close();
    const w = worker(server, 'w1', smtpTo(`smtp://127.0.0.1:${port}`));
    await resetUser(server.client, poolId, 'bob');

    assert.equal(await w.runOnce(), 1);
    const failed = await only(server, poolId, 'bob');
    assert.equal(failed.state, 'pending');
    assert.match(failed.lastError ?? '', /ECONNREFUSED|ECONNECTION|ESOCKET/);

    const back = await startSmtp({ port });
    open.push(back);
    server.clock.advance(BASE_MS);
    assert.equal(await w.runOnce(), 1);
    const row = await only(server, poolId, 'bob');
    assert.equal(row.state, 'delivered');
    assert.equal(row.attempts, 2);
    assert.equal(back.messages.length, 1);
    const code = /\d{6}/.exec(back.messages[0]?.text ?? '')?.[0] as string;
    await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'bob', ConfirmationCode: code, Password: NEW_PASSWORD }));
  });

  it('gives up at once on a permanent 5xx refusal of the recipient, keeping the reason', async () => {
    const { smtp, server, poolId } = await setup({ failFor: { stage: 'rcpt', code: 550, text: 'No such user here' } });
    const w = worker(server, 'w1', smtpTo(smtp.url));
    await resetUser(server.client, poolId, 'carol');
    assert.equal(await w.runOnce(), 1);
    const row = await only(server, poolId, 'carol');
    assert.equal(row.state, 'failed');
    assert.equal(row.attempts, 1);
    assert.match(row.lastError ?? '', /^SMTP EENVELOPE: 550 No such user here/);
    server.clock.advance(MAX_RETRY_DELAY_MS);
    assert.equal(await w.runOnce(), 0);
    assert.equal(smtp.recipientsSeen, 1);
    assert.equal(smtp.messages.length, 0);
  });

  it('never sends a code that expired while no transport was configured, and sends the live ones', async () => {
    const { smtp, server, poolId } = await setup();
    await resetUser(server.client, poolId, 'old');
    // The reset code lives an hour (--reset-code-ttl); this one is dead before any transport exists.
    server.clock.advance(60 * 60 * 1000);
    await resetUser(server.client, poolId, 'fresh');
    const w = worker(server, 'late', smtpTo(smtp.url));
    assert.equal(await w.runOnce(), 2);
    const old = await only(server, poolId, 'old');
    assert.equal(old.state, 'failed');
    assert.equal(old.lastError, 'expired before it could be delivered');
    assert.equal((await only(server, poolId, 'fresh')).state, 'delivered');
    assert.deepEqual(smtp.messages.map((m) => m.to), ['fresh@example.com']);
  });

  it('marks a message failed after deliveryMaxAttempts retryable failures', async () => {
    // Tries an hour apart: the code must outlive them, or it expires and is not tried again.
    const { smtp, server, poolId } = await setup({ failFor: { stage: 'connect', code: 421, text: 'Too busy' } }, { resetCodeTtlSeconds: 24 * 3600 });
    const w = worker(server, 'w1', smtpTo(smtp.url), { config: { deliveryMaxAttempts: 3 } });
    await resetUser(server.client, poolId, 'dave');
    for (let attempt = 1; attempt <= 3; attempt++) {
      assert.equal(await w.runOnce(), 1);
      const row = await only(server, poolId, 'dave');
      assert.equal(row.attempts, attempt);
      assert.equal(row.state, attempt < 3 ? 'pending' : 'failed');
      assert.match(row.lastError ?? '', /421 Too busy/);
      server.clock.advance(MAX_RETRY_DELAY_MS);
    }
    assert.equal(await w.runOnce(), 0);
    assert.equal(smtp.messages.length, 0);
  });

  it('keeps the code out of lastError and the log, even when the server quotes the message back', async () => {
    const { smtp, server, poolId } = await setup({ failFor: { stage: 'data', code: 452, times: 1, text: (mail) => `Refusing: ${mail?.text ?? ''}` } });
    const logLines: string[] = [];
    const w = worker(server, 'w1', smtpTo(smtp.url), { logLines });
    await resetUser(server.client, poolId, 'erin');
    assert.equal(await w.runOnce(), 1);
    const row = await only(server, poolId, 'erin');
    const code = row.payload.code as string;
    assert.match(row.lastError ?? '', /^SMTP EMESSAGE: 452 Refusing: Your verification code is \*\*\*/);
    assert.ok(!(row.lastError ?? '').includes(code));
    assert.ok(logLines.some((l) => l.includes('message not delivered') && l.includes(row.id)));
    assert.ok(!logLines.some((l) => l.includes(code)), 'no log line holds the code');
    server.clock.advance(BASE_MS);
    assert.equal(await w.runOnce(), 1);
    assert.equal((await only(server, poolId, 'erin')).state, 'delivered');
  });

  it('lets another worker deliver a message whose worker died holding the claim, once the claim lapses', async () => {
    const { smtp, server, poolId } = await setup();
    await resetUser(server.client, poolId, 'frank');
    const { store, config } = server.app.deps;
    const now = server.clock.nowMs();
    // The dead worker claimed the row and never came back.
    const claimed = await store.transaction((tx) => tx.claimMessages('dead-worker', now, now + config.deliveryClaimTtlMs, 10));
    assert.equal(claimed.length, 1);

    const survivor = worker(server, 'survivor', smtpTo(smtp.url));
    assert.equal(await survivor.runOnce(), 0, 'the claim still holds');
    server.clock.advance(config.deliveryClaimTtlMs);
    assert.equal(await survivor.runOnce(), 0, 'the claim holds up to its last millisecond');
    server.clock.advance(1);
    assert.equal(await survivor.runOnce(), 1);
    const row = await only(server, poolId, 'frank');
    assert.equal(row.state, 'delivered');
    assert.equal(row.claimedBy, 'survivor');
    assert.equal(row.attempts, 1);
    assert.equal(smtp.messages.length, 1);
  });

  it('does not claim (or spend tries on) messages of a channel it has no transport for', async () => {
    const { smtp, server, poolId } = await setup();
    await resetUser(server.client, poolId, 'grace', 'phone');
    const w = worker(server, 'email-only', smtpTo(smtp.url));
    assert.deepEqual(w.channels, ['EMAIL']);
    assert.equal(await w.runOnce(), 0);
    const row = await only(server, poolId, 'grace');
    assert.equal(row.channel, 'SMS');
    assert.deepEqual({ state: row.state, attempts: row.attempts, claimedBy: row.claimedBy }, { state: 'pending', attempts: 0, claimedBy: null });
  });

  it('drains on stop: the send in flight finishes and nothing more is claimed', async () => {
    const { smtp, server, poolId } = await setup();
    smtp.hang(true);
    const w = worker(server, 'w1', smtpTo(smtp.url), { concurrency: 1 });
    await resetUser(server.client, poolId, 'heidi');
    await resetUser(server.client, poolId, 'ivan');
    const pass = w.runOnce();
    await smtp.waitFor(() => smtp.recipientsSeen === 1);

    let drained = false;
    const draining = w.drain(10_000).then(() => (drained = true));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(drained, false, 'drain waits for the send in flight');
    smtp.hang(false);
    await draining;
    assert.equal(await pass, 1);

    const [first, second] = [await only(server, poolId, 'heidi'), await only(server, poolId, 'ivan')];
    assert.equal(first.state, 'delivered');
    // One lane: the second message was never claimed, so another worker may take it at once.
    assert.deepEqual({ state: second.state, attempts: second.attempts, claimedBy: second.claimedBy }, { state: 'pending', attempts: 0, claimedBy: null });
    assert.equal(await w.runOnce(), 0, 'a drained worker claims nothing');
    assert.equal(smtp.messages.length, 1);
  });

  it('waits at most an hour between tries, and jitter only shortens the wait', () => {
    assert.equal(retryDelayMs(1, 1000, 0), 1000);
    assert.equal(retryDelayMs(2, 1000, 0), 2000);
    assert.equal(retryDelayMs(1, 1000, 0.999), 900);
    assert.equal(retryDelayMs(13, 1000, 0), MAX_RETRY_DELAY_MS);
    assert.equal(retryDelayMs(10_000, 1000, 0), MAX_RETRY_DELAY_MS);
    assert.ok(retryDelayMs(10_000, 1000, 0.5) < MAX_RETRY_DELAY_MS);
  });
});

describe('delivery across a killed server process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-delivery-kill-'));
  let smtp: TestSmtp | undefined;
  const children: ChildServer[] = [];
  afterEach(async () => {
    killRunningChildren(children);
    await smtp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every queued message after the server is killed with SIGKILL mid-send and restarted', async (t) => {
    const USERS = 6;
    const CLAIM_TTL_MS = 2_000;
    const mailServer = await startSmtp();
    smtp = mailServer;
    // Every send hangs after RCPT: at the kill, sends are in flight and rows are claimed.
    mailServer.hang(true);
    const args = [
      '--data-dir', dataDir,
      '--smtp-url', mailServer.url,
      '--dev-messages',
      '--delivery-claim-ttl-ms', String(CLAIM_TTL_MS),
      '--delivery-poll-ms', '50',
      '--delivery-backoff-ms', '100',
      '--argon2-memory-kib', '64',
      '--argon2-iterations', '1',
    ];
    const first = await startChildServer(args);
    children.push(first);
    const client = sdkClient(first.url);
    const { poolId, clientId } = await createPool(client);
    const usernames = Array.from({ length: USERS }, (_, i) => `user${i}`);
    for (const username of usernames) await resetUser(client, poolId, username);
    client.destroy();
    // Four lanes: four sends hang, the other messages wait unclaimed.
    await mailServer.waitFor(() => mailServer.recipientsSeen >= 4);
    await new Promise((r) => setTimeout(r, 100));
    const inFlightAtKill = mailServer.recipientsSeen;
    first.process.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    assert.equal(mailServer.messages.length, 0, 'nothing was delivered before the kill');
    // The mail server recovers; connections of the dead process are gone, so nothing they held is accepted.
    mailServer.hang(false);

    const restartedAt = performance.now();
    const second = await startChildServer(args);
    children.push(second);
    await mailServer.waitFor(() => mailServer.messages.length >= USERS, 30_000).catch(async (err: Error) => {
      const states = ((await (await fetch(`${second.url}/_dev/messages`)).json()) as { messages: { state: string }[] }).messages.map((m) => m.state);
      throw new Error(`${err.message}: ${mailServer.messages.length} mails, rows ${states.join(',')}`);
    });
    const deliveredAfterMs = performance.now() - restartedAt;

    // Every row is recorded as delivered (bounded polling: the last record follows the last mail).
    type DevMessage = { id: string; username: string; state: string; code: string };
    let rows: DevMessage[] = [];
    const deadline = Date.now() + 10_000;
    do {
      const res = await fetch(`${second.url}/_dev/messages?pool=${poolId}`);
      rows = ((await res.json()) as { messages: DevMessage[] }).messages;
      if (rows.every((r) => r.state === 'delivered')) break;
      await new Promise((r) => setTimeout(r, 50));
    } while (Date.now() < deadline);
    assert.equal(rows.length, USERS);
    assert.deepEqual(rows.map((r) => r.state), Array(USERS).fill('delivered'));

    // Exactly one mail per message, each the code of its user.
    assert.equal(mailServer.messages.length, USERS);
    assert.deepEqual(new Set(mailServer.messages.map((m) => m.messageId)), new Set(rows.map((r) => `<${r.id}@userpoold>`)));
    const again = sdkClient(second.url);
    try {
      for (const row of rows) {
        const mail = mailServer.messages.find((m) => m.messageId === `<${row.id}@userpoold>`);
        assert.deepEqual(mail?.envelope.to, [`${row.username}@example.com`]);
        const code = /\d{6}/.exec(mail?.text ?? '')?.[0] as string;
        assert.equal(code, row.code);
        await again.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: row.username, ConfirmationCode: code, Password: NEW_PASSWORD }));
      }
    } finally {
      again.destroy();
    }
    t.diagnostic(`${inFlightAtKill} sends in flight at the kill; all ${USERS} delivered ${deliveredAfterMs.toFixed(0)} ms after the restart (claim TTL ${CLAIM_TTL_MS} ms)`);
    await stopChildServer(second);
  });
});
