import { AdminGetUserCommand, CreateUserPoolClientCommand, SetUserPoolMfaConfigCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createInvitedUser } from './support/fixtures.js';
import { CALLBACK, FormBrowser, assertAccessiblePage, authorizeUrl, oauthPool, type OAuthPool } from './support/managed-login.js';
import { latestCode } from './support/outbox.js';
import { startSwitchboard, type Switchboard } from './support/trigger-switchboard.js';

const PASSWORD = 'Correct-Horse-1';

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

  it('runs the PreSignUp function: its refusal is shown in AWS words, and a user it confirms goes straight to sign in', async () => {
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
    const confirmed = await browser.submit(refused.html, { username: 'jo@example.com', password: PASSWORD });
    assert.match(confirmed.html, /Your account has been created\. Sign in with it\./);
    assert.equal(sb.events('PreSignUp_SignUp').length, 1);
    const signedIn = await browser.submit(confirmed.html, { username: 'jo@example.com', password: PASSWORD });
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
