import { AdminGetUserCommand, CreateUserPoolClientCommand, SetUserPoolMfaConfigCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createInvitedUser } from './support/fixtures.js';
import { CALLBACK, FormBrowser, assertAccessiblePage, authorizeUrl, exchange, oauthPool, type OAuthPool } from './support/managed-login.js';
import { latestCode } from './support/outbox.js';
import { startSwitchboard, type Switchboard } from './support/trigger-switchboard.js';

const PASSWORD = 'Correct-Horse-1';
const DEVELOPER_EMAIL = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com' };
const EMAIL_MFA = { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' };

/**
 * The sign-up, confirmation and challenge pages without a browser: the PreSignUp function and
 * the operations' own checks on the pages, the unconfirmed user's way back, the sealed challenge
 * state (neither forged nor carried to another browser), bad input of every kind answered with a
 * page (never a 500), and the markup every page promises (labels, no script).
 */
describe('managed login sign-up and challenge pages', () => {
  let sb: Switchboard;
  let byEmail: OAuthPool;
  let named: OAuthPool;
  let mfa: OAuthPool;

  before(async () => {
    sb = await startSwitchboard();
    byEmail = await oauthPool(sb.server, 'email-signup-tests', { PoolName: 'by-email', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], LambdaConfig: { PreSignUp: sb.arn } });
    named = await oauthPool(sb.server, 'named-signup-tests', { PoolName: 'named', AutoVerifiedAttributes: ['email'] });
    mfa = await oauthPool(sb.server, 'mfa-input-tests', { PoolName: 'mfa' });
    await sb.server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: mfa.poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  });
  after(() => sb.close());

  const pageOf = async (browser: FormBrowser, pool: OAuthPool, path: string) => {
    const res = await browser.go(`${pool.base}${path}?${new URL(authorizeUrl(pool)).searchParams}`);
    assert.equal(res.status, 200, res.html);
    return res;
  };

  it('runs the PreSignUp function: its refusal is shown in AWS words, and a user it confirms is signed in at once', async () => {
    const browser = new FormBrowser();
    const signup = await pageOf(browser, byEmail, '/signup');
    assert.match(signup.html, /<label for="username">Email<input id="username"/);
    assert.doesNotMatch(signup.html, /name="attribute\.email"/, 'the username is the email address');
    assert.doesNotMatch(signup.html, /Terms of use/, 'no terms for this client');
    assert.match(signup.html, /Password: At least 8 characters, with a lowercase letter, an uppercase letter, a number, a symbol\./);

    sb.answer(() => {
      throw new Error('Registration is closed.');
    });
    const refused = await browser.submit(signup.html, { username: 'jo@example.com', password: PASSWORD });
    assert.equal(refused.status, 200);
    assert.match(refused.html, /role="alert">PreSignUp failed with error Registration is closed\.\.</);
    assert.match(refused.html, /value="jo@example\.com"/);
    await assert.rejects(sb.server.client.send(new AdminGetUserCommand({ UserPoolId: byEmail.poolId, Username: 'jo@example.com' })), { name: 'UserNotFoundException' });

    sb.answer((event) => ({ ...(event as object), response: { autoConfirmUser: true, autoVerifyEmail: true } }));
    const signedIn = await browser.submit(refused.html, { username: 'jo@example.com', password: PASSWORD });
    assert.equal(sb.events('PreSignUp_SignUp').length, 1);
    assert.equal(signedIn.status, 302, signedIn.html);
    assert.match(signedIn.location ?? '', /^https:\/\/app\.example\/callback\?code=/);
    sb.answer((event) => event);

    const taken = await browser.submit(signup.html, { username: 'jo@example.com', password: PASSWORD });
    assert.match(taken.html, /An account with the given email already exists\./);
  });

  it('sends an UNCONFIRMED user who signs in a new code and the confirmation page; /confirmUser also works on its own', async () => {
    await sb.server.client.send(new SignUpCommand({ ClientId: named.clientId, Username: 'kit', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'kit@example.com' }] }));
    const first = await latestCode(sb.server, named.poolId, 'kit');
    const browser = new FormBrowser();
    const login = await pageOf(browser, named, '/login');
    const unconfirmed = await browser.submit(login.html, { username: 'kit', password: PASSWORD });
    assert.match(unconfirmed.html, /Your account is not confirmed yet\. We sent a confirmation code in an email to k\*\*\*@e\*\*\*/);
    const second = await latestCode(sb.server, named.poolId, 'kit');
    assert.notEqual(second, first);
    const resent = await browser.submit(unconfirmed.html, {}, 1);
    assert.match(resent.html, /We sent a confirmation code/);
    const third = await latestCode(sb.server, named.poolId, 'kit');

    const alone = await pageOf(new FormBrowser(), named, '/confirmUser');
    assert.match(alone.html, /<label for="username">Username/);
    const other = new FormBrowser();
    const standalone = await pageOf(other, named, '/confirmUser');
    const wrong = await other.submit(standalone.html, { username: 'kit', code: 'not-a-code' });
    assert.match(wrong.html, /Invalid verification code provided, please try again\./);
    const nobody = await other.submit(standalone.html, { username: 'nobody-here', code: '123456' });
    assert.match(nobody.html, /role="alert">(Invalid verification code provided, please try again\.|Username\/client id combination not found\.)</);
    const done = await other.submit(standalone.html, { username: 'kit', code: third });
    assert.match(done.html, /Your account has been confirmed/);
    const again = await other.submit(standalone.html, { username: 'kit', code: third });
    assert.match(again.html, /User cannot be confirmed\. Current status is CONFIRMED/);
  });

  it('keeps the challenge state sealed: forged, missing or carried to another browser, it only shows the expired page', async () => {
    await createInvitedUser(sb.server.client, mfa.poolId, 'lee', { temporaryPassword: 'Temp-Pass-123' });
    const browser = new FormBrowser();
    const login = await pageOf(browser, mfa, '/login');
    const newPassword = await browser.submit(login.html, { username: 'lee', password: 'Temp-Pass-123' });
    assert.match(newPassword.html, /Change your password/);
    assertAccessiblePage(newPassword.html);
    const { state } = FormBrowser.hidden(newPassword.html);
    assert.ok(state && state.length > 100);
    assert.doesNotMatch(newPassword.html, /name="(session|username)"/, 'no session or username in the clear');

    // Another browser, with its own CSRF secret, cannot use the state.
    const thief = new FormBrowser();
    const thiefLogin = await pageOf(thief, mfa, '/login');
    const stolen = await thief.post(FormBrowser.action(newPassword.html), { _csrf: FormBrowser.hidden(thiefLogin.html)._csrf as string, state, new_password: 'Stolen-Horse-123' });
    assert.equal(stolen.status, 400);
    assert.match(stolen.html, /This sign-in step has expired/);
    for (const forged of [`${state.slice(0, -4)}AAAA`, '', 'x'.repeat(9000)]) {
      const res = await browser.submit(newPassword.html, { state: forged, new_password: 'Forged-Horse-123' });
      assert.equal(res.status, 400);
      assert.match(res.html, /This sign-in step has expired/);
    }
    const withoutCsrf = await browser.post(FormBrowser.action(newPassword.html), { state, new_password: 'Lee-Horse-1234' });
    assert.equal(withoutCsrf.status, 400);

    // The owner goes on: a policy refusal keeps the page, then MFA setup follows the new password.
    const weak = await browser.submit(newPassword.html, { new_password: 'weak' });
    assert.match(weak.html, /Password did not conform with policy/);
    const setup = await browser.submit(weak.html, { new_password: 'Lee-Horse-1234' });
    assert.match(setup.html, /Set up your authenticator app/);
    assertAccessiblePage(setup.html);
    for (const code of ['abcdef', '12 34 56', '1'.repeat(5000), '']) {
      const res = await browser.submit(setup.html, { code });
      assert.equal(res.status, 200);
      assert.match(res.html, /role="alert">Enter the/);
    }
    const mismatch = await browser.submit(setup.html, { code: '000000', device_name: 'd'.repeat(500) });
    assert.equal(mismatch.status, 200);
    assert.match(mismatch.html, /role="alert">/);
  });

  it('answers bad input to the new pages with pages, never a 500', async () => {
    const browser = new FormBrowser();
    const query = new URL(authorizeUrl(named)).searchParams.toString();
    const signup = await pageOf(browser, named, '/signup');
    assertAccessiblePage(signup.html);
    assertAccessiblePage((await pageOf(browser, named, '/confirmUser')).html);

    for (const path of ['/signup', '/confirmUser', '/challenge']) {
      const url = `${named.base}${path}?${query}`;
      const json = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      assert.equal(json.status, 415, path);
      assert.match(json.headers.get('content-type') ?? '', /^text\/html/);
      const huge = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `username=${'a'.repeat(40_000)}` });
      assert.equal(huge.status, 413, path);
      const garbage = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '%%%=&&=%zz&_csrf=%' });
      assert.ok([200, 400].includes(garbage.status), `${path}: ${garbage.status}`);
      assert.match(await garbage.text(), /role="alert"/);
      for (const method of ['PUT', 'DELETE', 'PATCH']) {
        const wrong = await fetch(url, { method });
        assert.equal(wrong.status, 405, `${method} ${path}`);
        assert.match(wrong.headers.get('content-type') ?? '', /^text\/html/);
        assert.ok(wrong.headers.get('allow'));
      }
      const badQuery = await fetch(`${named.base}${path}?client_id=%ZZ&redirect_uri=${'y'.repeat(3000)}`, { method: path === '/challenge' ? 'POST' : 'GET', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: path === '/challenge' ? '' : null });
      assert.equal(badQuery.status, 400, path);
      assert.equal(badQuery.headers.get('location'), null);
    }
    const getChallenge = await fetch(`${named.base}/challenge?${query}`);
    assert.equal(getChallenge.status, 405);

    // Values the API itself would refuse: the API's refusal, on the page.
    const long = await browser.submit(signup.html, { username: 'u'.repeat(200), password: PASSWORD });
    assert.equal(long.status, 200);
    assert.match(long.html, /role="alert">1 validation error detected: Value at &#39;username&#39; failed to satisfy constraint: Member must have length less than or equal to 128/);
    const spaced = await browser.submit(signup.html, { username: 'has space', password: PASSWORD });
    assert.match(spaced.html, /role="alert">1 validation error detected: Value at &#39;username&#39; failed to satisfy constraint: Member must satisfy regular expression pattern/);
    const longAttribute = await browser.submit(signup.html, { username: 'mo', password: PASSWORD, 'attribute.email': `${'e'.repeat(3000)}@example.com` });
    assert.equal(longAttribute.status, 200);
    assert.match(longAttribute.html, /role="alert">/);
    const badEmail = await browser.submit(signup.html, { username: 'mo', password: PASSWORD, 'attribute.email': 'not-an-email' });
    assert.match(badEmail.html, /role="alert">Invalid email address format\.</);
    const empty = await browser.submit(signup.html, {});
    assert.match(empty.html, /Enter a username and a password\./);
    const unknownClient = await browser.go(`${named.base}/signup?client_id=nope&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code`);
    assert.equal(unknownClient.status, 400);
  });

  it('signs in the browser that proved the password once the code confirms the user, and only that browser', async () => {
    const browser = new FormBrowser();
    const signup = await pageOf(browser, named, '/signup');
    const confirm = await browser.submit(signup.html, { username: 'max', password: PASSWORD, 'attribute.email': 'max@example.com' });
    assert.match(confirm.html, /Confirm your account/);
    assertAccessiblePage(confirm.html);
    const proof = FormBrowser.hidden(confirm.html).signup as string;
    assert.ok(proof && proof.length > 50, 'the confirm form carries the sealed proof');
    assert.equal(FormBrowser.hidden(confirm.html, 1).signup, proof, 'and so does the resend form');
    assert.doesNotMatch(confirm.html, new RegExp(PASSWORD), 'never the password');

    // A wrong code, then a new code: the proof stays with the page.
    const wrong = await browser.submit(confirm.html, { code: '000000' });
    assert.match(wrong.html, /role="alert">Invalid verification code provided/);
    assert.equal(FormBrowser.hidden(wrong.html).signup, proof);
    const resent = await browser.submit(wrong.html, {}, 1);
    assert.match(resent.html, /We sent a confirmation code/);
    assert.equal(FormBrowser.hidden(resent.html).signup, proof);

    // Carried to another browser (its own CSRF secret), the proof is worth nothing: the code confirms, /login follows.
    await sb.server.client.send(new SignUpCommand({ ClientId: named.clientId, Username: 'nia', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'nia@example.com' }] }));
    const thief = new FormBrowser();
    const thiefPage = await pageOf(thief, named, '/confirmUser');
    const stolen = await thief.post(FormBrowser.action(confirm.html), { _csrf: FormBrowser.hidden(thiefPage.html)._csrf as string, _action: 'confirm', username: 'max', signup: proof, code: await latestCode(sb.server, named.poolId, 'max') });
    assert.equal(stolen.status, 200, 'no redirect for another browser');
    assert.match(stolen.html, /Your account has been confirmed\. Sign in with it\./);
    // The same proof for another name, or tampered with: confirmed, then /login.
    const other = await browser.submit(confirm.html, { username: 'nia', code: await latestCode(sb.server, named.poolId, 'nia') });
    assert.equal(other.status, 200);
    assert.match(other.html, /Your account has been confirmed\. Sign in with it\./);

    // The owner's browser, with the proof: signed in, back at the app with a code.
    const browser2 = new FormBrowser();
    const signup2 = await pageOf(browser2, named, '/signup');
    const confirm2 = await browser2.submit(signup2.html, { username: 'ora', password: PASSWORD, 'attribute.email': 'ora@example.com' });
    const tampered = FormBrowser.hidden(confirm2.html).signup as string;
    const forged = await browser2.submit(confirm2.html, { signup: `${tampered.slice(0, -6)}AAAAAA`, code: '000000' });
    assert.equal(FormBrowser.hidden(forged.html).signup, undefined, 'a forged proof is dropped');
    const done = await browser2.submit(confirm2.html, { code: await latestCode(sb.server, named.poolId, 'ora') });
    assert.equal(done.status, 302, done.html);
    const back = new URL(done.location as string);
    assert.equal(`${back.origin}${back.pathname}`, CALLBACK);
    assert.equal(back.searchParams.get('state'), 'st-1');
    const tokens = await exchange(named, back.searchParams.get('code') as string);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const id = decodeJwt(tokens.body.id_token as string);
    assert.equal(id['cognito:username'], 'ora');
    assert.equal(id.email_verified, true);
    // The browser is signed in: the next authorize request needs no form.
    const silent = await browser2.go(authorizeUrl(named));
    assert.equal(silent.status, 302);
    assert.match(silent.location ?? '', /^https:\/\/app\.example\/callback\?code=/);
  });

  it('signs in an UNCONFIRMED user who typed the password on /login once the code confirms them', async () => {
    await sb.server.client.send(new SignUpCommand({ ClientId: named.clientId, Username: 'pia', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'pia@example.com' }] }));
    const browser = new FormBrowser();
    const login = await pageOf(browser, named, '/login');
    const wrongPassword = await browser.submit(login.html, { username: 'pia', password: 'Wrong-Horse-1' });
    assert.match(wrongPassword.html, /Incorrect username or password\./);
    const unconfirmed = await browser.submit(login.html, { username: 'pia', password: PASSWORD });
    assert.match(unconfirmed.html, /Your account is not confirmed yet/);
    assert.ok(FormBrowser.hidden(unconfirmed.html).signup);
    const done = await browser.submit(unconfirmed.html, { code: await latestCode(sb.server, named.poolId, 'pia') });
    assert.equal(done.status, 302, done.html);
    assert.match(done.location ?? '', /^https:\/\/app\.example\/callback\?code=/);
  });

  describe('MFA setup on the pages', () => {
    let emailOnly: OAuthPool;
    let both: OAuthPool;
    before(async () => {
      emailOnly = await oauthPool(sb.server, 'mfa-email-setup-tests', { PoolName: 'email-mfa', EmailConfiguration: DEVELOPER_EMAIL });
      await sb.server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: emailOnly.poolId, MfaConfiguration: 'ON', EmailMfaConfiguration: EMAIL_MFA }));
      both = await oauthPool(sb.server, 'mfa-both-setup-tests', { PoolName: 'both-mfa', EmailConfiguration: DEVELOPER_EMAIL });
      await sb.server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: both.poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: EMAIL_MFA }));
    });

    it('sets up email MFA where it is the only factor: the address, the code sent to it, then the app', async () => {
      await createConfirmedUser(sb.server.client, emailOnly.poolId, 'quin', { password: PASSWORD, attributes: [] });
      const browser = new FormBrowser();
      const login = await pageOf(browser, emailOnly, '/login');
      const setup = await browser.submit(login.html, { username: 'quin', password: PASSWORD });
      assert.match(setup.html, /<h1>Set up email MFA<\/h1>/);
      assertAccessiblePage(setup.html);
      assert.match(setup.html, /<input id="email" name="email" type="email" required autocomplete="email">/);
      for (const email of ['', 'e'.repeat(5000)]) {
        const res = await browser.submit(setup.html, { email });
        assert.equal(res.status, 200);
        assert.match(res.html, /role="alert">Enter your email address\.</);
      }
      const bad = await browser.submit(setup.html, { email: 'not-an-email' });
      assert.equal(bad.status, 200);
      assert.match(bad.html, /role="alert">Invalid email address format\.</);
      assert.match(bad.html, /Set up email MFA/);
      const code = await browser.submit(setup.html, { email: 'quin@example.com' });
      assert.match(code.html, /Enter your sign-in code/);
      assert.match(code.html, /We sent a code in an email to q\*\*\*@e\*\*\*/);
      // Nothing is written before the code is proven.
      const before = await sb.server.client.send(new AdminGetUserCommand({ UserPoolId: emailOnly.poolId, Username: 'quin' }));
      assert.equal(before.UserAttributes?.find((a) => a.Name === 'email'), undefined);
      const mismatch = await browser.submit(code.html, { code: '000000' });
      assert.match(mismatch.html, /role="alert">/);
      const done = await browser.submit(mismatch.html, { code: await latestCode(sb.server, emailOnly.poolId, 'quin') });
      assert.equal(done.status, 302, done.html);
      assert.match(done.location ?? '', /^https:\/\/app\.example\/callback\?code=/);
      const user = await sb.server.client.send(new AdminGetUserCommand({ UserPoolId: emailOnly.poolId, Username: 'quin' }));
      assert.equal(user.UserAttributes?.find((a) => a.Name === 'email')?.Value, 'quin@example.com');
      assert.equal(user.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value, 'true');
      assert.deepEqual(user.UserMFASettingList, ['EMAIL_OTP']);
      assert.equal(user.PreferredMfaSetting, 'EMAIL_OTP');
    });

    it('offers the choice where the pool offers an authenticator and email, and refuses what it did not offer', async () => {
      await createConfirmedUser(sb.server.client, both.poolId, 'rae', { password: PASSWORD, attributes: [] });
      const browser = new FormBrowser();
      const login = await pageOf(browser, both, '/login');
      const choice = await browser.submit(login.html, { username: 'rae', password: PASSWORD });
      assert.match(choice.html, /<h1>Set up multi-factor authentication<\/h1>/);
      assertAccessiblePage(choice.html);
      assert.deepEqual([...choice.html.matchAll(/name="mfa_setup" value="([^"]+)"/g)].map((m) => m[1]), ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']);
      for (const mfaSetup of ['SMS_MFA', '', 'x'.repeat(5000)]) {
        const res = await browser.submit(choice.html, { mfa_setup: mfaSetup });
        assert.equal(res.status, 200);
        assert.match(res.html, /role="alert">Choose one of the ways to receive sign-in codes\.</);
      }
      const totp = await browser.submit(choice.html, { mfa_setup: 'SOFTWARE_TOKEN_MFA' });
      assert.match(totp.html, /Set up your authenticator app/);
      assert.match(totp.html, /<code id="totp-secret">[A-Z2-7]{16,}<\/code>/);
      const email = await browser.submit(choice.html, { mfa_setup: 'EMAIL_OTP' });
      assert.match(email.html, /Set up email MFA/);
      const code = await browser.submit(email.html, { email: 'rae@example.com' });
      assert.match(code.html, /We sent a code in an email to r\*\*\*@e\*\*\*/);
      const done = await browser.submit(code.html, { code: await latestCode(sb.server, both.poolId, 'rae') });
      assert.equal(done.status, 302, done.html);
    });

    it('tells a user who could only set up SMS MFA to ask an administrator', async () => {
      const sms = await oauthPool(sb.server, 'mfa-sms-setup-tests', { PoolName: 'sms-mfa', SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns', ExternalId: 'x' } });
      await sb.server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: sms.poolId, MfaConfiguration: 'ON', SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}' } }));
      await createConfirmedUser(sb.server.client, sms.poolId, 'sal', { password: PASSWORD, attributes: [] });
      const browser = new FormBrowser();
      const login = await pageOf(browser, sms, '/login');
      const refused = await browser.submit(login.html, { username: 'sal', password: PASSWORD });
      assert.equal(refused.status, 400);
      assert.match(refused.html, /no phone number to receive codes\. Ask an administrator to add one\./);
    });
  });

  it('refuses response_type=token for a client without the implicit flow, back at the redirect_uri', async () => {
    const client = await sb.server.client.send(
      new CreateUserPoolClientCommand({ UserPoolId: named.poolId, ClientName: 'implicit-only', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['implicit'], AllowedOAuthScopes: ['openid'], CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'] }),
    );
    const implicitOnly = { ...named, clientId: client.UserPoolClient?.ClientId as string };
    const code = await new FormBrowser().go(authorizeUrl(implicitOnly, { scope: 'openid' }));
    assert.equal(new URL(code.location as string).searchParams.get('error'), 'unauthorized_client');
    const token = await new FormBrowser().go(authorizeUrl(implicitOnly, { scope: 'openid', response_type: 'token' }));
    assert.match(token.location ?? '', /\/login\?/);
    const codeOnly = await new FormBrowser().go(authorizeUrl(named, { response_type: 'token' }));
    assert.equal(new URL(codeOnly.location as string).searchParams.get('error'), 'unauthorized_client');
  });
});
