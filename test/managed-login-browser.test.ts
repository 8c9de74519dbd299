import {
  AdminResetUserPasswordCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  CreateTermsCommand,
  InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { createConfirmedUser, createInvitedUser } from './support/fixtures.js';
import { CALLBACK, authorizeUrl, catchCallbacks, chromiumMissing, exchange, launchChromium, mailedCode, oauthPool, pkce, screenshot, type OAuthPool } from './support/managed-login.js';
import { startServer, type TestServer } from './support/server.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';
import { authenticatorCode } from './support/totp.js';

const skip = chromiumMissing('managed login browser tests');
const PASSWORD = 'Correct-Horse-1';
const DEVELOPER_EMAIL = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com' };

/**
 * The managed login pages in headless Chromium with script off, every code read from mail a real
 * SMTP server received: sign-up with confirmation, the reset of a RESET_REQUIRED user, a new
 * password followed by MFA setup of an authenticator app, the authenticator's code, the choice
 * between factors with an emailed code, email MFA setup chosen over an authenticator, and the
 * implicit grant. Run with USERPOOLD_SCREENSHOTS
 * set (scripts/screenshots-managed-login.ts) it also photographs each page for docs/.
 */
describe('managed login pages in a real browser', { skip }, () => {
  let server: TestServer;
  let smtp: TestSmtp;
  let browser: Browser;
  let plain: OAuthPool;

  before(async () => {
    smtp = await startSmtp();
    server = await startServer({ config: { smtpUrl: smtp.url } });
    plain = await oauthPool(
      server,
      'pages-tests',
      { PoolName: 'Example Pages', AutoVerifiedAttributes: ['email'], EmailConfiguration: DEVELOPER_EMAIL, Schema: [{ Name: 'given_name', Required: true, Mutable: true, AttributeDataType: 'String' }] },
      { AllowedOAuthFlows: ['code', 'implicit'] },
    );
    for (const [name, link] of [['terms-of-use', 'https://app.example/terms'], ['privacy-policy', 'https://app.example/privacy']] as const) {
      await server.client.send(new CreateTermsCommand({ UserPoolId: plain.poolId, ClientId: plain.clientId, TermsName: name, TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': link } }));
    }
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  /** A fresh browser without script, whose callbacks are caught. */
  async function open(): Promise<{ page: Page; callbacks: string[]; close: () => Promise<void> }> {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 520, height: 720 } });
    const page = await context.newPage();
    const callbacks = await catchCallbacks(page);
    return { page, callbacks, close: () => context.close() };
  }

  async function backAtApp(page: Page, callbacks: string[]): Promise<URL> {
    await page.waitForURL(/^https:\/\/app\.example\/callback/);
    assert.ok(callbacks.length > 0, 'the app was reached');
    // The page's URL, not the request's: a fragment never leaves the browser.
    const url = new URL(page.url());
    assert.equal(`${url.origin}${url.pathname}`, CALLBACK);
    assert.equal(url.searchParams.get('state') ?? new URLSearchParams(url.hash.slice(1)).get('state'), 'st-1');
    return url;
  }

  async function verifiedId(pool: OAuthPool, idToken: string) {
    const jwks = createRemoteJWKSet(new URL(`${pool.base}/.well-known/jwks.json`));
    return (await jwtVerify(idToken, jwks, { issuer: pool.base, audience: pool.clientId, currentDate: new Date(server.clock.nowMs()) })).payload;
  }

  it('signs up with the required attributes and the terms, confirms with the mailed code, and is back at the app signed in', async () => {
    const { page, callbacks, close } = await open();
    const { verifier, challenge } = pkce();
    await page.goto(authorizeUrl(plain, { code_challenge: challenge, code_challenge_method: 'S256' }));
    await screenshot(page, 'sign-in');
    await page.getByRole('link', { name: 'Sign up' }).click();
    assert.equal(await page.getByRole('heading').textContent(), 'Sign up');
    assert.equal(await page.getByRole('link', { name: 'Terms of use' }).getAttribute('href'), 'https://app.example/terms');
    assert.equal(await page.getByRole('link', { name: 'Privacy policy' }).getAttribute('href'), 'https://app.example/privacy');
    // Keyboard order follows the form: every field, the terms links, then the button.
    await page.getByLabel('Username').focus();
    const order: string[] = [];
    for (let k = 0; k < 6; k++) {
      const focused = page.locator(':focus');
      order.push((await focused.getAttribute('id')) ?? (await focused.textContent()) ?? '?');
      await page.keyboard.press('Tab');
    }
    assert.deepEqual(order, ['username', 'password', 'attribute.given_name', 'attribute.email', 'Terms of use', 'Privacy policy']);
    assert.equal(await page.locator(':focus').textContent(), 'Sign up');
    await page.getByLabel('Username').fill('erin');
    await page.getByLabel('Password', { exact: true }).fill('weak');
    await page.getByLabel('Given name').fill('Erin');
    await page.getByLabel('Email (optional)').fill('erin@example.com');
    await screenshot(page, 'sign-up');
    await page.getByRole('button', { name: 'Sign up' }).click();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /^Password did not conform with policy: Password not long enough$/);
    // What was typed stays, but the password.
    assert.equal(await page.getByLabel('Given name').inputValue(), 'Erin');
    await page.getByLabel('Password', { exact: true }).fill('Erin-Horse-123');
    await page.getByRole('button', { name: 'Sign up' }).click();

    assert.equal(await page.getByRole('heading').textContent(), 'Confirm your account');
    assert.match((await page.getByRole('status').textContent()) ?? '', /We sent a confirmation code in an email to e\*\*\*@e\*\*\*/);
    const code = await mailedCode(smtp, 'erin@example.com', 1);
    await page.getByLabel('Confirmation code').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Confirm account' }).click();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /Invalid verification code provided, please try again\./);
    await screenshot(page, 'confirm');
    await page.getByLabel('Confirmation code').fill(code);
    await page.getByRole('button', { name: 'Confirm account' }).click();

    // As AWS's hosted UI: the confirmed user is signed in and sent back to the app, no second sign-in.
    const back = await backAtApp(page, callbacks);
    const tokens = await exchange(plain, back.searchParams.get('code') as string, verifier);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const id = await verifiedId(plain, tokens.body.id_token as string);
    assert.equal(id['cognito:username'], 'erin');
    assert.equal(id.given_name, 'Erin');
    assert.equal(id.email_verified, true);
    await close();
  });

  it('takes a RESET_REQUIRED user through the reset on the pages with the mailed code, then to the app', async () => {
    await createConfirmedUser(server.client, plain.poolId, 'fay', { password: PASSWORD, attributes: [{ Name: 'email', Value: 'fay@example.com' }, { Name: 'email_verified', Value: 'true' }, { Name: 'given_name', Value: 'Fay' }] });
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: plain.poolId, Username: 'fay' }));
    await mailedCode(smtp, 'fay@example.com', 1);
    const { page, callbacks, close } = await open();
    await page.goto(authorizeUrl(plain));
    await page.getByLabel('Username').fill('fay');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.equal(await page.getByRole('heading').textContent(), 'Reset your password');
    assert.match((await page.getByRole('status').textContent()) ?? '', /must be reset/);
    await screenshot(page, 'forgot-password');
    assert.equal(await page.getByLabel('Username').inputValue(), 'fay');
    await page.getByRole('button', { name: 'Send a code' }).click();
    assert.equal(await page.getByRole('heading').textContent(), 'Enter the code');
    const code = await mailedCode(smtp, 'fay@example.com', 2);
    await page.getByLabel('Code').fill(code);
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Reset password' }).click();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /Password did not conform with policy/);
    await screenshot(page, 'reset-with-code');
    await page.getByLabel('Code').fill(code);
    await page.getByLabel('New password').fill('Fay-Reset-123');
    await page.getByRole('button', { name: 'Reset password' }).click();
    assert.match((await page.getByRole('status').textContent()) ?? '', /Your password has been changed/);
    await page.getByLabel('Username').fill('fay');
    await page.getByLabel('Password').fill('Fay-Reset-123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const back = await backAtApp(page, callbacks);
    assert.equal((await exchange(plain, back.searchParams.get('code') as string)).status, 200);
    await close();
  });

  it('gives the implicit grant its tokens in the fragment, with no refresh token, where the client allows it', async () => {
    await createConfirmedUser(server.client, plain.poolId, 'gus', { password: PASSWORD, attributes: [{ Name: 'email', Value: 'gus@example.com' }, { Name: 'given_name', Value: 'Gus' }] });
    const { page, callbacks, close } = await open();
    await page.goto(authorizeUrl(plain, { response_type: 'token', nonce: 'n-implicit' }));
    await page.getByLabel('Username').fill('gus');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const back = await backAtApp(page, callbacks);
    assert.equal(back.search, '');
    const fragment = new URLSearchParams(back.hash.slice(1));
    assert.equal(fragment.get('token_type'), 'Bearer');
    assert.equal(fragment.get('expires_in'), '3600');
    assert.equal(fragment.get('refresh_token'), null);
    assert.equal(fragment.get('code'), null);
    const id = await verifiedId(plain, fragment.get('id_token') as string);
    assert.equal(id.nonce, 'n-implicit');
    assert.equal(decodeJwt(fragment.get('access_token') as string).scope, 'openid email');
    const info = await fetch(`${plain.base}/oauth2/userInfo`, { headers: { Authorization: `Bearer ${fragment.get('access_token')}` } });
    assert.equal(info.status, 200);
    assert.equal(((await info.json()) as Record<string, string>).email, 'gus@example.com');
    // The session cookie answers the next implicit request without the form (asked outside the
    // browser: Chromium's request interception loses a GET redirect whose target has a fragment).
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const silent = await fetch(authorizeUrl(plain, { response_type: 'token', scope: 'openid' }), { redirect: 'manual', headers: { Cookie: cookie } });
    assert.equal(silent.status, 302);
    const again = new URL(silent.headers.get('location') as string);
    assert.equal(again.searchParams.size, 0);
    const fragmentAgain = new URLSearchParams(again.hash.slice(1));
    assert.equal(decodeJwt(fragmentAgain.get('access_token') as string).scope, 'openid');
    assert.ok(fragmentAgain.get('id_token'));
    assert.equal(fragmentAgain.get('refresh_token'), null);
    assert.equal(fragmentAgain.get('state'), 'st-1');
    await close();
  });

  describe('MFA on the pages', () => {
    let totpPool: OAuthPool;
    let choicePool: OAuthPool;
    let setupPool: OAuthPool;
    before(async () => {
      setupPool = await oauthPool(server, 'mfa-setup-tests', { PoolName: 'Example Setup', EmailConfiguration: DEVELOPER_EMAIL });
      await server.client.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: setupPool.poolId,
          MfaConfiguration: 'ON',
          SoftwareTokenMfaConfiguration: { Enabled: true },
          EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' },
        }),
      );
      totpPool = await oauthPool(server, 'mfa-on-tests', { PoolName: 'Example MFA', EmailConfiguration: DEVELOPER_EMAIL });
      await server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: totpPool.poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      choicePool = await oauthPool(server, 'mfa-choice-tests', { PoolName: 'Example Choice', EmailConfiguration: DEVELOPER_EMAIL });
      await server.client.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: choicePool.poolId,
          MfaConfiguration: 'OPTIONAL',
          SoftwareTokenMfaConfiguration: { Enabled: true },
          EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' },
        }),
      );
    });

    it('takes an invited user through the new password, then the authenticator setup (secret and otpauth URI), then the code at the next sign-in', async () => {
      await createInvitedUser(server.client, totpPool.poolId, 'hal', { temporaryPassword: 'Temp-Pass-123', attributes: [{ Name: 'email', Value: 'hal@example.com' }] });
      const first = await open();
      const { page } = first;
      await page.goto(authorizeUrl(totpPool));
      await page.getByLabel('Username').fill('hal');
      await page.getByLabel('Password').fill('Temp-Pass-123');
      await page.getByRole('button', { name: 'Sign in' }).click();
      assert.equal(await page.getByRole('heading').textContent(), 'Change your password');
      await screenshot(page, 'new-password');
      await page.getByLabel('New password').fill('Hal-Horse-1234');
      await page.getByRole('button', { name: 'Change password' }).click();

      assert.equal(await page.getByRole('heading').textContent(), 'Set up your authenticator app');
      const secret = ((await page.locator('#totp-secret').textContent()) ?? '').trim();
      assert.match(secret, /^[A-Z2-7]{16,}$/);
      const uri = new URL((await page.locator('#totp-uri').getAttribute('href')) as string);
      assert.equal(uri.protocol, 'otpauth:');
      assert.equal(uri.searchParams.get('secret'), secret);
      assert.equal(uri.searchParams.get('issuer'), 'Example MFA');
      await screenshot(page, 'mfa-setup');
      await page.getByLabel('Code from the app').fill('12345');
      await page.getByRole('button', { name: 'Verify' }).click();
      assert.match((await page.getByRole('alert').textContent()) ?? '', /6-digit code/);
      const wrong = authenticatorCode(secret, server.clock.nowMs() + 5 * 60_000);
      await page.getByLabel('Code from the app').fill(wrong);
      await page.getByRole('button', { name: 'Verify' }).click();
      assert.match((await page.getByRole('alert').textContent()) ?? '', /Code mismatch/);
      await page.getByLabel('Code from the app').fill(authenticatorCode(secret, server.clock.nowMs()));
      await page.getByLabel('Name of this authenticator (optional)').fill('phone');
      await page.getByRole('button', { name: 'Verify' }).click();
      const back = await backAtApp(page, first.callbacks);
      assert.equal((await exchange(totpPool, back.searchParams.get('code') as string)).status, 200);
      await first.close();

      // The next sign-in asks for the authenticator's code (a code is good once: the next step's).
      server.clock.advance(30_000);
      const second = await open();
      await second.page.goto(authorizeUrl(totpPool));
      await second.page.getByLabel('Username').fill('hal');
      await second.page.getByLabel('Password').fill('Hal-Horse-1234');
      await second.page.getByRole('button', { name: 'Sign in' }).click();
      assert.equal(await second.page.getByRole('heading').textContent(), 'Enter your sign-in code');
      await second.page.getByLabel('Code').fill(authenticatorCode(secret, server.clock.nowMs() + 10 * 60_000));
      await second.page.getByRole('button', { name: 'Sign in' }).click();
      assert.equal(await second.page.getByRole('alert').textContent(), 'Invalid code or auth state for the user.');
      await screenshot(second.page, 'mfa-code');
      await second.page.getByLabel('Code').fill(authenticatorCode(secret, server.clock.nowMs()));
      await second.page.getByRole('button', { name: 'Sign in' }).click();
      await backAtApp(second.page, second.callbacks);
      await second.close();
    });

    it('lets a user who must set up MFA choose email, enter an address, and sign in with the code mailed to it', async () => {
      await createConfirmedUser(server.client, setupPool.poolId, 'jan', { password: PASSWORD, attributes: [] });
      const { page, callbacks, close } = await open();
      const { verifier, challenge } = pkce();
      await page.goto(authorizeUrl(setupPool, { code_challenge: challenge, code_challenge_method: 'S256' }));
      await page.getByLabel('Username').fill('jan');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      assert.equal(await page.getByRole('heading').textContent(), 'Set up multi-factor authentication');
      assert.equal(await page.getByLabel('Authenticator app').isChecked(), true);
      await screenshot(page, 'mfa-setup-choice');
      await page.getByLabel('Email').check();
      await page.getByRole('button', { name: 'Continue' }).click();

      assert.equal(await page.getByRole('heading').textContent(), 'Set up email MFA');
      // The browser's own check of the address: a type=email field refuses this before it is sent.
      await page.getByLabel('Email address').fill('jan-at-example');
      await page.getByRole('button', { name: 'Send a code' }).click();
      assert.equal(await page.getByRole('heading').textContent(), 'Set up email MFA');
      assert.equal(await page.locator('input#email:invalid').count(), 1);
      await page.getByLabel('Email address').fill('jan@example.com');
      await screenshot(page, 'mfa-setup-email');
      await page.getByRole('button', { name: 'Send a code' }).click();

      assert.equal(await page.getByRole('heading').textContent(), 'Enter your sign-in code');
      assert.match((await page.getByRole('status').textContent()) ?? '', /We sent a code in an email to j\*\*\*@e\*\*\*/);
      const code = await mailedCode(smtp, 'jan@example.com', 1);
      await page.getByLabel('Code').fill(code);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const back = await backAtApp(page, callbacks);
      const tokens = await exchange(setupPool, back.searchParams.get('code') as string, verifier);
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      const id = await verifiedId(setupPool, tokens.body.id_token as string);
      assert.equal(id.email, 'jan@example.com');
      assert.equal(id.email_verified, true);
      await close();
    });

    it('lets a user with two factors choose email, and signs in with the mailed code', async () => {
      await createConfirmedUser(server.client, choicePool.poolId, 'ida', { password: PASSWORD, attributes: [{ Name: 'email', Value: 'ida@example.com' }, { Name: 'email_verified', Value: 'true' }] });
      const signedIn = await server.client.send(new InitiateAuthCommand({ ClientId: choicePool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ida', PASSWORD } }));
      const accessToken = signedIn.AuthenticationResult?.AccessToken as string;
      const secret = (await server.client.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }))).SecretCode as string;
      await server.client.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: authenticatorCode(secret, server.clock.nowMs()) }));
      await server.client.send(
        new AdminSetUserMFAPreferenceCommand({ UserPoolId: choicePool.poolId, Username: 'ida', SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false }, EmailMfaSettings: { Enabled: true, PreferredMfa: false } }),
      );

      const { page, callbacks, close } = await open();
      await page.goto(authorizeUrl(choicePool));
      await page.getByLabel('Username').fill('ida');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      assert.equal(await page.getByRole('heading').textContent(), 'Choose how to sign in');
      await screenshot(page, 'select-mfa');
      await page.getByLabel('Email').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      assert.equal(await page.getByRole('heading').textContent(), 'Enter your sign-in code');
      assert.match((await page.getByRole('status').textContent()) ?? '', /We sent a code in an email to i\*\*\*@e\*\*\*/);
      const code = await mailedCode(smtp, 'ida@example.com', 1);
      await page.getByLabel('Code').fill(code);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const back = await backAtApp(page, callbacks);
      assert.equal((await exchange(choicePool, back.searchParams.get('code') as string)).status, 200);
      await close();
    });
  });

  it('shows an error page, never a redirect, for an unknown client', async () => {
    const { page, callbacks, close } = await open();
    const res = await page.goto(authorizeUrl(plain, { client_id: 'unknownclient' }));
    assert.equal(res?.status(), 400);
    assert.equal(await page.getByRole('heading').textContent(), 'Something went wrong');
    assert.equal(await page.getByRole('alert').textContent(), 'The application (client_id) is not known here.');
    assert.equal(callbacks.length, 0);
    await screenshot(page, 'error');
    await close();
  });
});
