import { CreateUserPoolClientCommand, CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { startServer, type TestServer } from './support/server.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install -y chromium): the managed login browser test needs a real browser`;
const CALLBACK = 'https://app.example/callback';
const PASSWORD = 'Correct-Horse-1';

/**
 * The managed login pages in a real browser, driven by an OIDC relying-party library
 * (openid-client): discovery, authorization code with PKCE, the sign-in form filled and
 * submitted without script, and the ID token validated by the library (issuer, audience,
 * signature from the JWKS, nonce, state).
 */
describe('managed login in a real browser with an OIDC relying party', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startServer();
    // openid-client checks iat and exp against the real time.
    server.clock.set(Date.now());
    poolId = (await createPoolWithClient(server.client, { PoolName: 'browser' })).poolId;
    await server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'browser-tests' }));
    const client = await server.client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'rp',
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email', 'profile'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
      }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
    await createConfirmedUser(server.client, poolId, 'carol', { password: PASSWORD });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in through the pages and the library validates the ID token', async () => {
    const oidc = await import('openid-client');
    const config = await oidc.discovery(new URL(`${server.url}/${poolId}`), clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
      state,
    });

    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    let callback: string | undefined;
    await page.route('https://app.example/**', async (route) => {
      callback = route.request().url();
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'signed in' });
    });
    await page.goto(url.href);
    await page.getByLabel('Username').fill('carol');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/^https:\/\/app\.example\/callback/);
    assert.ok(callback, 'the browser came back to the callback URL');

    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state });
    const claims = tokens.claims();
    assert.equal(claims?.['cognito:username'], 'carol');
    assert.equal(claims?.aud, clientId);
    assert.equal(claims?.email, 'carol@example.com');
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub as string);
    assert.equal(info.email, 'carol@example.com');
    await context.close();
  });
});
