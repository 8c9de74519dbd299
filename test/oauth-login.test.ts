import { AdminResetUserPasswordCommand, CreateUserPoolClientCommand, CreateUserPoolDomainCommand, CreateResourceServerCommand, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createInvitedUser, createPoolWithClient } from './support/fixtures.js';
import { latestCode } from './support/outbox.js';
import { startServer, type TestServer } from './support/server.js';
import { FormBrowser } from './support/managed-login.js';

const PASSWORD = 'Correct-Horse-1';
const CALLBACK = 'https://app.example/callback';

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('authorization code flow through the managed login pages', () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;
  const base = () => `${server.url}/${poolId}`;
  const authorizeUrl = (over: Record<string, string> = {}) =>
    `${base()}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, state: 'st-1', scope: 'openid email api/read', nonce: 'n-1', ...over })}`;
  const token = async (form: Record<string, string>) => {
    const res = await fetch(`${base()}/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };

  /** Authorize, sign in, and return the code of the redirect. */
  const signIn = async (browser: FormBrowser, username: string, password: string, over: Record<string, string> = {}) => {
    const start = await browser.go(authorizeUrl(over));
    assert.equal(start.status, 302);
    const login = await browser.go(start.location as string);
    assert.equal(login.status, 200);
    return browser.submit(login.html, { username, password });
  };
  const codeOf = (location: string | null) => {
    const url = new URL(location as string);
    assert.equal(`${url.origin}${url.pathname}`, CALLBACK);
    assert.equal(url.searchParams.get('state'), 'st-1');
    return url.searchParams.get('code') as string;
  };

  before(async () => {
    server = await startServer();
    poolId = (await createPoolWithClient(server.client, { PoolName: 'login', AutoVerifiedAttributes: ['email'] })).poolId;
    await server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'login-tests' }));
    await server.client.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API', Scopes: [{ ScopeName: 'read', ScopeDescription: 'r' }] }));
    const client = await server.client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'spa',
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email', 'api/read', 'aws.cognito.signin.user.admin'],
        CallbackURLs: [CALLBACK],
        LogoutURLs: ['https://app.example/bye'],
        SupportedIdentityProviders: ['COGNITO'],
      }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
    await createConfirmedUser(server.client, poolId, 'alice', { password: PASSWORD });
  });
  after(() => server.close());

  it('signs in, redirects with a one-time code bound to PKCE, and exchanges it for verified tokens with the scopes and nonce', async () => {
    const browser = new FormBrowser();
    const { verifier, challenge } = pkce();
    const answer = await signIn(browser, 'alice', PASSWORD, { code_challenge: challenge, code_challenge_method: 'S256' });
    assert.equal(answer.status, 302, answer.html);
    const code = codeOf(answer.location);
    const session = answer.headers.getSetCookie().find((c) => c.startsWith('userpoold_session='));
    assert.match(session ?? '', /; HttpOnly; SameSite=Lax/);
    assert.doesNotMatch(session ?? '', /Secure/);

    // Wrong redirect_uri or verifier: refused, and the code is used up all the same.
    assert.equal((await token({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: 'https://app.example/other', code_verifier: verifier })).body.error, 'invalid_grant');
    const again = codeOf((await signIn(new FormBrowser(), 'alice', PASSWORD, { code_challenge: challenge, code_challenge_method: 'S256' })).location);
    assert.equal((await token({ grant_type: 'authorization_code', client_id: clientId, code: again, redirect_uri: CALLBACK, code_verifier: pkce().verifier })).body.error, 'invalid_grant');
    const third = codeOf((await signIn(new FormBrowser(), 'alice', PASSWORD, { code_challenge: challenge, code_challenge_method: 'S256' })).location);
    assert.equal((await token({ grant_type: 'authorization_code', client_id: clientId, code: third, redirect_uri: CALLBACK })).body.error, 'invalid_grant');

    const fresh = codeOf((await signIn(new FormBrowser(), 'alice', PASSWORD, { code_challenge: challenge, code_challenge_method: 'S256' })).location);
    const exchanged = await token({ grant_type: 'authorization_code', client_id: clientId, code: fresh, redirect_uri: CALLBACK, code_verifier: verifier });
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
    const jwks = createRemoteJWKSet(new URL(`${base()}/.well-known/jwks.json`));
    const id = (await jwtVerify(exchanged.body.id_token as string, jwks, { issuer: base(), audience: clientId, currentDate: new Date(server.clock.nowMs()) })).payload;
    assert.equal(id.nonce, 'n-1');
    assert.equal(id['cognito:username'], 'alice');
    assert.equal(decodeJwt(exchanged.body.access_token as string).scope, 'openid email api/read');
    assert.ok(exchanged.body.refresh_token);
    // Reused code: refused.
    assert.equal((await token({ grant_type: 'authorization_code', client_id: clientId, code: fresh, redirect_uri: CALLBACK, code_verifier: verifier })).body.error, 'invalid_grant');

    // userInfo with the openid access token.
    const info = await fetch(`${base()}/oauth2/userInfo`, { headers: { Authorization: `Bearer ${exchanged.body.access_token}` } });
    assert.equal(info.status, 200);
    const claims = (await info.json()) as Record<string, string>;
    assert.equal(claims.sub, id.sub);
    assert.equal(claims.email, 'alice@example.com');
    // Without aws.cognito.signin.user.admin, the token does not serve the user API.
    await assert.rejects(server.client.send(new GetUserCommand({ AccessToken: exchanged.body.access_token as string })), { name: 'NotAuthorizedException' });

    // Refresh keeps the granted scopes; no ID token is lost.
    const refreshed = await token({ grant_type: 'refresh_token', client_id: clientId, refresh_token: exchanged.body.refresh_token as string });
    assert.equal(refreshed.status, 200);
    assert.equal(decodeJwt(refreshed.body.access_token as string).scope, 'openid email api/read');
    assert.ok(refreshed.body.id_token);

    // The session cookie signs the browser in again without the form.
    const silent = await browser.go(authorizeUrl());
    assert.equal(silent.status, 302);
    assert.ok(codeOf(silent.location));
  });

  it('gives no ID token without openid, and refuses plain PKCE and unknown response types back at the redirect_uri', async () => {
    const code = codeOf((await signIn(new FormBrowser(), 'alice', PASSWORD, { scope: 'api/read' })).location);
    const exchanged = await token({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: CALLBACK });
    assert.equal(exchanged.status, 200);
    assert.equal(exchanged.body.id_token, undefined);
    for (const [over, error] of [
      [{ code_challenge: pkce().challenge, code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: pkce().challenge }, 'invalid_request'],
      [{ response_type: 'token' }, 'unauthorized_client'],
      [{ response_type: 'id_token' }, 'unsupported_response_type'],
      [{ scope: 'phone' }, 'invalid_scope'],
    ] as const) {
      const res = await new FormBrowser().go(authorizeUrl(over));
      assert.equal(res.status, 302);
      const url = new URL(res.location as string);
      assert.equal(`${url.origin}${url.pathname}`, CALLBACK);
      assert.equal(url.searchParams.get('error'), error, JSON.stringify(over));
      assert.equal(url.searchParams.get('state'), 'st-1');
    }
  });

  it('shows an error page, never a redirect, for an unknown client or an unregistered redirect_uri', async () => {
    for (const over of [{ client_id: 'nope' }, { redirect_uri: 'https://evil.example/cb' }, { redirect_uri: `${CALLBACK}/` }, { client_id: '' }] as Record<string, string>[]) {
      const res = await new FormBrowser().go(authorizeUrl(over));
      assert.equal(res.status, 400);
      assert.equal(res.location, null);
      assert.match(res.html, /role="alert"/);
    }
  });

  it('refuses a form without its CSRF token, and a wrong password, on the page; never a code', async () => {
    const browser = new FormBrowser();
    const start = await browser.go(authorizeUrl());
    const login = await browser.go(start.location as string);
    assert.match(login.html, /<label for="username">Username<input id="username"/);
    assert.match(login.html, /<label for="password">Password<input id="password" name="password" type="password"/);
    assert.doesNotMatch(login.html, /<script/);
    const forged = await browser.go(start.location as string, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'username=alice&password=' + PASSWORD + '&_action=signin' });
    assert.equal(forged.status, 200);
    assert.match(forged.html, /The page expired/);
    const wrong = await browser.submit(login.html, { password: 'Wrong-Horse-1', username: 'alice' });
    assert.equal(wrong.status, 200);
    assert.match(wrong.html, /Incorrect username or password\./);
    const unknown = await browser.submit(login.html, { password: 'Wrong-Horse-1', username: 'nobody' });
    assert.match(unknown.html, /Incorrect username or password\./);
  });

  it('takes an invited user through the new password page, and a RESET_REQUIRED user to the reset, never to tokens', async () => {
    await createInvitedUser(server.client, poolId, 'bob', { temporaryPassword: 'Temp-Pass-123' });
    const browser = new FormBrowser();
    const first = await signIn(browser, 'bob', 'Temp-Pass-123');
    assert.equal(first.status, 200);
    assert.match(first.html, /Change your password/);
    const weak = await browser.submit(first.html, { new_password: 'short' });
    assert.match(weak.html, /Password did not conform with policy/);
    const done = await browser.submit(weak.html, { new_password: 'New-Horse-123' });
    assert.equal(done.status, 302, done.html);
    assert.ok(codeOf(done.location));

    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice' }));
    const resetting = new FormBrowser();
    const reset = await signIn(resetting, 'alice', PASSWORD);
    assert.equal(reset.status, 200);
    assert.equal(reset.location, null);
    assert.match(reset.html, /Your password must be reset/);
    const sent = await resetting.submit(reset.html, { username: 'alice' });
    assert.match(sent.html, /Enter the code/);
    const wrongCode = await resetting.submit(sent.html, { code: '000000', new_password: 'Reset-Horse-123' });
    assert.match(wrongCode.html, /Invalid verification code provided, please try again\./);
    const code = await latestCode(server, poolId, 'alice');
    const changed = await resetting.submit(wrongCode.html, { code, new_password: 'Reset-Horse-123' });
    assert.match(changed.html, /Your password has been changed/);
    const back = await resetting.submit(changed.html, { username: 'alice', password: 'Reset-Horse-123' });
    assert.equal(back.status, 302, back.html);
    assert.ok(codeOf(back.location));
  });

  it('logs out only to a registered LogoutURL, clearing the session', async () => {
    const browser = new FormBrowser();
    await signIn(browser, 'bob', 'New-Horse-123');
    assert.ok(browser.cookies.has('userpoold_session'));
    const bad = await browser.go(`${base()}/logout?client_id=${clientId}&logout_uri=${encodeURIComponent('https://evil.example/')}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.location, null);
    const out = await browser.go(`${base()}/logout?client_id=${clientId}&logout_uri=${encodeURIComponent('https://app.example/bye')}`);
    assert.equal(out.status, 302);
    assert.equal(out.location, 'https://app.example/bye');
    assert.ok(!browser.cookies.has('userpoold_session'));
    const after = await browser.go(authorizeUrl());
    assert.match(after.location ?? '', /\/login\?/);
  });

  it('answers bad input to the pages with error pages or OAuth redirects, never a 500', async () => {
    const login = `${base()}/login?${new URL(authorizeUrl()).searchParams}`;
    const json = await fetch(login, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(json.status, 415);
    assert.match(json.headers.get('content-type') ?? '', /^text\/html/);
    const huge = await fetch(login, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `username=${'a'.repeat(40_000)}` });
    assert.equal(huge.status, 413);
    const garbage = await fetch(login, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '%%%=&&=%zz' });
    assert.equal(garbage.status, 200);
    assert.match(await garbage.text(), /The page expired/);
    assert.equal((await fetch(login, { method: 'PUT' })).status, 405);
    const repeated = await new FormBrowser().go(`${authorizeUrl()}&scope=openid`);
    assert.equal(new URL(repeated.location as string).searchParams.get('error'), 'invalid_request');
    const long = await new FormBrowser().go(authorizeUrl({ state: 'x'.repeat(5000) }));
    assert.equal(new URL(long.location as string).searchParams.get('error'), 'invalid_request');
    for (const path of ['/oauth2/authorize', '/login', '/forgotPassword', '/logout']) {
      const res = await fetch(`${base()}${path}?client_id=%ZZ&redirect_uri=${'y'.repeat(3000)}`, { redirect: 'manual' });
      assert.equal(res.status, 400, path);
      assert.equal(res.headers.get('location'), null);
    }
  });

  it('advertises exactly the endpoints it serves', async () => {
    const doc = (await (await fetch(`${base()}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(doc.authorization_endpoint, `${base()}/oauth2/authorize`);
    assert.equal(doc.token_endpoint, `${base()}/oauth2/token`);
    assert.deepEqual(doc.response_types_supported, ['code', 'token']);
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    const bare = await createPoolWithClient(server.client, { PoolName: 'bare' });
    const none = (await (await fetch(`${server.url}/${bare.poolId}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(none.authorization_endpoint, undefined);
    assert.deepEqual(none.response_types_supported, []);
  });
});
