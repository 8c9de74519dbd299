import {
  AdminAddUserToGroupCommand,
  AdminDeleteUserCommand,
  CreateGroupCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { consoleEnabled } from '../src/http/console/console-routes.js';
import { createConsoleAccess } from '../src/http/console/console-access.js';
import { defaultConfig } from '../src/kernel/config.js';
import type { RouteRequest } from '../src/http/routes/route.js';
import { createConfirmedUser, createInvitedUser, createPoolWithClient } from './support/fixtures.js';
import { startServer, type TestServer } from './support/server.js';
import { messagesFor } from './support/outbox.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';
import { until } from './support/until.js';

/**
 * The admin console in a real browser: Debian's Chromium driven by playwright-core (no browser
 * download). The page calls the API like any client, so these tests check what an administrator
 * sees and can do, in open mode and with developer credentials.
 */

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install -y chromium): the console tests need a real browser`;
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(import.meta.dirname, '..', 'docs', 'screenshots') : undefined;
const ACCOUNT = '000000000000';
const poolArn = (id: string) => `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${id}`;
const key = (name: string) => ({ accessKeyId: `AKIA${name.toUpperCase().padEnd(16, '0')}`, secretAccessKey: `${name}-secret-0123456789abcdefghijklmnopqrst` });

async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

async function shot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS === undefined) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `console-${name}.png`), fullPage: true });
}

/** Presses Tab until the focused element is the one `selector` finds: proof it is reachable by keyboard. */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  const target = page.locator(selector).first();
  await target.waitFor();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el.ownerDocument.activeElement === el)) return;
  }
  assert.fail(`${selector} was not reached with ${max} presses of Tab`);
}

/** The text of the error box that matches `expected` once it shows (the previous page's box may linger while the next loads). */
async function alertText(page: Page, expected: string | RegExp): Promise<string> {
  const box = page.locator('.error', { hasText: expected }).first();
  await box.waitFor();
  return (await box.innerText()).replace(/\s*Use another key$/, '');
}

describe('admin console, open mode', { skip }, () => {
  let server: TestServer;
  let smtp: TestSmtp;
  let browser: Browser;
  let page: Page;
  let poolId: string;
  let clientId: string;

  before(async () => {
    smtp = await startSmtp();
    server = await startServer({ config: { smtpUrl: smtp.url } });
    server.clock.set(Date.now());
    ({ poolId, clientId } = await createPoolWithClient(server.client, { PoolName: 'shop', AutoVerifiedAttributes: ['email'] }, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
    await createConfirmedUser(server.client, poolId, 'ann', { password: 'Passw0rd!x', attributes: [{ Name: 'email', Value: 'ann@example.com' }, { Name: 'email_verified', Value: 'true' }] });
    await createConfirmedUser(server.client, poolId, 'bob', { password: 'Passw0rd!x', attributes: [{ Name: 'email', Value: 'bob@example.com' }, { Name: 'email_verified', Value: 'true' }] });
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    page.on('dialog', (dialog) => void dialog.accept());
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  it('resets a password by keyboard alone, shows the status and the message, and the mailed code completes the reset', async () => {
    await page.goto(`${server.url}/_console`);
    await page.getByRole('heading', { name: 'User pools' }).waitFor();
    await shot(page, 'pools');

    await tabTo(page, 'main a:text-is("shop")');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Pool shop' }).waitFor();
    await tabTo(page, '#user-filter');
    await page.keyboard.type('email ^= "ann"');
    await page.keyboard.press('Enter');
    // The unfiltered table shows ann too, and stays until the hash change renders the filtered
    // one: wait for bob to go first, or a slow machine checks the old table.
    await page.getByRole('table').getByText('bob@example.com').waitFor({ state: 'detached' });
    await page.getByRole('table').getByText('ann@example.com').waitFor();
    assert.equal(await page.getByRole('table').locator('tbody tr').count(), 1, 'the filter leaves ann only');
    await shot(page, 'users');

    await tabTo(page, 'main table a:text-is("ann")');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'User ann' }).waitFor();
    assert.equal(await page.locator('#user-status').innerText(), 'CONFIRMED');
    await tabTo(page, 'button:text-is("Reset password")');
    await page.keyboard.press('Enter');

    const flash = page.locator('#flash');
    await flash.waitFor();
    assert.match(await flash.innerText(), /Password reset for ann/);
    assert.match(await flash.innerText(), /ForgotPassword by EMAIL to ann@example\.com/);
    assert.equal(await page.locator('#user-status').innerText(), 'RESET_REQUIRED');
    assert.ok(await flash.evaluate((el) => el.ownerDocument.activeElement === el), 'focus moves to the result');
    await shot(page, 'user');

    const got = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ann' }));
    assert.equal(got.UserStatus, 'RESET_REQUIRED');

    // The outbox shows the message with its delivery state; no codes without --dev-messages.
    await smtp.waitFor(() => smtp.messages.some((m) => m.envelope.to.includes('ann@example.com')));
    // The test SMTP server keeps the mail before it answers 250; the outbox says delivered only
    // once the server has that answer and has recorded it.
    await until('the mail to ann to be recorded as delivered', async () => (await messagesFor(server, poolId, 'ann')).at(-1)?.state === 'delivered');
    await page.goto(`${server.url}/_console#/outbox?pool=${poolId}`);
    await page.getByRole('heading', { name: 'Outbox' }).waitFor();
    const row = page.locator('tbody tr', { hasText: 'ann@example.com' });
    await row.waitFor();
    assert.match(await row.innerText(), /ForgotPassword/);
    assert.match(await row.innerText(), /delivered/);
    assert.equal(await page.locator('th:text-is("Code")').count(), 0);
    await shot(page, 'outbox');

    const mail = smtp.messages.find((m) => m.envelope.to.includes('ann@example.com'));
    const code = /\b\d{6}\b/.exec(mail?.text ?? '')?.[0];
    assert.ok(code, 'the mail carries a code');
    await server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'ann', ConfirmationCode: code, Password: 'N3wPassw0rd!' }));
    const signedIn = await server.client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ann', PASSWORD: 'N3wPassw0rd!' } }),
    );
    assert.ok(signedIn.AuthenticationResult?.AccessToken);
  });

  it('shows the audit log filtered by operation', async () => {
    await page.goto(`${server.url}/_console#/audit?pool=${poolId}&operation=AdminResetUserPassword`);
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const rows = page.locator('tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), /AdminResetUserPassword\s+OK \(200\)/);
    await shot(page, 'audit');
  });

  it('creates an app client and shows its secret once', async () => {
    await page.goto(`${server.url}/_console#/pools/${poolId}/clients`);
    await page.getByLabel('Client name').fill('backend');
    await page.getByLabel('Generate a client secret').check();
    await page.getByRole('button', { name: 'Create app client' }).click();
    const secret = page.locator('#client-secret');
    await secret.waitFor();
    assert.match(await secret.innerText(), /^[a-z0-9]{40,}$/i);
    await page.getByRole('table').getByText('backend').waitFor();
    await page.reload();
    await page.getByRole('table').getByText('backend').waitFor();
    assert.equal(await page.locator('#client-secret').count(), 0, 'the secret is not shown again');
  });

  it('creates, inspects and deletes a pool, and disables, signs out and deletes a user', async () => {
    await page.goto(`${server.url}/_console#/pools`);
    await page.getByLabel('Pool name').fill('scratch');
    await page.getByRole('button', { name: 'Create pool' }).click();
    await page.getByRole('heading', { name: 'Pool scratch' }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.locator('pre').getByText('"AutoVerifiedAttributes"').waitFor();
    await page.getByRole('button', { name: 'Delete pool' }).click();
    await page.getByRole('heading', { name: 'User pools' }).waitFor();
    assert.match(await page.locator('#flash').innerText(), /Pool scratch deleted/);
    assert.equal(await page.locator('main table a:text-is("scratch")').count(), 0);

    await server.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'staff' }));
    await server.client.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'bob', GroupName: 'staff' }));
    await page.goto(`${server.url}/_console#/pools/${poolId}/users/bob`);
    await page.locator('#user-groups').getByText('staff').waitFor();
    await page.getByRole('button', { name: 'Disable user' }).click();
    await page.getByRole('button', { name: 'Enable user' }).waitFor();
    assert.equal(await page.locator('#user-enabled').innerText(), 'no');
    await page.getByRole('button', { name: 'Enable user' }).click();
    await page.getByRole('button', { name: 'Disable user' }).waitFor();
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.locator('#flash').getByText('signed out everywhere').waitFor();
    await page.getByLabel('New password').fill('An0ther!pass');
    await page.getByLabel('Permanent').check();
    await page.getByRole('button', { name: 'Set password', exact: true }).click();
    await page.locator('#flash').getByText('Password set for bob (permanent)').waitFor();
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Set password', exact: true }).click();
    assert.match(await alertText(page, 'InvalidPasswordException'), /^InvalidPasswordException: /);
    await page.getByRole('button', { name: 'Delete user' }).click();
    await page.locator('#flash').getByText('User bob deleted.').waitFor();
  });

  it('pages through the users, twenty at a time', async () => {
    const { poolId: big } = await createPoolWithClient(server.client, { PoolName: 'big' });
    for (let i = 0; i < 21; i++) await createInvitedUser(server.client, big, `user${String(i).padStart(2, '0')}`);
    await page.goto(`${server.url}/_console#/pools/${big}`);
    await page.getByText('20 users of big').waitFor();
    assert.equal(await page.locator('tbody tr').count(), 20);
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.getByText('1 user of big').waitFor();
    assert.equal(await page.locator('tbody tr').count(), 1);
    assert.equal(await page.getByRole('link', { name: 'Next page' }).count(), 0);
  });

  it('answers bad input with a readable error, never a blank page', async () => {
    await page.goto(`${server.url}/_console#/pools/us-east-1_Missing1`);
    assert.equal(await alertText(page, 'ResourceNotFound'), 'ResourceNotFoundException: User pool us-east-1_Missing1 does not exist.');
    await createConfirmedUser(server.client, poolId, 'gone', { password: 'Passw0rd!x' });
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'gone' }));
    await page.goto(`${server.url}/_console#/pools/${poolId}/users/gone`);
    assert.equal(await alertText(page, 'UserNotFound'), 'UserNotFoundException: User does not exist.');
    await page.goto(`${server.url}/_console#/pools/${poolId}?filter=${encodeURIComponent('email ^^ "x"')}`);
    assert.equal(await alertText(page, 'filter'), 'InvalidParameterException: Error while parsing filter.');
    await page.goto(`${server.url}/_console#/pools/%E0%A4%A`);
    assert.match(await alertText(page, 'BadAddress'), /^BadAddress: .*malformed percent-encoding/);
    await page.goto(`${server.url}/_console#/outbox?limit=lots`);
    assert.equal(await alertText(page, 'limit'), 'InvalidParameterException: limit must be a whole number from 1 to 500, not "lots".');
    await page.goto(`${server.url}/_console#/audit?operation=DropTables`);
    assert.match(await alertText(page, 'operation must'), /^InvalidParameterException: operation must name an operation of the API/);
    await page.goto(`${server.url}/_console#/nowhere`);
    assert.match(await alertText(page, 'NotFound'), /^NotFound: The console has no page/);

    const res = await fetch(`${server.url}/_console/api/messages?pool=x&pool=y`);
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { __type: 'InvalidParameterException', message: 'Query parameter "pool" is given more than once.' });
    const unknown = await fetch(`${server.url}/_console/api/audit?user=ann`);
    assert.equal(unknown.status, 400);
    assert.match(((await unknown.json()) as { message: string }).message, /^Unknown query parameter "user"/);
  });
});

describe('admin console, development mode', { skip }, () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startServer({ config: { devMessages: true } });
    server.clock.set(Date.now());
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the code of the reset message (open mode with --dev-messages)', async () => {
    const { poolId } = await createPoolWithClient(server.client, { PoolName: 'dev', AutoVerifiedAttributes: ['email'] });
    await createConfirmedUser(server.client, poolId, 'cat', { password: 'Passw0rd!x' });
    const page = await browser.newPage();
    await page.goto(`${server.url}/_console#/pools/${poolId}/users/cat`);
    await page.getByRole('button', { name: 'Reset password' }).click();
    const flash = page.locator('#flash');
    await flash.waitFor();
    assert.match(await flash.innerText(), /Code \(development mode\): \d{6}/);
    await page.goto(`${server.url}/_console#/outbox`);
    await page.locator('th:text-is("Code")').waitFor();
    assert.match(await page.locator('tbody tr').first().innerText(), /\b\d{6}\b/);
  });
});

describe('admin console with developer credentials', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let dir: string;
  let poolId: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'userpoold-console-'));
    const principals = [
      { name: 'admin', ...key('admin'), policy: { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:*', Resource: '*' }] } },
      { name: 'lister', ...key('lister'), policy: { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:ListUserPools', Resource: '*' }] } },
    ];
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify({ principals }));
    server = await startServer({ config: { credentialsFile: join(dir, 'credentials.json'), devMessages: true } });
    server.clock.set(Date.now());
    const admin = new CognitoIdentityProviderClient({ endpoint: server.url, region: 'us-east-1', credentials: key('admin'), maxAttempts: 1 });
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'secure', AutoVerifiedAttributes: ['email'] }))).UserPool?.Id as string;
    await createConfirmedUser(admin, poolId, 'dan', { password: 'Passw0rd!x' });
    admin.destroy();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function useKey(page: Page, name: string, secret = key(name).secretAccessKey): Promise<void> {
    await page.goto(`${server.url}/_console#/key`);
    await page.getByLabel('Access key id').fill(key(name).accessKeyId);
    await page.getByLabel('Secret access key').fill(secret);
    await page.getByRole('button', { name: 'Use this key' }).click();
  }

  it('refuses without a key: the page asks for one and the data routes want a signature', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/_console`);
    await page.getByRole('heading', { name: 'Developer key' }).waitFor();
    assert.match(await page.locator('main').innerText(), /This server requires developer credentials/);
    await shot(page, 'key');
    for (const view of ['messages', 'audit']) {
      const res = await fetch(`${server.url}/_console/api/${view}`);
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    }
    const api = await server.raw('ListUserPools', { MaxResults: 10 });
    assert.equal(api.body.__type, 'MissingAuthenticationTokenException');
    await page.close();
  });

  it('works with a key whose policy allows it, and never shows codes', async () => {
    const page = await browser.newPage();
    await useKey(page, 'admin');
    await page.getByRole('link', { name: 'secure' }).click();
    await page.getByRole('link', { name: 'dan' }).click();
    await page.getByRole('button', { name: 'Reset password' }).click();
    const flash = page.locator('#flash');
    await flash.waitFor();
    assert.match(await flash.innerText(), /ForgotPassword by EMAIL to dan@example\.com/);
    assert.doesNotMatch(await flash.innerText(), /Code/);
    assert.equal(await page.locator('#user-status').innerText(), 'RESET_REQUIRED');
    await page.goto(`${server.url}/_console#/outbox?pool=${poolId}`);
    await page.locator('tbody tr', { hasText: 'dan@example.com' }).waitFor();
    assert.equal(await page.locator('th:text-is("Code")').count(), 0, 'no codes once credentials exist, even with --dev-messages');
    await page.goto(`${server.url}/_console#/audit?pool=${poolId}&operation=AdminResetUserPassword`);
    const row = page.locator('tbody tr').first();
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`arn:aws:iam::${ACCOUNT}:user/admin`));
    await page.close();
  });

  it("shows the AccessDenied of a key whose policy does not allow it, and a wrong secret's signature error", async () => {
    const page = await browser.newPage();
    await useKey(page, 'lister');
    await page.getByRole('link', { name: 'secure' }).click();
    const denied = `AccessDeniedException: User: arn:aws:iam::${ACCOUNT}:user/lister is not authorized to perform: cognito-idp:DescribeUserPool on resource: ${poolArn(poolId)}`;
    assert.equal(await alertText(page, 'DescribeUserPool'), denied);
    await shot(page, 'denied');
    await page.goto(`${server.url}/_console#/outbox?pool=${poolId}`);
    assert.equal(
      await alertText(page, 'ListUsers'),
      `AccessDeniedException: User: arn:aws:iam::${ACCOUNT}:user/lister is not authorized to perform: cognito-idp:ListUsers on resource: ${poolArn(poolId)}`,
    );
    await page.goto(`${server.url}/_console#/audit`);
    assert.match(await alertText(page, 'resource: *'), /not authorized to perform: cognito-idp:ListUsers on resource: \*$/);

    await useKey(page, 'admin', 'not-the-secret');
    assert.match(await alertText(page, 'InvalidSignature'), /^InvalidSignatureException: The request signature we calculated does not match/);
    await page.close();
  });
});

/** A GET of a console data route signed by @smithy/signature-v4 (the SDKs' signer), to check the server side without a browser. */
async function signedGet(server: TestServer, path: string, query: Record<string, string>, signer: { accessKeyId: string; secretAccessKey: string }, target = 'ListUsers') {
  const url = new URL(server.url);
  const v4 = new SignatureV4({ service: 'cognito-idp', region: 'us-east-1', credentials: signer, sha256: Hash.bind(null, 'sha256') });
  const signed = await v4.sign(
    { method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query, headers: { host: url.host, 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` } },
    { signingDate: new Date(server.clock.nowMs()) },
  );
  const res = await fetch(`${server.url}${path}?${new URLSearchParams(query).toString()}`, { headers: signed.headers as Record<string, string> });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('console routes (no browser)', () => {
  it('is on by default on loopback only, and says how to turn it on when off', async () => {
    const config = defaultConfig();
    assert.equal(consoleEnabled({ ...config, host: '127.0.0.1' }), true);
    assert.equal(consoleEnabled({ ...config, host: '::1' }), true);
    assert.equal(consoleEnabled({ ...config, host: '0.0.0.0' }), false);
    assert.equal(consoleEnabled({ ...config, host: '0.0.0.0', console: 'on' }), true);
    assert.equal(consoleEnabled({ ...config, host: '127.0.0.1', console: 'off' }), false);
    const server = await startServer({ config: { console: 'off' } });
    try {
      const res = await fetch(`${server.url}/_console`);
      assert.equal(res.status, 404);
      assert.match(((await res.json()) as { message: string }).message, /The console is off: .*--console on/);
      assert.equal((await fetch(`${server.url}/_console/api/messages`)).status, 404);
    } finally {
      await server.close();
    }
  });

  it('serves the page with a strict content security policy, and its configuration', async () => {
    const server = await startServer({ config: { devMessages: true } });
    try {
      const page = await fetch(`${server.url}/_console`);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'; .*frame-ancestors 'none'/);
      assert.match(await page.text(), /<script src="\/_console\/console.js" defer>/);
      const script = await fetch(`${server.url}/_console/console.js`);
      assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.equal(page.headers.get('access-control-allow-origin'), null);
      const slash = await fetch(`${server.url}/_console/`, { redirect: 'manual' });
      assert.equal(slash.status, 302);
      assert.equal(slash.headers.get('location'), '/_console');
      const config = await (await fetch(`${server.url}/_console/config.json`)).json();
      assert.deepEqual(config, { region: 'us-east-1', credentials: false, codes: true, serverTime: server.clock.nowMs() });
    } finally {
      await server.close();
    }
  });

  it('in open mode, serves its data to loopback clients only', async () => {
    const server = await startServer();
    try {
      const authorize = await createConsoleAccess({ ...server.app.deps, isOpen: async () => true });
      const request = (sourceIp: string) => ({ ctx: { sourceIp }, query: new URLSearchParams(), headers: {}, method: 'GET', path: '/_console/api/audit' }) as unknown as RouteRequest;
      assert.deepEqual(await authorize(request('127.0.0.1'), undefined), { open: true });
      await assert.rejects(authorize(request('192.0.2.7'), undefined), { name: 'AccessDeniedException', message: /loopback\) only/ });
    } finally {
      await server.close();
    }
  });

  it('with credentials, reads by a SigV4 signature whose key may ListUsers on the pool', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'userpoold-console-'));
    const principals = [
      { name: 'admin', ...key('admin'), policy: { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:*', Resource: '*' }] } },
      { name: 'pooler', ...key('pooler'), policy: { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:ListUsers', Resource: poolArn('us-east-1_Abc') }] } },
    ];
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify({ principals }));
    const server = await startServer({ config: { credentialsFile: join(dir, 'credentials.json'), devMessages: true } });
    try {
      const ok = await signedGet(server, '/_console/api/messages', { pool: 'us-east-1_Abc', user: 'a b+c', limit: '5' }, key('pooler'));
      assert.deepEqual(ok, { status: 200, body: { codes: false, messages: [] } });
      const everywhere = await signedGet(server, '/_console/api/audit', {}, key('pooler'));
      assert.deepEqual(everywhere.body, {
        __type: 'AccessDeniedException',
        message: `User: arn:aws:iam::${ACCOUNT}:user/pooler is not authorized to perform: cognito-idp:ListUsers on resource: *`,
      });
      assert.equal((await signedGet(server, '/_console/api/audit', {}, key('admin'))).status, 200);
      const otherTarget = await signedGet(server, '/_console/api/audit', {}, key('admin'), 'ListUserPools');
      assert.equal(otherTarget.body.__type, 'InvalidParameterException');
      const forged = await signedGet(server, '/_console/api/audit', {}, { ...key('admin'), secretAccessKey: 'wrong' });
      assert.equal(forged.body.__type, 'InvalidSignatureException');
      const stranger = await signedGet(server, '/_console/api/audit', {}, key('nobody'));
      assert.deepEqual(stranger.body, { __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
