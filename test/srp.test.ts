import {
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createInvitedUser, createPoolWithClient } from './support/fixtures.js';
import { latestCode } from './support/outbox.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';
import { SRP_N_HEX, newHelper, srpAnswer, srpRespond, srpStart, srpTimestamp } from './support/srp-client.js';

const PASSWORD = 'Correct-Horse-1';
const TEMP_PASSWORD = 'Temp-Pass-1!';
const NEW_PASSWORD = 'Battery-Staple-2';
const INCORRECT = 'Incorrect username or password.';

describe('USER_SRP_AUTH (PASSWORD_VERIFIER)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const setup = (options: { pool?: Partial<CreateUserPoolCommandInput>; client?: Partial<CreateUserPoolClientCommandInput> } = {}) =>
    createPoolWithClient(server.client, { PoolName: 'srp', ...options.pool }, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], ...options.client });
  const invitedUser = (poolId: string, username: string) => createInvitedUser(server.client, poolId, username, { temporaryPassword: TEMP_PASSWORD });
  const confirmedUser = (poolId: string, username: string) =>
    createConfirmedUser(server.client, poolId, username, { temporaryPassword: TEMP_PASSWORD, password: PASSWORD });

  const now = () => server.clock.nowMs();

  it('signs in with the correct password: challenge shape, then tokens', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'alice');
    const start = await srpStart(server, poolId, clientId, 'alice');
    assert.deepEqual(Object.keys(start.challenge).sort(), ['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
    assert.equal(start.challenge.USER_ID_FOR_SRP, 'alice');
    assert.match(start.challenge.SALT as string, /^[0-9a-f]+$/);
    assert.match(start.challenge.SRP_B as string, /^[0-9a-f]+$/);
    const res = await srpRespond(server, clientId, await srpAnswer(start, poolId, PASSWORD, srpTimestamp(now())), start.session);
    assert.equal(res.ChallengeName, undefined);
    assert.ok(res.AuthenticationResult?.AccessToken);
    assert.ok(res.AuthenticationResult?.RefreshToken);
  });

  it('runs through AdminInitiateAuth too', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'admin-srp');
    const { helper, A } = newHelper(poolId);
    const res = await server.client.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'admin-srp', SRP_A: A } }),
    );
    assert.equal(res.ChallengeName, 'PASSWORD_VERIFIER');
    const start = { helper, A, challenge: res.ChallengeParameters ?? {} };
    const answer = await srpAnswer(start, poolId, PASSWORD, srpTimestamp(now()));
    const { AdminRespondToAuthChallengeCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    const done = await server.client.send(
      new AdminRespondToAuthChallengeCommand({ UserPoolId: poolId, ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: answer }),
    );
    assert.ok(done.AuthenticationResult?.IdToken);
  });

  it('refuses a wrong password with AWS message', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'bob');
    const start = await srpStart(server, poolId, clientId, 'bob');
    const answer = await srpAnswer(start, poolId, 'Wrong-Password-9', srpTimestamp(now()));
    await expectAwsError(() => srpRespond(server, clientId, answer), 'NotAuthorizedException', INCORRECT);
  });

  it('refuses a replayed answer', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'carol');
    const start = await srpStart(server, poolId, clientId, 'carol');
    const answer = await srpAnswer(start, poolId, PASSWORD, srpTimestamp(now()));
    await srpRespond(server, clientId, answer);
    await expectAwsError(() => srpRespond(server, clientId, answer), 'NotAuthorizedException');
  });

  it('refuses a late answer', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'dave');
    const start = await srpStart(server, poolId, clientId, 'dave');
    server.clock.advance(61_000);
    const answer = await srpAnswer(start, poolId, PASSWORD, srpTimestamp(now()));
    await expectAwsError(() => srpRespond(server, clientId, answer), 'NotAuthorizedException');
  });

  it('refuses a tampered SECRET_BLOCK', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'erin');
    const start = await srpStart(server, poolId, clientId, 'erin');
    const block = Buffer.from(start.challenge.SECRET_BLOCK as string, 'base64');
    block[40] = (block[40] as number) ^ 1;
    start.challenge.SECRET_BLOCK = block.toString('base64');
    // Signed over the tampered block, so only the server's authentication can catch it.
    const answer = await srpAnswer(start, poolId, PASSWORD, srpTimestamp(now()));
    await expectAwsError(() => srpRespond(server, clientId, answer), 'NotAuthorizedException', INCORRECT);
  });

  it('checks TIMESTAMP: its form, its canonical text and its distance from the clock', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'frank');
    server.clock.set(Date.UTC(2026, 10, 5, 12, 0, 0)); // a one-digit day
    let start = await srpStart(server, poolId, clientId, 'frank');
    let answer = await srpAnswer(start, poolId, PASSWORD, '2026-11-05T12:00:00Z');
    await expectAwsError(() => srpRespond(server, clientId, answer), 'InvalidParameterException', 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');

    start = await srpStart(server, poolId, clientId, 'frank');
    answer = await srpAnswer(start, poolId, PASSWORD, srpTimestamp(now(), true));
    assert.match(answer.TIMESTAMP as string, / 05 /);
    await expectAwsError(() => srpRespond(server, clientId, answer), 'NotAuthorizedException', INCORRECT);

    start = await srpStart(server, poolId, clientId, 'frank');
    answer = await srpAnswer(start, poolId, PASSWORD, srpTimestamp(now() - 10 * 60_000));
    await expectAwsError(() => srpRespond(server, clientId, answer), 'NotAuthorizedException', INCORRECT);

    start = await srpStart(server, poolId, clientId, 'frank');
    answer = await srpAnswer(start, poolId, PASSWORD, srpTimestamp(now()));
    assert.equal(answer.TIMESTAMP, 'Thu Nov 5 12:00:00 UTC 2026');
    assert.ok((await srpRespond(server, clientId, answer)).AuthenticationResult);
  });

  it('refuses A mod N == 0', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'gina');
    for (const A of ['0', SRP_N_HEX, (BigInt(`0x${SRP_N_HEX}`) * 2n).toString(16)]) {
      await expectAwsError(
        () => server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'gina', SRP_A: A } })),
        'InvalidParameterException',
      );
    }
  });

  it('unknown users: UserNotFoundException (LEGACY) or a stable simulated challenge (ENABLED)', async () => {
    const legacy = await setup();
    await expectAwsError(() => srpStart(server, legacy.poolId, legacy.clientId, 'nobody'), 'UserNotFoundException', 'User does not exist.');

    const hidden = await setup({ client: { PreventUserExistenceErrors: 'ENABLED' } });
    const first = await srpStart(server, hidden.poolId, hidden.clientId, 'nobody');
    const second = await srpStart(server, hidden.poolId, hidden.clientId, 'nobody');
    assert.equal(first.challenge.SALT, second.challenge.SALT);
    assert.equal(first.challenge.USER_ID_FOR_SRP, second.challenge.USER_ID_FOR_SRP);
    assert.match(first.challenge.USER_ID_FOR_SRP as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(first.challenge.SRP_B, second.challenge.SRP_B);
    const answer = await srpAnswer(first, hidden.poolId, PASSWORD, srpTimestamp(now()));
    await expectAwsError(() => srpRespond(server, hidden.clientId, answer), 'NotAuthorizedException', INCORRECT);
  });

  it('RESET_REQUIRED: PasswordResetRequiredException at the first step; the new password then works over SRP', async () => {
    const { poolId, clientId } = await setup();
    await confirmedUser(poolId, 'hank');
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'hank' }));
    await expectAwsError(() => srpStart(server, poolId, clientId, 'hank'), 'PasswordResetRequiredException', 'Password reset required for the user');
    const code = await latestCode(server, poolId, 'hank');
    await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'hank', ConfirmationCode: code, Password: NEW_PASSWORD }));
    const old = await srpStart(server, poolId, clientId, 'hank');
    await expectAwsError(async () => srpRespond(server, clientId, await srpAnswer(old, poolId, PASSWORD, srpTimestamp(now()))), 'NotAuthorizedException', INCORRECT);
    const fresh = await srpStart(server, poolId, clientId, 'hank');
    assert.ok((await srpRespond(server, clientId, await srpAnswer(fresh, poolId, NEW_PASSWORD, srpTimestamp(now())))).AuthenticationResult);
  });

  it('FORCE_CHANGE_PASSWORD: NEW_PASSWORD_REQUIRED after the verifier, then SRP with the new password', async () => {
    const { poolId, clientId } = await setup();
    await invitedUser(poolId, 'ivy');
    const start = await srpStart(server, poolId, clientId, 'ivy');
    const res = await srpRespond(server, clientId, await srpAnswer(start, poolId, TEMP_PASSWORD, srpTimestamp(now())));
    assert.equal(res.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    await server.client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: res.Session,
        ChallengeResponses: { USERNAME: 'ivy', NEW_PASSWORD },
      }),
    );
    const next = await srpStart(server, poolId, clientId, 'ivy');
    assert.ok((await srpRespond(server, clientId, await srpAnswer(next, poolId, NEW_PASSWORD, srpTimestamp(now())))).AuthenticationResult);
  });

  it('signing in by alias answers with the real username as USER_ID_FOR_SRP', async () => {
    const { poolId, clientId } = await setup({ pool: { AliasAttributes: ['email'] } });
    await confirmedUser(poolId, 'jack');
    const start = await srpStart(server, poolId, clientId, 'jack@example.com');
    assert.equal(start.challenge.USER_ID_FOR_SRP, 'jack');
    assert.ok((await srpRespond(server, clientId, await srpAnswer(start, poolId, PASSWORD, srpTimestamp(now())))).AuthenticationResult);
  });

  it('shares the lockout with password sign-in', async () => {
    const { poolId, clientId } = await setup({ client: { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } });
    await confirmedUser(poolId, 'kate');
    for (let i = 0; i < 5; i++) {
      const start = await srpStart(server, poolId, clientId, 'kate');
      await expectAwsError(async () => srpRespond(server, clientId, await srpAnswer(start, poolId, 'Wrong-Password-9', srpTimestamp(now()))), 'NotAuthorizedException', INCORRECT);
    }
    await expectAwsError(() => srpStart(server, poolId, clientId, 'kate'), 'NotAuthorizedException', 'Password attempts exceeded');
    await expectAwsError(
      () => server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'kate', PASSWORD } })),
      'NotAuthorizedException',
      'Password attempts exceeded',
    );
    server.clock.advance(2_000);
    const start = await srpStart(server, poolId, clientId, 'kate');
    assert.ok((await srpRespond(server, clientId, await srpAnswer(start, poolId, PASSWORD, srpTimestamp(now())))).AuthenticationResult);
  });
});
