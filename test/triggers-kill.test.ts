import {
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { killRunningChildren, startChildServer, stopChildServer, type ChildServer } from './support/child-server.js';
import { startFunctionEndpoint, writeTriggersFile, type FunctionEndpoint } from './support/lambda-http.js';
import { expectAwsError, sdkClient } from './support/server.js';
import type { TriggerEvent } from '../src/services/triggers/trigger-event.js';

const FN_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:kill-test';
const PASSWORD = 'Kill-Test-Pass-1';
const RESET_PASSWORD = 'Kill-Test-Pass-2';

/**
 * A server killed with SIGKILL while triggers are running loses nothing it acknowledged, and the
 * operations it was in the middle of leave nothing half-written: triggers run before the write
 * transaction, so an operation killed inside one has written nothing at all.
 */
describe('kill -9 while a trigger runs', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-trigger-kill-'));
  const children: ChildServer[] = [];
  let fn: FunctionEndpoint;
  /** Trigger invocations that hang (the function never answers), by username. */
  const hanging = new Set(['hang-signup', 'hang-legacy']);
  let hang = true;

  before(async () => {
    fn = await startFunctionEndpoint((raw) => {
      const event = raw as unknown as TriggerEvent;
      if (hang && hanging.has(event.userName)) return new Promise(() => undefined);
      if (event.triggerSource === 'PreSignUp_SignUp' && event.userName.startsWith('auto')) {
        return { ...event, response: { ...event.response, autoConfirmUser: true, autoVerifyEmail: true } };
      }
      if (event.triggerSource === 'UserMigration_ForgotPassword') {
        return { ...event, response: { userAttributes: { email: `${event.userName}@example.com`, email_verified: 'true' }, finalUserStatus: 'RESET_REQUIRED', messageAction: 'SUPPRESS' } };
      }
      return event;
    });
  });
  after(async () => {
    killRunningChildren(children);
    await fn?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const child = await startChildServer([
      '--data-dir', dataDir,
      '--triggers-file', writeTriggersFile({ [FN_ARN]: { url: fn.url } }),
      // Long enough that the kill comes while the function is still being waited for.
      '--trigger-timeout-ms', '120000',
      '--dev-messages', 'true',
      '--argon2-memory-kib', '64', '--argon2-iterations', '1',
    ]);
    children.push(child);
    return child;
  };

  async function codesFor(url: string, poolId: string, username: string): Promise<(string | null)[]> {
    const res = await fetch(`${url}/_dev/messages?pool=${poolId}&user=${username}`);
    const { messages } = (await res.json()) as { messages: { code: string | null }[] };
    return messages.map((m) => m.code);
  }

  async function waitForEvent(source: string, userName: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!fn.events.some((e) => e.triggerSource === source && e.userName === userName)) {
      assert.ok(Date.now() < deadline, `the function never saw ${source} for ${userName}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('keeps every acknowledged change and message; the operations killed inside a trigger wrote nothing', async () => {
    const first = await start();
    const client = sdkClient(first.url);
    const poolId = (
      await client.send(
        new CreateUserPoolCommand({
          PoolName: 'kill',
          AutoVerifiedAttributes: ['email'],
          LambdaConfig: { PreSignUp: FN_ARN, PostConfirmation: FN_ARN, UserMigration: FN_ARN, CustomMessage: FN_ARN },
        }),
      )
    ).UserPool?.Id as string;
    const clientId = (await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })))
      .UserPoolClient?.ClientId as string;
    const signUp = (username: string) =>
      client.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }] }));

    // Acknowledged before the kill: sign-ups through PreSignUp (auto-confirmed and not), a
    // confirmation through PostConfirmation, a reset code through CustomMessage.
    for (const name of ['auto-1', 'auto-2']) assert.equal((await signUp(name)).UserConfirmed, true);
    for (const name of ['plain-1', 'plain-2', 'confirmed-1']) assert.equal((await signUp(name)).UserConfirmed, false);
    const [signUpCode] = await codesFor(first.url, poolId, 'confirmed-1');
    await client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'confirmed-1', ConfirmationCode: signUpCode as string }));
    await client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'auto-1' }));
    const [resetCode] = await codesFor(first.url, poolId, 'auto-1');
    assert.ok(resetCode);
    // A user whose next ForgotPassword will hang (in CustomMessage, before any write).
    assert.equal((await signUp('auto-hang')).UserConfirmed, true);
    hanging.add('auto-hang');
    const codesBefore = await codesFor(first.url, poolId, 'auto-hang');

    // In flight at the kill, each blocked inside its trigger: a sign-up in PreSignUp, a legacy
    // user's reset in UserMigration_ForgotPassword, a known user's reset in CustomMessage.
    const interrupted = [
      signUp('hang-signup'),
      client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'hang-legacy' })),
      client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'auto-hang' })),
    ].map((p) => p.then(() => 'answered', () => 'failed'));
    await waitForEvent('PreSignUp_SignUp', 'hang-signup');
    await waitForEvent('UserMigration_ForgotPassword', 'hang-legacy');
    await waitForEvent('CustomMessage_ForgotPassword', 'auto-hang');
    first.process.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    assert.deepEqual(await Promise.all(interrupted), ['failed', 'failed', 'failed'], 'no interrupted operation was acknowledged');
    client.destroy();

    hang = false;
    const second = await start();
    const again = sdkClient(second.url);
    try {
      // Everything acknowledged is there, as it was acknowledged.
      const status = async (username: string) => (await again.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;
      assert.equal(await status('auto-1'), 'CONFIRMED');
      assert.equal(await status('auto-2'), 'CONFIRMED');
      assert.equal(await status('plain-1'), 'UNCONFIRMED');
      assert.equal(await status('plain-2'), 'UNCONFIRMED');
      assert.equal(await status('confirmed-1'), 'CONFIRMED');
      assert.equal(await status('auto-hang'), 'CONFIRMED');
      // The acknowledged reset code is still queued and still works.
      assert.deepEqual(await codesFor(second.url, poolId, 'auto-1'), [resetCode]);
      await again.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'auto-1', ConfirmationCode: resetCode as string, Password: RESET_PASSWORD }));
      const signedIn = await again.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'auto-1', PASSWORD: RESET_PASSWORD } }));
      assert.ok(signedIn.AuthenticationResult?.AccessToken);

      // The interrupted operations left nothing: no user, no code, no message.
      await expectAwsError(() => again.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'hang-signup' })), 'UserNotFoundException', 'User does not exist.');
      await expectAwsError(() => again.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'hang-legacy' })), 'UserNotFoundException', 'User does not exist.');
      assert.deepEqual(await codesFor(second.url, poolId, 'hang-signup'), []);
      assert.deepEqual(await codesFor(second.url, poolId, 'hang-legacy'), []);
      assert.deepEqual(await codesFor(second.url, poolId, 'auto-hang'), codesBefore);
      const users = (await again.send(new ListUsersCommand({ UserPoolId: poolId }))).Users?.map((u) => u.Username).sort();
      assert.deepEqual(users, ['auto-1', 'auto-2', 'auto-hang', 'confirmed-1', 'plain-1', 'plain-2']);

      // And nothing half-written stands in the way: the same operations now complete.
      assert.equal((await again.send(new SignUpCommand({ ClientId: clientId, Username: 'hang-signup', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'hang-signup@example.com' }] }))).UserConfirmed, false);
      await again.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'hang-legacy' }));
      assert.equal(await status('hang-legacy'), 'RESET_REQUIRED');
      assert.equal((await codesFor(second.url, poolId, 'hang-legacy')).length, 1);
    } finally {
      again.destroy();
      await stopChildServer(second);
    }
  });
});
