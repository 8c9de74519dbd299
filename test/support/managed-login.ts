import { CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand, type CreateUserPoolClientCommandInput, type CreateUserPoolCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createPoolWithClient } from './fixtures.js';
import type { TestServer } from './server.js';
import type { TestSmtp } from './smtp.js';

/** What the managed login page tests share: a pool with a domain and an OAuth client, PKCE, codes read from mail. */

export const CALLBACK = 'https://app.example/callback';
export const CHROMIUM = '/usr/bin/chromium';

export interface OAuthPool {
  poolId: string;
  clientId: string;
  base: string;
}

export async function oauthPool(server: TestServer, domain: string, pool: CreateUserPoolCommandInput, client: Partial<CreateUserPoolClientCommandInput> = {}): Promise<OAuthPool> {
  const { poolId } = await createPoolWithClient(server.client, pool);
  await server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain }));
  const clientId = await oauthClient(server, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], ...client });
  return { poolId, clientId, base: `${server.url}/${poolId}` };
}

/** A pool (and nothing else) with the managed-login `domain`; `base` is the root of its endpoints. */
export async function poolWithDomain(server: TestServer, domain: string, pool: CreateUserPoolCommandInput): Promise<{ poolId: string; base: string }> {
  const created = await server.client.send(new CreateUserPoolCommand(pool));
  const poolId = created.UserPool?.Id as string;
  await server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain }));
  return { poolId, base: `${server.url}/${poolId}` };
}

/** The app's client: the code grant back to CALLBACK with openid, email and profile, through Cognito's own page unless `over` says otherwise. */
export async function oauthClient(server: TestServer, poolId: string, over: Partial<CreateUserPoolClientCommandInput> = {}): Promise<string> {
  const made = await server.client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO'],
      ...over,
    }),
  );
  return made.UserPoolClient?.ClientId as string;
}

/** The skip reason of a browser test on a machine without Chromium, else false. */
export function chromiumMissing(test: string): string | false {
  return existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install -y chromium): the ${test} needs a real browser`;
}

/** Headless Chromium from the system (never a downloaded browser). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(pool: OAuthPool, over: Record<string, string> = {}): string {
  return `${pool.base}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: pool.clientId, redirect_uri: CALLBACK, state: 'st-1', scope: 'openid email', ...over })}`;
}

/** The tokens for a code, exchanged at the token endpoint. */
export async function exchange(pool: OAuthPool, code: string, verifier?: string): Promise<{ status: number; body: Record<string, string> }> {
  const form = { grant_type: 'authorization_code', client_id: pool.clientId, code, redirect_uri: CALLBACK, ...(verifier && { code_verifier: verifier }) };
  const res = await fetch(`${pool.base}/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

/** The one six-digit code of the newest mail to `address`, waiting for the `nth` (1-based) mail to it. */
export async function mailedCode(smtp: TestSmtp, address: string, nth: number): Promise<string> {
  const to = () => smtp.messages.filter((m) => m.envelope.to.includes(address));
  await smtp.waitFor(() => to().length >= nth, 15_000);
  const text = to()[nth - 1]?.text ?? '';
  const codes = text.match(/\b\d{6}\b/g) ?? [];
  assert.equal(codes.length, 1, `one code expected in ${JSON.stringify(text)}`);
  return codes[0] as string;
}

/** The app's side of the redirect: the browser's requests to the callback are answered here and remembered. */
export async function catchCallbacks(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.route('https://app.example/**', async (route) => {
    seen.push(route.request().url());
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>app</title><p>signed in</p>' });
  });
  return seen;
}

/**
 * Screenshots of the pages for docs/screenshots/, written only when USERPOOLD_SCREENSHOTS names
 * a folder (scripts/screenshots-managed-login.ts sets it), so ordinary test runs never rewrite
 * the committed images.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.USERPOOLD_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `managed-login-${name}.png`), fullPage: true });
}

/** A browser without script, for what a real one would not send: cookies kept, redirects not followed. */
export class FormBrowser {
  cookies = new Map<string, string>();
  async go(url: string, init: RequestInit = {}): Promise<{ status: number; location: string | null; html: string; headers: Headers }> {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';') as [string];
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value === '' || /Max-Age=0/.test(line)) this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), value);
    }
    return { status: res.status, location: res.headers.get('location'), html: await res.text(), headers: res.headers };
  }
  /** The page's hidden fields, by name. */
  static hidden(pageHtml: string, formIndex = 0): Record<string, string> {
    const formHtml = [...pageHtml.matchAll(/<form [\s\S]*?<\/form>/g)][formIndex]?.[0] ?? '';
    return Object.fromEntries([...formHtml.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], unescapeHtml(m[2] as string)]));
  }
  static action(pageHtml: string, formIndex = 0): string {
    const action = [...pageHtml.matchAll(/<form method="post" action="([^"]+)"/g)][formIndex]?.[1];
    assert.ok(action, 'the page has that form');
    return unescapeHtml(action);
  }
  /** Submits a form of the page with its hidden fields and `fields` (which may override them). */
  submit(pageHtml: string, fields: Record<string, string>, formIndex = 0) {
    return this.post(FormBrowser.action(pageHtml, formIndex), { ...FormBrowser.hidden(pageHtml, formIndex), ...fields });
  }
  post(url: string, fields: Record<string, string>) {
    return this.go(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  }
}

function unescapeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * What every managed login page promises without a browser to check it: a language, one h1,
 * no script, and every visible input labelled (a <label for> naming its id), in document order.
 */
export function assertAccessiblePage(pageHtml: string): void {
  assert.match(pageHtml, /^<!doctype html><html lang="en">/);
  assert.doesNotMatch(pageHtml, /<script/i);
  assert.equal((pageHtml.match(/<h1>/g) ?? []).length, 1);
  const labelled = new Set([...pageHtml.matchAll(/<label [^>]*for="([^"]+)"/g)].map((m) => m[1]));
  for (const input of pageHtml.matchAll(/<input ([^>]*)>/g)) {
    const attrs = input[1] as string;
    if (/type="hidden"/.test(attrs)) continue;
    const id = /id="([^"]+)"/.exec(attrs)?.[1];
    assert.ok(id && labelled.has(id), `input without a label: <input ${attrs}>`);
  }
}
