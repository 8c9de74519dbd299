import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startChildServer, stopChildServer, type ChildServer } from './support/child-server.js';
import { expectAwsError, sdkClient } from './support/server.js';

/**
 * The per-user limits against guessing, with the guesses spread over two server processes on
 * one SQLite file: the counts live in the store, so a second process gives an attacker no
 * second budget. The servers run with the system clock, as in production.
 */

const PASSWORD = 'Correct-Horse-1';
const NEW_PASSWORD = 'Battery-Staple-2';
const ATTEMPT_LIMIT = 'Attempt limit exceeded, please try after some time.';

interface Server extends ChildServer {
  client: CognitoIdentityProviderClient;
}

async function startChild(dataDir: string, extra: string[] = []): Promise<Server> {
  const child = await startChildServer(['--data-dir', dataDir, '--argon2-memory-kib', '64', '--argon2-iterations', '1', ...extra]);
  return { ...child, client: sdkClient(child.url) };
}

describe('brute force across two server processes sharing one SQLite file', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'userpoold-brute-'));
  let a: Server;
  let b: Server;
  let poolId: string;
  let clientId: string;

  before(async () => {
    // One after the other: both migrate the same file at start.
    a = await startChild(dataDir, ['--dev-messages']);
    b = await startChild(dataDir);
    poolId = (await a.client.send(new CreateUserPoolCommand({ PoolName: 'guarded' }))).UserPool?.Id as string;
    const client = await b.client.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
  });
  after(async () => {
    for (const server of [a, b]) {
      if (!server) continue;
      server.client.destroy();
      await stopChildServer(server);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function user(username: string): Promise<void> {
    await a.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: `${username}@example.com` },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await b.client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  }

  async function latestCode(username: string): Promise<string> {
    const res = await fetch(`${a.url}/_dev/messages?pool=${poolId}&user=${username}`);
    const { messages } = (await res.json()) as { messages: { code: string | null }[] };
    const code = messages.at(-1)?.code;
    assert.ok(code, `no code queued for ${username}`);
    return code;
  }

  const wrongCodes = (code: string) => Array.from({ length: 20 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));

  const confirm = (server: Server, username: string, code: string) =>
    server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: NEW_PASSWORD }));

  const signIn = (server: Server, username: string, password: string) =>
    server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));

  it('ConfirmForgotPassword: 5 wrong codes over both servers, then the right code is refused', async () => {
    await user('carol');
    await b.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'carol' }));
    const code = await latestCode('carol');
    const wrong = wrongCodes(code);
    for (let i = 0; i < 5; i++) {
      const server = i % 2 === 0 ? a : b;
      await expectAwsError(() => confirm(server, 'carol', wrong[i] as string), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    }
    await expectAwsError(() => confirm(b, 'carol', code), 'LimitExceededException', ATTEMPT_LIMIT);
    await expectAwsError(() => confirm(a, 'carol', code), 'LimitExceededException', ATTEMPT_LIMIT);
    // The password did not change.
    const signedIn = await signIn(a, 'carol', PASSWORD);
    assert.ok(signedIn.AuthenticationResult?.AccessToken);
  });

  it('ConfirmForgotPassword: 12 wrong codes sent at once to both servers get at most 5 comparisons', async () => {
    await user('dave');
    await a.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'dave' }));
    const code = await latestCode('dave');
    const outcomes = await Promise.allSettled(wrongCodes(code).slice(0, 12).map((guess, i) => confirm(i % 2 === 0 ? a : b, 'dave', guess)));
    const names = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).name : 'OK'));
    assert.equal(names.filter((n) => n === 'CodeMismatchException').length, 5, names.join(', '));
    assert.equal(names.filter((n) => n === 'LimitExceededException').length, 7, names.join(', '));
    await expectAwsError(() => confirm(a, 'dave', code), 'LimitExceededException', ATTEMPT_LIMIT);
  });

  it('ForgotPassword: code requests share the hourly budget across both servers', async () => {
    await user('erin');
    for (let i = 0; i < 5; i++) await (i % 2 === 0 ? a : b).client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'erin' }));
    await expectAwsError(() => b.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'erin' })), 'LimitExceededException', ATTEMPT_LIMIT);
    await expectAwsError(() => a.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'erin' })), 'LimitExceededException', ATTEMPT_LIMIT);
  });

  it('sign-in: 5 wrong passwords over both servers, then the right one is refused until the lockout passes', async () => {
    await user('frank');
    for (let i = 0; i < 5; i++) {
      const server = i % 2 === 0 ? a : b;
      await expectAwsError(() => signIn(server, 'frank', `Wrong-Guess-${i}`), 'NotAuthorizedException', 'Incorrect username or password.');
    }
    // The sixth attempt comes within the first lockout (1 s) of the fifth failure.
    await expectAwsError(() => signIn(b, 'frank', PASSWORD), 'NotAuthorizedException', 'Password attempts exceeded');
    await expectAwsError(() => signIn(a, 'frank', PASSWORD), 'NotAuthorizedException', 'Password attempts exceeded');
    await sleep(1100);
    const signedIn = await signIn(a, 'frank', PASSWORD);
    assert.ok(signedIn.AuthenticationResult?.AccessToken, 'the lockout is temporary, as in Cognito');
  });
});
