import { CreateUserPoolClientCommand, CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Browser } from 'playwright-core';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { CHROMIUM } from './support/managed-login.js';
import { startServer, type TestServer } from './support/server.js';

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install -y chromium): Amplify's signInWithRedirect needs a real browser`;
const PASSWORD = 'Correct-Horse-1';
const DOMAIN = 'amplify-tests.auth.us-east-1.amazoncognito.com';

/**
 * Amplify Auth v6 `signInWithRedirect`, unmodified, in Chromium: a page served here loads
 * aws-amplify (bundled now with esbuild) configured with the pool's domain; Amplify sends the
 * browser to https://<domain>/oauth2/authorize with PKCE, the user signs in on the managed login
 * page, and Amplify's listener exchanges the code at https://<domain>/oauth2/token.
 * Amplify always speaks https to the domain, so the browser's requests to it are handed to
 * userpoold's path-prefixed endpoints (/<poolId>/...) by request interception; everything
 * else, redirects included, is the browser's own.
 */
describe('Amplify Auth v6 signInWithRedirect through the managed login pages', { skip }, () => {
  let server: TestServer;
  let app: Server;
  let browser: Browser;
  let origin: string;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startServer();
    // Amplify judges token times by the real clock.
    server.clock.set(Date.now());
    const { build } = await import('esbuild');
    const bundled = await build({
      entryPoints: [new URL('fixtures/amplify-redirect-app.mjs', import.meta.url).pathname],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      write: false,
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    });
    const script = bundled.outputFiles[0]?.text ?? '';
    app = createServer((req, res) => {
      if (req.url === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      const config = JSON.stringify({ userPoolId: poolId, clientId, domain: DOMAIN });
      res.writeHead(200, { 'content-type': 'text/html' }).end(
        `<!doctype html><html lang="en"><title>app</title><script type="application/json" id="config">${config}</script><button id="sign-in">Sign in</button><pre id="out"></pre><script type="module" src="/app.js"></script></html>`,
      );
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    // localhost: a secure context (Amplify's PKCE needs crypto.subtle) and a loopback callback.
    origin = `http://localhost:${(app.address() as AddressInfo).port}`;

    poolId = (await createPoolWithClient(server.client, { PoolName: 'amplify-redirect' })).poolId;
    await server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'amplify-tests' }));
    const client = await server.client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'amplify-web',
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: [`${origin}/`],
        LogoutURLs: [`${origin}/`],
        SupportedIdentityProviders: ['COGNITO'],
      }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
    await createConfirmedUser(server.client, poolId, 'nora', { password: PASSWORD });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.close(resolve));
    await server?.close();
  });

  it('signs in with the redirect and PKCE, and fetchAuthSession holds the pool tokens', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const toDomain: string[] = [];
    await page.route(`https://${DOMAIN}/**`, async (route) => {
      const asked = new URL(route.request().url());
      toDomain.push(`${route.request().method()} ${asked.pathname}`);
      const response = await route.fetch({ url: `${server.url}/${poolId}${asked.pathname}${asked.search}`, maxRedirects: 0 });
      await route.fulfill({ response });
    });
    await page.goto(`${origin}/`);
    await page.waitForSelector('#out[data-ready="yes"]', { state: 'attached' });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Username').fill('nora');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('#out[data-done]', { state: 'attached', timeout: 30_000 });
    const text = (await page.locator('#out').textContent()) ?? '';
    assert.doesNotMatch(text, /^failure/, text);
    const session = JSON.parse(text) as { username: string; idToken: string; accessToken: string };
    assert.equal(session.username, 'nora');
    assert.ok(toDomain.includes('GET /oauth2/authorize'), toDomain.join(', '));
    assert.ok(toDomain.includes('POST /oauth2/token'), toDomain.join(', '));
    const base = `${server.url}/${poolId}`;
    const jwks = createRemoteJWKSet(new URL(`${base}/.well-known/jwks.json`));
    const id = (await jwtVerify(session.idToken, jwks, { issuer: base, audience: clientId, currentDate: new Date(server.clock.nowMs()) })).payload;
    assert.equal(id['cognito:username'], 'nora');
    const access = (await jwtVerify(session.accessToken, jwks, { issuer: base, currentDate: new Date(server.clock.nowMs()) })).payload;
    assert.equal(access.scope, 'openid email');
    assert.equal(access.client_id, clientId);
    await context.close();
  });
});
