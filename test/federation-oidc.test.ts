import {
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  CreateIdentityProviderCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { createConfirmedUser } from './support/fixtures.js';
import { startOidcIdp, type OidcIdp } from './support/oidc-idp.js';
import { startRogueIdp, type RogueIdp } from './support/rogue-oidc.js';
import { startSwitchboard, type SeenEvent, type Switchboard } from './support/trigger-switchboard.js';
import { CALLBACK, chromiumMissing, launchChromium, oauthClient, poolWithDomain } from './support/managed-login.js';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';

const skip = chromiumMissing('federation browser test');

/**
 * Sign-in through an external OpenID Provider (issue #20): userpoold's /oauth2/authorize with
 * identity_provider sends the browser to a real provider (oidc-provider, started here), whose
 * login page Chromium fills; /oauth2/idpresponse exchanges the code (client_secret_post),
 * verifies the ID token, reads userInfo, and signs the user in. The app's code is exchanged at
 * /oauth2/token and the ID token verified with jose against the pool's JWKS. A misbehaving
 * provider (support/rogue-oidc.ts) gives the refusals: wrong nonce, issuer, audience, expiry,
 * token endpoint failure; each comes back to the app as error / error_description.
 */
for (const dialect of E2E_DIALECTS) describe(`federation: sign-in through an OIDC provider in a real browser (${dialect})`, { skip: skip || skipFor(dialect) }, () => {
  // PostgreSQL runs the cases that write and find federated and linked users; the others test no storage of their own.
  const sqliteOnly = (name: string, fn: () => Promise<void>) => it(name, { skip: dialect === 'postgres' && 'runs on SQLite only: it checks no storage of its own' }, fn);
  let sb: Switchboard;
  let idp: OidcIdp;
  let rogue: RogueIdp;
  let browser: Browser;
  let poolId: string;
  let clientId: string;
  let base: string;

  before(async () => {
    sb = await startSwitchboard({}, {}, dialect);
    // The providers sign with the real time; the pool checks their tokens with its clock.
    sb.server.clock.set(Date.now());
    const client = sb.server.client;
    ({ poolId, base } = await poolWithDomain(sb.server, 'federation-tests', {
      PoolName: 'federation',
      LambdaConfig: { PreSignUp: sb.arn, PostConfirmation: sb.arn, PreAuthentication: sb.arn, PostAuthentication: sb.arn, PreTokenGeneration: sb.arn },
    }));
    idp = await startOidcIdp([`${base}/oauth2/idpresponse`]);
    rogue = await startRogueIdp('rogue-client');
    await client.send(
      new CreateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: 'Corp',
        ProviderType: 'OIDC',
        ProviderDetails: { client_id: idp.clientId, client_secret: idp.clientSecret, authorize_scopes: 'openid email profile', oidc_issuer: idp.issuer, attributes_request_method: 'GET' },
        AttributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name', given_name: 'given_name' },
        IdpIdentifiers: ['corp.example'],
      }),
    );
    await client.send(
      new CreateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: 'Rogue',
        ProviderType: 'OIDC',
        ProviderDetails: {
          client_id: 'rogue-client',
          client_secret: 'rogue-secret',
          authorize_scopes: 'openid email',
          oidc_issuer: rogue.issuer,
          attributes_request_method: 'GET',
          authorize_url: `${rogue.issuer}/authorize`,
          token_url: `${rogue.issuer}/token`,
          attributes_url: `${rogue.issuer}/userinfo`,
          jwks_uri: `${rogue.issuer}/jwks`,
        },
        AttributeMapping: { email: 'email' },
      }),
    );
    // Social providers, pointed at the local ones: Google is OIDC (discovery from oidc_issuer), Facebook is OAuth 2.0 plus its Graph API.
    await client.send(
      new CreateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: 'Google',
        ProviderType: 'Google',
        ProviderDetails: { client_id: idp.clientId, client_secret: idp.clientSecret, authorize_scopes: 'openid email profile', oidc_issuer: idp.issuer },
        AttributeMapping: { email: 'email', name: 'name' },
      }),
    );
    await client.send(
      new CreateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: 'Facebook',
        ProviderType: 'Facebook',
        ProviderDetails: {
          client_id: 'rogue-client',
          client_secret: 'rogue-secret',
          authorize_scopes: 'public_profile,email',
          authorize_url: `${rogue.issuer}/authorize`,
          token_url: `${rogue.issuer}/token`,
          attributes_url: `${rogue.issuer}/me?fields=`,
        },
        AttributeMapping: { email: 'email', name: 'name' },
      }),
    );
    clientId = await oauthClient(sb.server, poolId, { SupportedIdentityProviders: ['COGNITO', 'Corp', 'Rogue', 'Google', 'Facebook'] });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await idp?.close();
    await rogue?.close();
    await sb?.close();
  });

  const authorizeUrl = (extra: Record<string, string>) =>
    `${base}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid email profile', state: 'app-state-1', ...extra })}`;

  /** A fresh browser whose visits to the app's callback are caught and answered. */
  async function newPage(): Promise<{ page: Page; callback: () => URL; close: () => Promise<void> }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    let seen: string | undefined;
    await page.route('https://app.example/**', async (route) => {
      seen = route.request().url();
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'back in the app' });
    });
    // A navigation that is redirects from start to end reaches the app without the route (Playwright
    // routes only a redirect chain's first request); the request itself is still seen here.
    page.on('request', (request) => {
      if (request.url().startsWith('https://app.example/')) seen = request.url();
    });
    return {
      page,
      callback: () => {
        assert.ok(seen, 'the browser came back to the app');
        return new URL(seen);
      },
      close: () => context.close(),
    };
  }

  /** The provider's development login page: any login name signs in as that account. */
  async function signInAtProvider(page: Page, login: string): Promise<void> {
    await page.getByPlaceholder('Enter any login').fill(login);
    await page.getByPlaceholder('and password').fill('anything');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.waitForURL(/^https:\/\/app\.example\/callback/);
  }

  async function tokensFor(code: string): Promise<{ id: JWTPayload; access: JWTPayload }> {
    const res = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: CALLBACK }).toString(),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as { id_token: string; access_token: string };
    const keys = createRemoteJWKSet(new URL(`${base}/.well-known/jwks.json`));
    const options = { issuer: `${sb.server.url}/${poolId}`, currentDate: new Date(sb.server.clock.nowMs()) };
    const id = (await jwtVerify(body.id_token, keys, { ...options, audience: clientId })).payload;
    const access = (await jwtVerify(body.access_token, keys, options)).payload;
    return { id, access };
  }

  it('a first sign-in creates the user <provider>_<sub>: PreSignUp_ExternalProvider, mapping, identities in the ID token', async () => {
    idp.accounts.set('alice', { email: 'alice@corp.example', email_verified: true, name: 'Alice Liddell', given_name: 'Alice' });
    sb.answer((event) => event);
    const { page, callback, close } = await newPage();
    await page.goto(authorizeUrl({ identity_provider: 'Corp' }));
    assert.ok(page.url().startsWith(idp.issuer), `the browser went straight to the provider (${page.url()})`);
    await signInAtProvider(page, 'alice');
    const back = callback();
    await close();
    assert.equal(back.searchParams.get('state'), 'app-state-1');
    const code = back.searchParams.get('code');
    assert.ok(code, `a code came back (${back.search})`);

    const preSignUp = sb.events('PreSignUp_ExternalProvider');
    assert.equal(preSignUp.length, 1);
    assert.deepEqual(preSignUp[0], {
      version: '1',
      triggerSource: 'PreSignUp_ExternalProvider',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: 'Corp_alice',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
      request: { userAttributes: { email: 'alice@corp.example', email_verified: 'true', name: 'Alice Liddell', given_name: 'Alice' }, validationData: null },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    } satisfies SeenEvent);
    assert.equal(sb.events('PostConfirmation_ConfirmSignUp').length, 1, 'PostConfirmation runs at the first sign-in');
    assert.equal(sb.events('PostAuthentication_Authentication').length, 0, 'PostAuthentication does not run at the first sign-in');

    const { id, access } = await tokensFor(code);
    assert.equal(sb.events('TokenGeneration_HostedAuth').length, 1, 'PreTokenGeneration runs as TokenGeneration_HostedAuth');
    assert.equal(id['cognito:username'], 'Corp_alice');
    assert.equal(access.username, 'Corp_alice');
    assert.equal(id.email, 'alice@corp.example');
    assert.equal(id.email_verified, true);
    assert.equal(id.name, 'Alice Liddell');
    const identities = id.identities as Record<string, unknown>[];
    assert.equal(identities.length, 1);
    assert.deepEqual({ ...identities[0], dateCreated: undefined }, { userId: 'alice', providerName: 'Corp', providerType: 'OIDC', issuer: idp.issuer, primary: 'true', dateCreated: undefined });
    assert.match(String(identities[0]?.dateCreated), /^\d{13}$/);

    const user = await sb.server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'Corp_alice' }));
    assert.equal(user.UserStatus, 'EXTERNAL_PROVIDER');
    assert.equal(user.UserAttributes?.find((a) => a.Name === 'sub')?.Value, id.sub);
    const stored = JSON.parse(user.UserAttributes?.find((a) => a.Name === 'identities')?.Value ?? '[]') as Record<string, unknown>[];
    assert.deepEqual(stored.map((e) => [e.userId, e.providerName, e.providerType, e.primary]), [['alice', 'Corp', 'OIDC', true]]);
  });

  it('a second sign-in (from the /login page link) finds the user and rewrites the mapped attributes; a missing claim keeps its value', async () => {
    idp.accounts.set('alice', { email: 'alice@corp.example', email_verified: true, name: 'Alice Pleasance Liddell' });
    sb.answer((event) => event);
    const { page, callback, close } = await newPage();
    await page.goto(`${base}/login?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid email profile' })}`);
    await page.getByRole('link', { name: 'Sign in with Corp' }).click();
    await signInAtProvider(page, 'alice');
    const code = callback().searchParams.get('code') as string;
    await close();
    assert.equal(sb.events('PreSignUp_ExternalProvider').length, 0, 'no sign-up the second time');
    assert.equal(sb.events('PreAuthentication_Authentication').length, 1);
    assert.equal(sb.events('PostAuthentication_Authentication').length, 1);
    const { id } = await tokensFor(code);
    assert.equal(id['cognito:username'], 'Corp_alice');
    assert.equal(id.name, 'Alice Pleasance Liddell', 'rewritten from the claim');
    assert.equal(id.given_name, 'Alice', 'the provider no longer sends given_name: the old value stays');
    assert.equal((id.identities as unknown[]).length, 1, 'the same identity is not recorded twice');
  });

  sqliteOnly('idp_identifier picks the provider by its identifier', async () => {
    idp.accounts.set('carl', { email: 'carl@corp.example', email_verified: false, name: 'Carl' });
    const { page, callback, close } = await newPage();
    await page.goto(authorizeUrl({ idp_identifier: 'corp.example' }));
    await signInAtProvider(page, 'carl');
    const { id } = await tokensFor(callback().searchParams.get('code') as string);
    await close();
    assert.equal(id['cognito:username'], 'Corp_carl');
    assert.equal(id.email_verified, false);
  });

  it('a native user linked with AdminLinkProviderForUser signs in through the provider and gets their own tokens', async () => {
    await createConfirmedUser(sb.server.client, poolId, 'nora', { password: 'Correct-Horse-1' });
    const nora = await sb.server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'nora' }));
    const noraSub = nora.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
    await sb.server.client.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: poolId,
        DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'nora' },
        SourceUser: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'bob' },
      }),
    );
    idp.accounts.set('bob', { email: 'nora@example.com', email_verified: true, name: 'Nora (via Corp)' });
    sb.answer((event) => event);
    const { page, callback, close } = await newPage();
    await page.goto(authorizeUrl({ identity_provider: 'Corp' }));
    await signInAtProvider(page, 'bob');
    const { id, access } = await tokensFor(callback().searchParams.get('code') as string);
    await close();
    assert.equal(sb.events('PreSignUp_ExternalProvider').length, 0, 'a linked identity makes no new user');
    assert.equal(id.sub, noraSub);
    assert.equal(id['cognito:username'], 'nora');
    assert.equal(access.username, 'nora');
    assert.equal(id.name, 'Nora (via Corp)');
    assert.deepEqual((id.identities as Record<string, unknown>[]).map((e) => [e.userId, e.providerName, e.primary]), [['bob', 'Corp', 'true']]);
    const after = await sb.server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'nora' }));
    assert.equal(after.UserStatus, 'CONFIRMED');
    await assert.rejects(sb.server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'Corp_bob' })), { name: 'UserNotFoundException' });
  });

  sqliteOnly('a PreSignUp function that throws refuses the first sign-in; its text comes back as error_description', async () => {
    idp.accounts.set('eve', { email: 'eve@corp.example', email_verified: true });
    sb.answer((event) => {
      if (event.triggerSource === 'PreSignUp_ExternalProvider') throw new Error('Not on the guest list');
      return event;
    });
    const { page, callback, close } = await newPage();
    await page.goto(authorizeUrl({ identity_provider: 'Corp' }));
    await signInAtProvider(page, 'eve');
    const back = callback();
    await close();
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.equal(back.searchParams.get('error_description'), 'PreSignUp failed with error Not on the guest list.');
    assert.equal(back.searchParams.get('state'), 'app-state-1');
    await assert.rejects(sb.server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'Corp_eve' })), { name: 'UserNotFoundException' });
  });

  sqliteOnly('the provider answering error=access_denied goes back to the app as an error', async () => {
    sb.answer((event) => event);
    const { page, callback, close } = await newPage();
    await page.goto(authorizeUrl({ identity_provider: 'Corp' }));
    await page.getByRole('link', { name: /Cancel|Abort/i }).click();
    await page.waitForURL(/^https:\/\/app\.example\/callback/);
    const back = callback();
    await close();
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(back.searchParams.get('error_description') ?? '', /^access_denied/);
    assert.equal(back.searchParams.get('code'), null);
  });

  sqliteOnly('an unknown provider name, or one the client does not list, is an error page (never a 500)', async () => {
    for (const name of ['Nobody', 'Amazon', 'LoginWithAmazon']) {
      const res = await fetch(authorizeUrl({ identity_provider: name }), { redirect: 'manual' });
      assert.equal(res.status, 400);
      assert.match(await res.text(), /Login option is not available\. Please try another one/);
    }
  });

  sqliteOnly('a provider the client does not list is not available; a client without COGNITO gets only the provider links', async () => {
    const make = (providers: string[]) => oauthClient(sb.server, poolId, { ClientName: providers.join('-'), AllowedOAuthScopes: ['openid'], SupportedIdentityProviders: providers });
    const cognitoOnly = await make(['COGNITO']);
    const corpOnly = await make(['Corp']);
    const query = (id: string, extra: Record<string, string> = {}) => new URLSearchParams({ response_type: 'code', client_id: id, redirect_uri: CALLBACK, scope: 'openid', ...extra });
    const refused = await fetch(`${base}/oauth2/authorize?${query(cognitoOnly, { identity_provider: 'Corp' })}`, { redirect: 'manual' });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /Login option is not available/);
    const login = await fetch(`${base}/login?${query(corpOnly)}`);
    const markup = await login.text();
    assert.match(markup, /Sign in with Corp/);
    assert.doesNotMatch(markup, /type="password"/, 'no password form for a client without COGNITO');
    const toCorp = await fetch(`${base}/oauth2/authorize?${query(corpOnly, { identity_provider: 'Corp' })}`, { redirect: 'manual' });
    assert.equal(toCorp.status, 302);
    const location = new URL(toCorp.headers.get('location') ?? '');
    assert.equal(`${location.origin}`, idp.issuer);
    assert.equal(location.searchParams.get('client_id'), idp.clientId);
    assert.equal(location.searchParams.get('redirect_uri'), `${base}/oauth2/idpresponse`);
    assert.equal(location.searchParams.get('response_type'), 'code');
    assert.ok(location.searchParams.get('state') && location.searchParams.get('nonce'));
    assert.match(toCorp.headers.get('set-cookie') ?? '', /userpoold_federation=[^;]+; Path=\/[^;]+\/; HttpOnly; SameSite=Lax; Max-Age=300/);
  });

  sqliteOnly('Google (an OIDC provider found by discovery) signs in as Google_<sub>, with issuer null in identities', async () => {
    idp.accounts.set('gina', { email: 'gina@gmail.example', email_verified: true, name: 'Gina' });
    const { page, callback, close } = await newPage();
    await page.goto(authorizeUrl({ identity_provider: 'Google' }));
    await signInAtProvider(page, 'gina');
    const back = callback();
    assert.ok(back.searchParams.get('code'), back.search);
    const { id } = await tokensFor(back.searchParams.get('code') as string);
    await close();
    assert.equal(id['cognito:username'], 'Google_gina');
    assert.equal(id.email, 'gina@gmail.example');
    assert.equal(id.email_verified, false, 'email_verified is not mapped');
    assert.deepEqual((id.identities as Record<string, unknown>[]).map((e) => [e.userId, e.providerName, e.providerType, e.issuer]), [['gina', 'Google', 'Google', null]]);
  });

  sqliteOnly('Facebook: the code exchanged, then the Graph API read with the mapped fields; the user is Facebook_<id>', async () => {
    rogue.mode = {};
    rogue.subject = '10203040';
    const { page, callback, close } = await newPage();
    await page.goto(authorizeUrl({ identity_provider: 'Facebook' })).catch(() => undefined);
    const back = callback();
    await close();
    assert.equal(rogue.authorizeRequests.at(-1)?.get('scope'), 'public_profile email');
    assert.equal(rogue.authorizeRequests.at(-1)?.get('nonce'), null, 'no nonce: Facebook has no ID token here');
    const { id } = await tokensFor(back.searchParams.get('code') as string);
    assert.equal(id['cognito:username'], 'Facebook_10203040');
    assert.equal(id.name, 'Rogue Person');
    const graph = rogue.attributeRequests.at(-1);
    assert.equal(graph?.authorization, 'Bearer rogue-access');
    assert.deepEqual(graph?.url.searchParams.get('fields')?.split(',').sort(), ['email', 'id', 'name']);
  });

  describe('a provider whose answers are wrong', () => {
    async function viaRogue(mode: RogueIdp['mode']): Promise<URL> {
      rogue.mode = mode;
      const { page, callback, close } = await newPage();
      await page.goto(authorizeUrl({ identity_provider: 'Rogue' })).catch(() => undefined);
      const back = callback();
      await close();
      return back;
    }
    const refused = (back: URL, description: RegExp) => {
      assert.equal(back.searchParams.get('code'), null, 'no code');
      assert.equal(back.searchParams.get('error'), 'invalid_request');
      assert.match(back.searchParams.get('error_description') ?? '', description);
      assert.equal(back.searchParams.get('state'), 'app-state-1');
    };

    sqliteOnly('signs in when nothing is wrong, authenticating with client_secret_post and sending a nonce', async () => {
      rogue.subject = 'r1';
      const back = await viaRogue({});
      const { id } = await tokensFor(back.searchParams.get('code') as string);
      assert.equal(id['cognito:username'], 'Rogue_r1');
      assert.equal(id.email, 'r1@rogue.example');
      const token = rogue.tokenRequests.at(-1);
      assert.equal(token?.headers.authorization, undefined, 'never client_secret_basic');
      assert.equal(token?.body.get('client_id'), 'rogue-client');
      assert.equal(token?.body.get('client_secret'), 'rogue-secret');
      assert.equal(token?.body.get('redirect_uri'), `${base}/oauth2/idpresponse`);
      const authorize = rogue.authorizeRequests.at(-1);
      assert.ok((authorize?.get('nonce') ?? '').length >= 20, 'a nonce is sent');
      assert.equal(authorize?.get('scope'), 'openid email');
    });

    sqliteOnly('refuses an ID token with a wrong nonce', async () => {
      refused(await viaRogue({ nonce: 'not-the-nonce-sent' }), /nonce/);
    });
    sqliteOnly('refuses an ID token with a wrong issuer', async () => {
      refused(await viaRogue({ issuer: 'https://impostor.example' }), /iss/);
    });
    sqliteOnly('refuses an ID token for another audience', async () => {
      refused(await viaRogue({ audience: 'someone-else' }), /aud/);
    });
    sqliteOnly('refuses an expired ID token', async () => {
      refused(await viaRogue({ expiresIn: -600 }), /expired/);
    });
    sqliteOnly('a token endpoint error is AWS\'s "<IdP> Error - <status> error getting token"', async () => {
      refused(await viaRogue({ tokenStatus: 400 }), /^Rogue Error - 400 error getting token$/);
    });
  });

  sqliteOnly('a disabled federated user is refused at the provider\'s return', async () => {
    await sb.server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'Corp_alice' }));
    const { page, callback, close } = await newPage();
    await page.goto(authorizeUrl({ identity_provider: 'Corp' }));
    await signInAtProvider(page, 'alice');
    const back = callback();
    await close();
    assert.equal(back.searchParams.get('code'), null);
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.equal(back.searchParams.get('error_description'), 'User is disabled.');
  });

  sqliteOnly('the state is bound to the browser and used once', async () => {
    rogue.mode = {};
    rogue.subject = 'r2';
    const { page, close } = await newPage();
    let idpResponse: string | undefined;
    page.on('request', (req) => {
      if (req.url().includes('/oauth2/idpresponse')) idpResponse = req.url();
    });
    await page.goto(authorizeUrl({ identity_provider: 'Rogue' })).catch(() => undefined);
    assert.ok(idpResponse);
    // Again in the same browser (a new tab: the first ended on the app's unresolvable host): the state was used (and its cookie cleared).
    const tab = await page.context().newPage();
    const again = await tab.goto(idpResponse);
    assert.equal(again?.status(), 400);
    assert.match(await tab.content(), /Please start again/);
    await close();
    // In another browser (no cookie of the sign-in): refused before anything else.
    const other = await fetch(idpResponse, { redirect: 'manual' });
    assert.equal(other.status, 400);
    assert.match(await other.text(), /another browser/);
    // A forged state.
    const forged = new URL(idpResponse);
    forged.searchParams.set('state', 'forged');
    const res = await fetch(forged, { redirect: 'manual' });
    assert.equal(res.status, 400);
  });
});
