import {
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  CreateIdentityProviderCommand,
  GetSigningCertificateCommand,
  UpdateIdentityProviderCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { createConfirmedUser } from './support/fixtures.js';
import { startServer, type TestServer } from './support/server.js';
import { startSamlIdp, type TestSamlIdp } from './support/saml-idp.js';
import { CALLBACK, chromiumMissing, launchChromium, oauthClient, poolWithDomain } from './support/managed-login.js';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';

const skip = chromiumMissing('SAML federation browser test');
const EMAIL = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const PREFIX = 'Invalid SAML response received: ';

/**
 * SAML 2.0 sign-in (issue #20): /oauth2/authorize with identity_provider sends the browser to a
 * SAML IdP made with samlify (support/saml-idp.ts, started here), with an AuthnRequest; the IdP's
 * signed response comes back by the HTTP-POST binding to /saml2/idpresponse, which checks it
 * (signature, audience, times, InResponseTo, Recipient), signs the user in and sends the browser to
 * the app with a code. The code is exchanged at /oauth2/token and the ID token verified with jose
 * against the pool's JWKS. The IdP also makes the refusals: a response changed after signing, one
 * for another audience, an expired one; each comes back to the app as error / error_description.
 */
for (const dialect of E2E_DIALECTS) describe(`federation: sign-in through a SAML IdP in a real browser (${dialect})`, { skip: skip || skipFor(dialect) }, () => {
  // PostgreSQL runs the cases that write and find federated and linked users; the others test no storage of their own.
  const sqliteOnly = (name: string, fn: () => Promise<void>) => it(name, { skip: dialect === 'postgres' && 'runs on SQLite only: it checks no storage of its own' }, fn);
  let server: TestServer;
  let idp: TestSamlIdp;
  let browser: Browser;
  let poolId: string;
  let clientId: string;
  let base: string;

  before(async () => {
    server = await startServer({ dialect });
    ({ poolId, base } = await poolWithDomain(server, 'saml-tests', { PoolName: 'saml' }));
    idp = await startSamlIdp({ spEntityId: `urn:amazon:cognito:sp:${poolId}`, acsUrl: `${base}/saml2/idpresponse`, now: () => server.clock.nowMs() });
    await server.client.send(
      new CreateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: 'CorpSAML',
        ProviderType: 'SAML',
        ProviderDetails: { MetadataURL: idp.metadataUrl },
        AttributeMapping: { email: EMAIL, name: 'displayName' },
        IdpIdentifiers: ['corp.example'],
      }),
    );
    clientId = await oauthClient(server, poolId, { SupportedIdentityProviders: ['CorpSAML'] });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await idp?.close();
    await server?.close();
  });

  const authorizeUrl = (extra: Record<string, string> = {}) =>
    `${base}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid email profile', state: 'app-state-7', identity_provider: 'CorpSAML', ...extra })}`;

  /** A fresh browser (no script) whose visits to the app's callback are caught and answered. */
  async function newPage(): Promise<{ page: Page; callback: () => URL; close: () => Promise<void> }> {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    let seen: string | undefined;
    await page.route('https://app.example/**', async (route) => {
      seen = route.request().url();
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'back in the app' });
    });
    return {
      page,
      callback: () => {
        assert.ok(seen, `the browser came back to the app (it is at ${page.url()})`);
        return new URL(seen);
      },
      close: () => context.close(),
    };
  }

  /** The whole sign-in in the browser: authorize, the IdP's form, its POST back to the pool. */
  async function signIn(nameId: string, extra: Record<string, string> = {}): Promise<URL> {
    const { page, callback, close } = await newPage();
    try {
      await page.goto(authorizeUrl(extra));
      assert.ok(page.url().startsWith(`${idp.url}/sso?SAMLRequest=`), `the browser went straight to the IdP (${page.url()})`);
      await page.getByLabel('Username').fill(nameId);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(/^https:\/\/app\.example\/callback/);
      return callback();
    } finally {
      await close();
    }
  }

  async function tokensFor(code: string): Promise<JWTPayload> {
    const res = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: CALLBACK }).toString(),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as { id_token: string };
    const keys = createRemoteJWKSet(new URL(`${base}/.well-known/jwks.json`));
    return (await jwtVerify(body.id_token, keys, { issuer: base, audience: clientId, currentDate: new Date(server.clock.nowMs()) })).payload;
  }

  it('a first sign-in creates <provider>_<NameID> with the mapped attributes; the second finds the same user', async () => {
    idp.attributes = { [EMAIL]: 'alice@corp.example', displayName: 'Alice Liddell', department: ['Research', 'Design'] };
    const first = await signIn('Alice.Example');
    assert.equal(first.searchParams.get('state'), 'app-state-7');
    const code = first.searchParams.get('code');
    assert.ok(code, `a code came back (${first.search})`);
    const request = idp.requests.at(-1);
    assert.equal(request?.signed, false, 'without RequestSigningAlgorithm the AuthnRequest is not signed');

    const id = await tokensFor(code);
    // NameID is case-sensitive: the username keeps it as sent (§4.7).
    assert.equal(id['cognito:username'], 'CorpSAML_Alice.Example');
    assert.equal(id.email, 'alice@corp.example');
    assert.equal(id.email_verified, false, 'a mapped email without email_verified is unverified');
    assert.equal(id.name, 'Alice Liddell');
    const identities = id.identities as Record<string, unknown>[];
    assert.equal(identities.length, 1);
    assert.deepEqual(
      { ...identities[0], dateCreated: undefined },
      { userId: 'Alice.Example', providerName: 'CorpSAML', providerType: 'SAML', issuer: idp.entityId, primary: 'true', dateCreated: undefined },
    );
    const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'CorpSAML_Alice.Example' }));
    assert.equal(user.UserStatus, 'EXTERNAL_PROVIDER');

    // The second sign-in finds the user and rewrites the mapped attributes.
    idp.attributes = { [EMAIL]: 'alice@corp.example', displayName: 'Alice P. Liddell' };
    const second = await signIn('Alice.Example');
    const again = await tokensFor(second.searchParams.get('code') as string);
    assert.equal(again.sub, id.sub, 'the same user');
    assert.equal(again.name, 'Alice P. Liddell');
    assert.equal((again.identities as unknown[]).length, 1, 'identities is not duplicated');

    // Another NameID case is another user (§4.7: NameID is case-sensitive).
    const third = await signIn('alice.example');
    const other = await tokensFor(third.searchParams.get('code') as string);
    assert.notEqual(other.sub, id.sub);
    assert.equal(other['cognito:username'], 'CorpSAML_alice.example');
  });

  sqliteOnly('idp_identifier finds the SAML provider too', async () => {
    idp.attributes = { [EMAIL]: 'bob@corp.example' };
    const back = await signIn('bob', { identity_provider: '', idp_identifier: 'corp.example' });
    assert.ok(back.searchParams.get('code'));
  });

  for (const [what, next, description] of [
    ['a response changed after it was signed', { tamper: true }, `${PREFIX}SAML Assertion signature is invalid.`],
    ['a response for another audience', { audience: 'urn:amazon:cognito:sp:us-east-1_Other' }, `${PREFIX}The SAML assertion's audience is not urn:amazon:cognito:sp:`],
    ['an expired assertion', { shiftMs: -20 * 60_000 }, `${PREFIX}The SAML assertion has expired`],
  ] as const) {
    sqliteOnly(`refuses ${what}: back to the app with error=server_error and AWS's text`, async () => {
      idp.attributes = { [EMAIL]: 'mallory@corp.example' };
      idp.next = { ...next };
      const back = await signIn('mallory');
      assert.equal(back.searchParams.get('error'), 'server_error');
      assert.equal(back.searchParams.get('code'), null);
      assert.equal(back.searchParams.get('state'), 'app-state-7');
      assert.ok(back.searchParams.get('error_description')?.startsWith(description), back.searchParams.get('error_description') ?? '');
    });
  }

  /** The sign-in over plain HTTP, up to the form the IdP posts to the pool. */
  async function idpForm(nameId: string, extra: Record<string, string> = {}): Promise<{ SAMLResponse: string; RelayState: string }> {
    return idpFormAt(idp, new URL(authorizeUrl(extra)).searchParams, nameId);
  }

  async function idpFormAt(at: TestSamlIdp, query: URLSearchParams, nameId: string): Promise<{ SAMLResponse: string; RelayState: string }> {
    const start = await fetch(`${base}/oauth2/authorize?${query}`, { redirect: 'manual' });
    assert.equal(start.status, 302);
    const sso = await fetch(start.headers.get('location') as string);
    const page = await sso.text();
    assert.equal(sso.status, 200, page);
    const hidden = (html: string, name: string) => {
      const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
      return (match?.[1] ?? '').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    };
    const login = await fetch(`${at.url}/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ request: hidden(page, 'request'), relay: hidden(page, 'relay'), nameid: nameId }).toString() });
    const form = await login.text();
    return { SAMLResponse: hidden(form, 'SAMLResponse'), RelayState: hidden(form, 'RelayState') };
  }

  const post = (body: string | URLSearchParams) =>
    fetch(`${base}/saml2/idpresponse`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString() });

  sqliteOnly('a response is good once; a RelayState it did not seal, a missing SAMLResponse or a huge body get a 400 page', async () => {
    idp.attributes = { [EMAIL]: 'carol@corp.example' };
    const form = await idpForm('carol');
    const ok = await post(new URLSearchParams(form));
    assert.equal(ok.status, 302);
    assert.ok(new URL(ok.headers.get('location') as string).searchParams.get('code'));
    const replay = await post(new URLSearchParams(form));
    assert.equal(replay.status, 400);
    assert.match(await replay.text(), /Invalid samlResponse or relayState from identity provider/);

    const forged = await post(new URLSearchParams({ SAMLResponse: form.SAMLResponse, RelayState: 'made-up' }));
    assert.equal(forged.status, 400);
    assert.match(await forged.text(), /Invalid samlResponse or relayState from identity provider/);
    const none = await post(new URLSearchParams({ RelayState: form.RelayState }));
    assert.equal(none.status, 400);
    const garbage = await post(new URLSearchParams({ SAMLResponse: 'not%%base64', RelayState: 'x' }));
    assert.equal(garbage.status, 400);
    const huge = await post(new URLSearchParams({ SAMLResponse: 'A'.repeat(300_000), RelayState: form.RelayState }));
    assert.equal(huge.status, 400);
    const big = await post(new URLSearchParams({ SAMLResponse: 'A'.repeat(100_004), RelayState: form.RelayState }));
    assert.equal(big.status, 400);
    assert.match(await big.text(), /longer than 100,000 characters/);
    const notForm = await fetch(`${base}/saml2/idpresponse`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'SAMLResponse=x' });
    assert.equal(notForm.status, 400);
    const repeated = await post(`SAMLResponse=a&SAMLResponse=b&RelayState=${encodeURIComponent(form.RelayState)}`);
    assert.equal(repeated.status, 400);
  });

  sqliteOnly('an unreadable SAMLResponse with a good RelayState goes back to the app, not a 500', async () => {
    const form = await idpForm('dave');
    const res = await post(new URLSearchParams({ SAMLResponse: Buffer.from('<not-saml/>').toString('base64'), RelayState: form.RelayState }));
    assert.equal(res.status, 302);
    const back = new URL(res.headers.get('location') as string);
    assert.equal(back.searchParams.get('error'), 'server_error');
    assert.match(back.searchParams.get('error_description') ?? '', /^Invalid SAML response received: /);
  });

  sqliteOnly('a sign-in left unfinished for 5 minutes is cancelled', async () => {
    const form = await idpForm('erin');
    server.clock.advance(5 * 60_000 + 1);
    try {
      const res = await post(new URLSearchParams(form));
      assert.equal(res.status, 400);
      assert.match(await res.text(), /longer than 5 minutes/);
    } finally {
      server.clock.advance(-(5 * 60_000 + 1));
    }
  });

  sqliteOnly('a response to another AuthnRequest is refused (InResponseTo)', async () => {
    const first = await idpForm('frank');
    const second = await idpForm('frank');
    const res = await post(new URLSearchParams({ SAMLResponse: first.SAMLResponse, RelayState: second.RelayState }));
    const back = new URL(res.headers.get('location') as string);
    assert.equal(back.searchParams.get('error'), 'server_error');
    assert.equal(back.searchParams.get('error_description'), `${PREFIX}InResponseTo attribute in the SAML response does not match the ID that was sent with the SAML authentication request`);
  });

  it('a native user linked to a NameID (AdminLinkProviderForUser) signs in as that user', async () => {
    await createConfirmedUser(server.client, poolId, 'nina', { password: 'Correct-Horse-1' });
    await server.client.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: poolId,
        DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'nina' },
        SourceUser: { ProviderName: 'CorpSAML', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'nina.saml' },
      }),
    );
    idp.attributes = { [EMAIL]: 'nina@corp.example' };
    const res = await post(new URLSearchParams(await idpForm('nina.saml')));
    const id = await tokensFor(new URL(res.headers.get('location') as string).searchParams.get('code') as string);
    assert.equal(id['cognito:username'], 'nina');
    assert.deepEqual((id.identities as Record<string, unknown>[]).map((e) => [e.userId, e.providerName, e.providerType]), [['nina.saml', 'CorpSAML', 'SAML']]);
  });

  sqliteOnly('IdP-initiated sign-in only when the provider has IDPInit true', async () => {
    const relay = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid email', identity_provider: 'CorpSAML', state: 'idp-init' }).toString();
    idp.attributes = { [EMAIL]: 'gina@corp.example' };
    const refused = await post(new URLSearchParams({ SAMLResponse: await idp.unsolicitedResponse('gina'), RelayState: relay }));
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /Invalid samlResponse or relayState from identity provider/);

    await server.client.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'CorpSAML', ProviderDetails: { MetadataURL: idp.metadataUrl, IDPInit: 'true' } }));
    try {
      const res = await post(new URLSearchParams({ SAMLResponse: await idp.unsolicitedResponse('gina'), RelayState: relay }));
      assert.equal(res.status, 302);
      const back = new URL(res.headers.get('location') as string);
      assert.equal(back.searchParams.get('state'), 'idp-init');
      const id = await tokensFor(back.searchParams.get('code') as string);
      assert.equal(id['cognito:username'], 'CorpSAML_gina');
      // A response that answers an AuthnRequest is not an IdP-initiated one.
      const solicited = await idpForm('gina');
      const mixed = await post(new URLSearchParams({ SAMLResponse: solicited.SAMLResponse, RelayState: relay }));
      assert.equal(new URL(mixed.headers.get('location') as string).searchParams.get('error'), 'server_error');
    } finally {
      await server.client.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'CorpSAML', ProviderDetails: { MetadataURL: idp.metadataUrl } }));
    }
  });

  sqliteOnly('RequestSigningAlgorithm rsa-sha256 signs the AuthnRequest with the pool certificate of GetSigningCertificate', async () => {
    const certificate = (await server.client.send(new GetSigningCertificateCommand({ UserPoolId: poolId }))).Certificate as string;
    const strict = await startSamlIdp({ spEntityId: `urn:amazon:cognito:sp:${poolId}`, acsUrl: `${base}/saml2/idpresponse`, now: () => server.clock.nowMs(), spCertificate: certificate, wantAuthnRequestsSigned: true });
    try {
      await server.client.send(
        new CreateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: 'SignedSAML',
          ProviderType: 'SAML',
          ProviderDetails: { MetadataFile: strict.metadata, RequestSigningAlgorithm: 'rsa-sha256' },
          AttributeMapping: { email: EMAIL },
        }),
      );
      const appClientId = await oauthClient(server, poolId, { ClientName: 'signed', AllowedOAuthScopes: ['openid'], SupportedIdentityProviders: ['SignedSAML'] });
      const query = new URLSearchParams({ response_type: 'code', client_id: appClientId, redirect_uri: CALLBACK, identity_provider: 'SignedSAML' });
      const start = await fetch(`${base}/oauth2/authorize?${query}`, { redirect: 'manual' });
      const location = new URL(start.headers.get('location') as string);
      assert.equal(location.searchParams.get('SigAlg'), 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
      // The IdP (samlify) verifies the signature with the pool's certificate before it shows its page.
      const sso = await fetch(location);
      assert.equal(sso.status, 200, await sso.clone().text());
      assert.equal(strict.requests.at(-1)?.signed, true);
      // A signature that does not verify is refused by the IdP.
      location.searchParams.set('Signature', Buffer.alloc(256, 1).toString('base64'));
      assert.equal((await fetch(location)).status, 500);
    } finally {
      await strict.close();
    }
  });

  sqliteOnly('EncryptedResponses true: an assertion encrypted for the pool certificate is decrypted and signs the user in', async () => {
    const certificate = (await server.client.send(new GetSigningCertificateCommand({ UserPoolId: poolId }))).Certificate as string;
    const sealed = await startSamlIdp({ spEntityId: `urn:amazon:cognito:sp:${poolId}`, acsUrl: `${base}/saml2/idpresponse`, now: () => server.clock.nowMs(), encryptFor: certificate });
    try {
      const made = await server.client.send(
        new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'SealedSAML', ProviderType: 'SAML', ProviderDetails: { MetadataURL: sealed.metadataUrl, EncryptedResponses: 'true' }, AttributeMapping: { email: EMAIL } }),
      );
      // The certificate the IdP encrypts for, as AWS shows it.
      assert.equal(made.IdentityProvider?.ProviderDetails?.ActiveEncryptionCertificate, certificate);
      const appClientId = await oauthClient(server, poolId, { ClientName: 'sealed', AllowedOAuthScopes: ['openid', 'email'], SupportedIdentityProviders: ['SealedSAML'] });
      sealed.attributes = { [EMAIL]: 'hana@corp.example' };
      const form = await idpFormAt(sealed, new URLSearchParams({ response_type: 'code', client_id: appClientId, redirect_uri: CALLBACK, identity_provider: 'SealedSAML', scope: 'openid email' }), 'hana');
      assert.match(Buffer.from(form.SAMLResponse, 'base64').toString('utf8'), /EncryptedAssertion/);
      const res = await post(new URLSearchParams(form));
      assert.equal(res.status, 302);
      const code = new URL(res.headers.get('location') as string).searchParams.get('code');
      assert.ok(code, res.headers.get('location') ?? '');
      const token = await fetch(`${base}/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: appClientId, code, redirect_uri: CALLBACK }).toString(),
      });
      const idToken = ((await token.json()) as { id_token: string }).id_token;
      const claims = JSON.parse(Buffer.from(idToken.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
      assert.equal(claims.email, 'hana@corp.example');
      assert.equal(claims['cognito:username'], 'SealedSAML_hana');

      // Without EncryptedResponses the pool has no key for it: refused, not a 500.
      const updated = await server.client.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'SealedSAML', ProviderDetails: { MetadataURL: sealed.metadataUrl } }));
      assert.equal(updated.IdentityProvider?.ProviderDetails?.ActiveEncryptionCertificate, undefined);
      const again = await idpFormAt(sealed, new URLSearchParams({ response_type: 'code', client_id: appClientId, redirect_uri: CALLBACK, identity_provider: 'SealedSAML' }), 'hana');
      const refused = new URL((await post(new URLSearchParams(again))).headers.get('location') as string);
      assert.equal(refused.searchParams.get('error'), 'server_error');
      assert.match(refused.searchParams.get('error_description') ?? '', /encrypted/);
    } finally {
      await sealed.close();
    }
  });

  sqliteOnly('a required attribute the IdP does not send: AWS\'s "Invalid user attributes" text, no user made', async () => {
    const { poolId: otherId, base: otherBase } = await poolWithDomain(server, 'saml-required', {
      PoolName: 'saml-required',
      Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
    });
    const strictIdp = await startSamlIdp({ spEntityId: `urn:amazon:cognito:sp:${otherId}`, acsUrl: `${otherBase}/saml2/idpresponse`, now: () => server.clock.nowMs() });
    try {
      await server.client.send(new CreateIdentityProviderCommand({ UserPoolId: otherId, ProviderName: 'CorpSAML', ProviderType: 'SAML', ProviderDetails: { MetadataFile: strictIdp.metadata }, AttributeMapping: { email: EMAIL } }));
      const appClientId = await oauthClient(server, otherId, { ClientName: 'web', AllowedOAuthScopes: ['openid'], SupportedIdentityProviders: ['CorpSAML'] });
      strictIdp.attributes = { displayName: 'No Mail' };
      const query = new URLSearchParams({ response_type: 'code', client_id: appClientId, redirect_uri: CALLBACK, identity_provider: 'CorpSAML', state: 'r' });
      const start = await fetch(`${otherBase}/oauth2/authorize?${query}`, { redirect: 'manual' });
      const sso = await (await fetch(start.headers.get('location') as string)).text();
      const hidden = (html: string, name: string) => (new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '').replace(/&amp;/g, '&');
      const login = await (
        await fetch(`${strictIdp.url}/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ request: hidden(sso, 'request'), relay: hidden(sso, 'relay'), nameid: 'nomail' }).toString() })
      ).text();
      const res = await fetch(`${otherBase}/saml2/idpresponse`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ SAMLResponse: hidden(login, 'SAMLResponse'), RelayState: hidden(login, 'RelayState') }).toString(),
      });
      const back = new URL(res.headers.get('location') as string);
      assert.equal(back.searchParams.get('error'), 'invalid_request');
      assert.equal(back.searchParams.get('error_description'), `${PREFIX}Invalid user attributes: email: The attribute is required`);
      await assert.rejects(server.client.send(new AdminGetUserCommand({ UserPoolId: otherId, Username: 'CorpSAML_nomail' })), { name: 'UserNotFoundException' });
    } finally {
      await strictIdp.close();
    }
  });

  sqliteOnly('an IdP with only an HTTP-POST SingleSignOnService gets the AuthnRequest by a form the user submits', async () => {
    const postOnly = idp.metadata.replace(/urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-Redirect/g, 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    await server.client.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'PostSAML', ProviderType: 'SAML', ProviderDetails: { MetadataFile: postOnly } }));
    const appClientId = await oauthClient(server, poolId, { ClientName: 'post', AllowedOAuthScopes: ['openid'], SupportedIdentityProviders: ['PostSAML'] });
    const query = new URLSearchParams({ response_type: 'code', client_id: appClientId, redirect_uri: CALLBACK, identity_provider: 'PostSAML' });
    const res = await fetch(`${base}/oauth2/authorize?${query}`, { redirect: 'manual' });
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, new RegExp(`<form method="post" action="${idp.url}/sso">`));
    const request = Buffer.from(/name="SAMLRequest" value="([^"]+)"/.exec(page)?.[1] ?? '', 'base64').toString('utf8');
    assert.match(request, new RegExp(`AssertionConsumerServiceURL="${base}/saml2/idpresponse"`));
    assert.match(request, new RegExp(`<saml:Issuer[^>]*>urn:amazon:cognito:sp:${poolId}</saml:Issuer>`));
    assert.match(page, /name="RelayState" value="[^"]+"/);
  });

  sqliteOnly('a provider whose metadata cannot be read sends the browser back with invalid_request', async () => {
    await server.client.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'BrokenSAML', ProviderType: 'SAML', ProviderDetails: { MetadataFile: '<not metadata' } }));
    const appClientId = await oauthClient(server, poolId, { ClientName: 'broken', AllowedOAuthScopes: ['openid'], SupportedIdentityProviders: ['BrokenSAML'] });
    const query = new URLSearchParams({ response_type: 'code', client_id: appClientId, redirect_uri: CALLBACK, identity_provider: 'BrokenSAML', state: 's' });
    const res = await fetch(`${base}/oauth2/authorize?${query}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const back = new URL(res.headers.get('location') as string);
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(back.searchParams.get('error_description') ?? '', /Unable to read the SAML metadata of identity provider BrokenSAML/);
  });
});
