import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { failureKey } from '../src/domain/auth/sign-in.js';
import type { EmailMessage, EmailTransport } from '../src/services/delivery/transport.js';
import { COUNTER_HORIZON_MS, REFRESH_TOKEN_GRACE_MS } from '../src/services/sweeper/sweeper.js';
import { latestCode, messagesFor } from './support/outbox.js';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';
const NEW_PASSWORD = 'Battery-Staple-2';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 86_400_000;

function recordingEmail(): EmailTransport & { sent: EmailMessage[] } {
  const sent: EmailMessage[] = [];
  return { sent, send: async (m) => void sent.push(m) };
}

/** The origin_jti claim of an access token: the key of its sign-in's refresh-token row. */
function originOf(accessToken: string): string {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString('utf8')) as { origin_jti: string };
  return payload.origin_jti;
}

for (const dialect of E2E_DIALECTS) describe(`the sweeper (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;
  before(async () => {
    // No timer: each test sweeps when it means to, at the pinned clock's time.
    server = await startServer({ dialect, config: { sweepIntervalSeconds: 0 }, overrides: { email: recordingEmail() } });
    poolId = (await server.client.send(new CreateUserPoolCommand({ PoolName: 'sweep' }))).UserPool?.Id as string;
    const client = await server.client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        RefreshTokenValidity: 1,
        TokenValidityUnits: { RefreshToken: 'days' },
      }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
  });
  after(() => server.close());

  const store = () => server.app.deps.store;
  const sweep = () => server.app.sweeper.runOnce();

  async function confirmedUser(username: string) {
    await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: [
          { Name: 'email', Value: `${username}@example.com` },
          { Name: 'email_verified', Value: 'true' },
        ],
        MessageAction: 'SUPPRESS',
        TemporaryPassword: 'Temp-Pass-1',
      }),
    );
    await server.client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  }

  const signIn = (username: string, password = PASSWORD) =>
    server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
  const refresh = (token: string) =>
    server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }));

  it('deletes a refresh token two days after it expired, and keeps a live one', async () => {
    await confirmedUser('ada');
    const first = (await signIn('ada')).AuthenticationResult;
    const expiring = originOf(first?.AccessToken as string);
    assert.ok(await store().getRefreshTokenByOrigin(expiring), 'the sign-in stored its refresh token');

    server.clock.advance(DAY);
    await expectAwsError(() => refresh(first?.RefreshToken as string), 'NotAuthorizedException', 'Refresh Token has expired');
    const second = (await signIn('ada')).AuthenticationResult;
    const live = originOf(second?.AccessToken as string);

    server.clock.advance(REFRESH_TOKEN_GRACE_MS);
    await sweep();
    assert.ok(await store().getRefreshTokenByOrigin(expiring), 'kept through the grace period');
    server.clock.advance(1);
    await sweep();
    assert.equal(await store().getRefreshTokenByOrigin(expiring), undefined, 'gone once expired plus grace');
    assert.ok(await store().getRefreshTokenByOrigin(live), 'a sign-in of the same user made later stays');
    // Without its row the token reads as unknown, no longer as expired.
    await expectAwsError(() => refresh(first?.RefreshToken as string), 'NotAuthorizedException', 'Invalid Refresh Token.');
  });

  it('deletes delivered messages after the retention, keeps recent ones, and keeps a live code usable', async () => {
    await confirmedUser('bea');
    await server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'bea' }));
    await server.app.delivery.runOnce();
    const [old] = await messagesFor(server, poolId, 'bea');
    assert.equal(old?.state, 'delivered');

    server.clock.advance(7 * DAY - 30 * MINUTE);
    await server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'bea' }));
    await server.app.delivery.runOnce();
    const code = await latestCode(server, poolId, 'bea');
    server.clock.advance(30 * MINUTE);
    await sweep();
    assert.equal((await messagesFor(server, poolId, 'bea')).length, 2, 'kept for exactly the retention');
    server.clock.advance(1);
    assert.equal((await sweep()).outbox, 1);
    const left = await messagesFor(server, poolId, 'bea');
    assert.equal(left.length, 1, 'only the recent message is left');
    assert.equal(left[0]?.state, 'delivered');
    assert.notEqual(left[0]?.id, old?.id);

    // The code sent 30 minutes ago (valid an hour) survived the sweep.
    await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'bea', ConfirmationCode: code, Password: NEW_PASSWORD }));
    assert.ok((await signIn('bea', NEW_PASSWORD)).AuthenticationResult);
  });

  it('deletes an expired code but not one still valid', async () => {
    await confirmedUser('cyd');
    await confirmedUser('dee');
    await server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'cyd' }));
    const sub = (name: string) => store().getUserByUsernameKey(poolId, name).then((u) => u?.sub as string);
    server.clock.advance(30 * MINUTE);
    await server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'dee' }));
    server.clock.advance(30 * MINUTE);
    await sweep();
    assert.equal(await store().getCode(await sub('cyd'), 'reset_password'), undefined, "cyd's code expired and went");
    assert.ok(await store().getCode(await sub('dee'), 'reset_password'), "dee's code has 30 minutes left");
    const code = await latestCode(server, poolId, 'dee');
    await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'dee', ConfirmationCode: code, Password: NEW_PASSWORD }));
  });

  it('keeps a live lockout streak, and forgets counters only past the horizon', async () => {
    await confirmedUser('eve');
    const wrong = () => expectAwsError(() => signIn('eve', 'Wrong-Pass-1'), 'NotAuthorizedException', 'Incorrect username or password.');
    for (let i = 0; i < 5; i++) await wrong();
    // Keep the streak going past its 15-minute quiet period, with growing lockouts.
    for (let i = 0; i < 9; i++) {
      server.clock.advance(SECOND * 2 ** i);
      await wrong();
    }
    // The latest failure locked eve for 2^9 s; sweep near its end.
    server.clock.advance(500 * SECOND);
    await sweep();
    await expectAwsError(() => signIn('eve'), 'NotAuthorizedException', 'Password attempts exceeded');
    server.clock.advance(12 * SECOND);
    // One more failure still counts as the streak's 15th: locked 2^10 s (capped at 15 minutes).
    await wrong();
    server.clock.advance(14 * MINUTE);
    await sweep();
    await expectAwsError(() => signIn('eve'), 'NotAuthorizedException', 'Password attempts exceeded');
    const eve = await store().getUserByUsernameKey(poolId, 'eve');
    const streak = failureKey(poolId, `sub:${eve?.sub as string}`);
    assert.equal((await store().readCounter(streak))?.count, 15, 'the streak, begun over half an hour ago, is whole');

    // Counters of a streak long over (and of unknown names) go once past the horizon.
    await expectAwsError(() => signIn('nobody-known', 'Wrong-Pass-1'), 'UserNotFoundException', 'User does not exist.');
    assert.ok(await store().readCounter(failureKey(poolId, 'name:nobody-known')), 'an unknown name leaves a streak too');
    const before = (await sweep()).counters;
    assert.equal(before, 0, 'nothing is that old yet');
    server.clock.advance(COUNTER_HORIZON_MS + SECOND);
    assert.ok((await sweep()).counters >= 4, "eve's and nobody-known's streak counters went");
    for (const key of [streak, `${streak}:last`, failureKey(poolId, 'name:nobody-known')]) assert.equal(await store().readCounter(key), undefined, key);
    assert.ok((await signIn('eve')).AuthenticationResult);
  });
});

describe('the sweeper timer', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ config: { sweepIntervalSeconds: 1 } });
  });
  after(() => server.close());

  it('sweeps on its own once listening', async () => {
    const store = server.app.deps.store;
    const now = server.clock.nowMs();
    await store.incrementCounter('ancient', now - COUNTER_HORIZON_MS - 1);
    await store.incrementCounter('current', now);
    for (let i = 0; i < 40 && (await store.readCounter('ancient')) !== undefined; i++) await sleep(100);
    assert.equal(await store.readCounter('ancient'), undefined, 'swept within the first interval');
    assert.ok(await store.readCounter('current'));
  });
});
