import {
  CreateIdentityProviderCommand,
  GetSigningCertificateCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from './support/server.js';
import { startSamlIdp, type TestSamlIdp } from './support/saml-idp.js';
import { CALLBACK, chromiumMissing, launchChromium, oauthClient, poolWithDomain } from './support/managed-login.js';

const skip = chromiumMissing('SAML logout browser test');
const SIGNED_OUT = 'https://app.example/signed-out';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

/**
 * SAML single logout (issue #20; DG "SAML sign-out flow"): a user signed in through a SAML
 * provider with IDPSignout true is sent by /logout to the IdP's SingleLogoutService with a
 * LogoutRequest signed by the pool's certificate (the samlify IdP of support/saml-idp.ts checks the
 * signature against GetSigningCertificate's certificate); the IdP's LogoutResponse, posted to
 * /saml2/logout, finishes at the client's logout_uri. A LogoutRequest the IdP sends itself ends the
 * pool session and gets a signed LogoutResponse. Forged, unsigned, mismatched or replayed
 * messages get a 400 page.
 */
describe('federation: SAML single logout in a real browser', { skip }, () => {
  let server: TestServer;
  let idp: TestSamlIdp;
  let browser: Browser;
  let poolId: string;
  let clientId: string;
  let base: string;

  before(async () => {
    server = await startServer();
    const client = server.client;
    ({ poolId, base } = await poolWithDomain(server, 'saml-logout-tests', { PoolName: 'saml-logout' }));
    const certificate = (await client.send(new GetSigningCertificateCommand({ UserPoolId: poolId }))).Certificate as string;
    idp = await startSamlIdp({
      spEntityId: `urn:amazon:cognito:sp:${poolId}`,
      acsUrl: `${base}/saml2/idpresponse`,
      logoutUrl: `${base}/saml2/logout`,
      spCertificate: certificate,
      now: () => server.clock.nowMs(),
    });
    for (const [name, signOut] of [
      ['CorpSAML', 'true'],
      ['PlainSAML', 'false'],
    ] as const) {
      await client.send(
        new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: name, ProviderType: 'SAML', ProviderDetails: { MetadataURL: idp.metadataUrl, IDPSignout: signOut, IDPInit: 'false' } }),
      );
    }
    clientId = await oauthClient(server, poolId, { AllowedOAuthScopes: ['openid'], LogoutURLs: [SIGNED_OUT], SupportedIdentityProviders: ['COGNITO', 'CorpSAML', 'PlainSAML'] });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await idp?.close();
    await server?.close();
  });

  const authorizeUrl = (extra: Record<string, string> = {}) =>
    `${base}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid', ...extra })}`;
  const logoutUrl = () => `${base}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: SIGNED_OUT })}`;

  /** A browser (no script) signed in through `provider` as `nameId`; the app's pages are answered here. */
  async function signedIn(nameId: string, provider = 'CorpSAML'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await context.route('https://app.example/**', (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'in the app' }));
    await page.goto(authorizeUrl({ identity_provider: provider }));
    await page.getByLabel('Username').fill(nameId);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/^https:\/\/app\.example\/callback\?code=/);
    return { context, page };
  }

  /**
   * Whether the browser still has a pool session: its cookies take /oauth2/authorize straight back
   * to the app. (Asked with fetch: Chromium does not hand a redirect that ends a page.goto to the
   * route that answers for the app.)
   */
  async function hasPoolSession(context: BrowserContext): Promise<boolean> {
    const cookie = (await context.cookies(`${base}/`)).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await fetch(authorizeUrl(), { redirect: 'manual', headers: { Cookie: cookie } });
    return (res.headers.get('location') ?? '').startsWith(CALLBACK);
  }

  /** /logout for a SAML session: the browser arrives at the IdP with the LogoutRequest; its ID and RelayState. */
  async function logoutToIdp(page: Page): Promise<{ id: string; relayState: string; url: URL }> {
    const before = idp.logouts.length;
    await page.goto(logoutUrl());
    const url = new URL(page.url());
    assert.equal(`${url.origin}${url.pathname}`, `${idp.url}/slo`, `the browser went to the IdP's SingleLogoutService (${page.url()})`);
    assert.equal(idp.logouts.length, before + 1, 'the IdP received (and verified) one LogoutRequest');
    const seen = idp.logouts.at(-1);
    assert.equal(seen?.kind, 'LogoutRequest');
    return { id: seen?.id as string, relayState: seen?.relayState as string, url };
  }

  const postLogout = (form: Record<string, string>, cookie?: string) =>
    fetch(`${base}/saml2/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(cookie && { Cookie: cookie }) },
      body: new URLSearchParams(form).toString(),
    });

  it('/logout sends a signed LogoutRequest with the NameID and SessionIndex; the LogoutResponse ends at logout_uri', async () => {
    const { context, page: first } = await signedIn('Alice.Example');
    let page = first;
    try {
      assert.equal(await hasPoolSession(context), true, 'signed in: authorize goes straight back to the app');
      // Authorize again from the session: the cookie it re-issues still names the SAML sign-in.
      const renewed = page.waitForResponse((r) => r.url().startsWith(`${base}/oauth2/authorize`));
      await page.goto(authorizeUrl()).catch(() => undefined);
      assert.match((await (await renewed).headerValue('set-cookie')) ?? '', /userpoold_session=/);
      // (A fresh tab of the same browser: the first ends on Chromium's error page for the app's unresolvable host.)
      page = await context.newPage();
      const { url } = await logoutToIdp(page);
      assert.equal(url.searchParams.get('SigAlg'), RSA_SHA256, 'signed with rsa-sha256 (samlify verified the signature with the pool certificate)');
      assert.ok(url.searchParams.get('Signature'));
      const seen = idp.logouts.at(-1);
      assert.equal(seen?.nameId, 'Alice.Example');
      assert.equal(seen?.sessionIndex, idp.sessionIndexes.get('Alice.Example'), 'the SessionIndex of the sign-in');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(SIGNED_OUT);
      assert.equal(await hasPoolSession(context), false, 'the pool session has ended');
    } finally {
      await context.close();
    }
  });

  it('with redirect_uri and response_type the sign-out ends at the sign-in page', async () => {
    const { context, page } = await signedIn('Carol');
    try {
      await page.goto(`${base}/logout?${new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' })}`);
      assert.ok(page.url().startsWith(`${idp.url}/slo?`), page.url());
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL((u) => u.pathname === `/${poolId}/login`);
      assert.equal(new URL(page.url()).searchParams.get('redirect_uri'), CALLBACK);
    } finally {
      await context.close();
    }
  });

  it('a provider without IDPSignout: /logout goes straight to logout_uri, nothing is sent to the IdP', async () => {
    const { context, page } = await signedIn('Dave', 'PlainSAML');
    try {
      const before = idp.logouts.length;
      const requested: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      await page.goto(logoutUrl()).catch(() => undefined);
      assert.deepEqual(requested, [logoutUrl(), SIGNED_OUT], 'from /logout straight to logout_uri');
      assert.equal(idp.logouts.length, before);
      assert.equal(await hasPoolSession(context), false);
    } finally {
      await context.close();
    }
  });

  it('forged, unsigned, mismatched and replayed LogoutResponses get a 400 page, never a 500', async () => {
    const { context, page } = await signedIn('Eve');
    try {
      const { id, relayState } = await logoutToIdp(page);
      const refused = async (form: Record<string, string>, text: RegExp) => {
        const res = await postLogout(form);
        const body = await res.text();
        assert.equal(res.status, 400, `${JSON.stringify(form).slice(0, 80)}: ${body}`);
        assert.match(body, text);
      };
      await refused({ SAMLResponse: idp.logoutResponse(id, { forged: true }), RelayState: relayState }, /signature is invalid/);
      await refused({ SAMLResponse: idp.logoutResponse(id, { unsigned: true }), RelayState: relayState }, /signature is invalid/);
      await refused({ SAMLResponse: idp.logoutResponse(id, { inResponseTo: '_another' }), RelayState: relayState }, /does not answer the LogoutRequest/);
      await refused({ SAMLResponse: idp.logoutResponse(id, { status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' }), RelayState: relayState }, /did not sign the user out/);
      await refused({ SAMLResponse: idp.logoutResponse(id, { issuer: 'https://evil.example/' }), RelayState: relayState }, /Issuer/);
      await refused({ SAMLResponse: 'not*base64', RelayState: relayState }, /could not be read/);
      await refused({ SAMLResponse: Buffer.from('<oops').toString('base64'), RelayState: relayState }, /could not be read/);
      await refused({ SAMLResponse: idp.logoutResponse(id), RelayState: 'forged-relay' }, /relayState/);
      await refused({ SAMLResponse: idp.logoutResponse(id) }, /relayState/);
      await refused({ RelayState: relayState }, /SAMLResponse or SAMLRequest is required/);
      await refused({ SAMLResponse: idp.logoutResponse(id), SAMLRequest: 'x', RelayState: relayState }, /SAMLResponse or SAMLRequest is required/);
      // The redirect binding is not taken: the IdP must POST (DG "SAML sign-out flow").
      const viaGet = await fetch(`${base}/saml2/logout?${new URLSearchParams({ SAMLResponse: idp.logoutResponse(id), RelayState: relayState })}`, { redirect: 'manual' });
      assert.equal(viaGet.status, 405);
      assert.equal(viaGet.headers.get('allow'), 'POST');

      const good = idp.logoutResponse(id);
      const ok = await postLogout({ SAMLResponse: good, RelayState: relayState });
      assert.equal(ok.status, 302, await ok.text());
      assert.equal(ok.headers.get('location'), SIGNED_OUT);
      await refused({ SAMLResponse: good, RelayState: relayState }, /used before/);
    } finally {
      await context.close();
    }
  });

  it('a sign-out left unfinished for 5 minutes is refused', async () => {
    const { context, page } = await signedIn('Frank');
    try {
      const { id, relayState } = await logoutToIdp(page);
      server.clock.advance(5 * 60 * 1000 + 1000);
      const res = await postLogout({ SAMLResponse: idp.logoutResponse(id), RelayState: relayState });
      assert.equal(res.status, 400);
      assert.match(await res.text(), /longer than 5 minutes/);
    } finally {
      await context.close();
    }
  });

  it('an IdP-initiated LogoutRequest ends the pool session and is answered with a signed LogoutResponse', async () => {
    const { context, page } = await signedIn('Bob');
    try {
      assert.equal(await hasPoolSession(context), true);
      const before = idp.logouts.length;
      await page.goto(`${idp.url}/idp-logout?nameid=Bob`);
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await page.waitForURL((u) => u.pathname === '/slo');
      assert.equal(idp.logouts.length, before + 1, 'the IdP received (and verified) the LogoutResponse');
      const answer = idp.logouts.at(-1);
      assert.equal(answer?.kind, 'LogoutResponse');
      assert.equal(answer?.relayState, 'idp-relay-1');
      assert.equal(answer?.sigAlg, RSA_SHA256);
      assert.ok(answer?.inResponseTo?.startsWith('_'));
      assert.equal(await hasPoolSession(context), false, 'the pool session has ended');
    } finally {
      await context.close();
    }
  });

  it("an IdP LogoutRequest for another user leaves the browser's session; forged, unsigned or replayed ones get a 400 page", async () => {
    const { context } = await signedIn('Grace');
    try {
      const cookie = (await context.cookies(`${base}/`)).map((c) => `${c.name}=${c.value}`).join('; ');
      const other = idp.logoutRequest('Mallory');
      const res = await postLogout({ SAMLRequest: other.base64, RelayState: 'r' }, cookie);
      assert.equal(res.status, 302, await res.text());
      assert.ok(res.headers.get('location')?.startsWith(`${idp.url}/slo?SAMLResponse=`));
      assert.equal(res.headers.get('set-cookie'), null, 'the session is not cleared');
      assert.equal(await hasPoolSession(context), true);

      for (const [made, text] of [
        [idp.logoutRequest('Grace', undefined, { forged: true }), /signature is invalid/],
        [idp.logoutRequest('Grace', undefined, { unsigned: true }), /signature is invalid/],
        [idp.logoutRequest('Grace', undefined, { issuer: 'https://evil.example/' }), /No SAML identity provider/],
      ] as const) {
        const refused = await postLogout({ SAMLRequest: made.base64 }, cookie);
        assert.equal(refused.status, 400);
        assert.match(await refused.text(), text);
      }
      assert.equal(await hasPoolSession(context), true, 'refused requests end nothing');

      const replayed = await postLogout({ SAMLRequest: other.base64 }, cookie);
      assert.equal(replayed.status, 400);
      assert.match(await replayed.text(), /used before/);
    } finally {
      await context.close();
    }
  });
});
