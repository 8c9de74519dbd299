import { createHash, randomBytes } from 'node:crypto';
import type { Answer, PreparedRequest, Send, Step } from './load.js';
import { SEEDED_PASSWORD, seededUsername } from './seed.js';
import type { Preparer } from './sign.js';
import type { Scenario } from './workloads.js';

/**
 * The OAuth 2.0 endpoints (src/http/routes/oauth/), run only when --only names them:
 * - client_credentials: a machine client (secret by HTTP Basic) asks /oauth2/token for an
 *   access token with a resource-server scope: one RS256 signature per request;
 * - the authorization code: a browser with a managed-login session cookie asks
 *   /oauth2/authorize (302 with a code, no password check), then the app exchanges the code
 *   with its PKCE verifier at /oauth2/token: two requests, two signatures (ID and access token)
 *   and a refresh token written.
 * Both are compared with the RS256 signing rate measured in-process (limits.ts rs256Rate).
 * The pool (seeded users, limits of its own) gets its domain, resource server and clients
 * through the API once; the sessions are made by signing in on /login, before the measure.
 */
export const OAUTH = {
  clientCredentials: 'POST /oauth2/token client_credentials (1 signature)',
  codeExchange: 'authorization code: GET /oauth2/authorize with a session + POST /oauth2/token (2 requests, 2 signatures)',
} as const;

export const OAUTH_NAMES: readonly string[] = [OAUTH.clientCredentials, OAUTH.codeExchange];

const CALLBACK = 'https://app.example/callback';
/** One PKCE pair for the run: the exchange checks the verifier against the challenge on every request all the same. */
const VERIFIER = randomBytes(32).toString('base64url');
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

export interface OAuthSetup {
  poolId: string;
  /** Seeded users of the pool, for the browser sessions. */
  users: readonly number[];
}

interface Made {
  machine: { id: string; secret: string };
  web: string;
  cookies: string[];
}

async function api(url: string, prepare: Preparer, operation: Parameters<Preparer>[0], input: unknown): Promise<Record<string, unknown>> {
  const body = JSON.stringify(input);
  const [request] = await prepare(operation, [body]);
  const res = await fetch(url, { method: 'POST', headers: request?.headers, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${operation}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A managed-login session for a user: the sign-in page's CSRF cookie and token, then the form. */
async function sessionCookie(base: string, query: string, username: string): Promise<string> {
  const page = await fetch(`${base}/login?${query}`, { redirect: 'manual' });
  const csrfCookie = page.headers.getSetCookie().map((c) => c.split(';')[0] as string).find((c) => c.startsWith('userpoold_csrf='));
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrfCookie || !token) throw new Error(`/login gave no CSRF cookie or token (${page.status})`);
  const res = await fetch(`${base}/login?${query}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ _csrf: token, username, password: SEEDED_PASSWORD }).toString(),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(';')[0] as string).find((c) => c.startsWith('userpoold_session='));
  if (res.status !== 302 || !session) throw new Error(`sign-in on /login for ${username}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return session;
}

export function oauthScenarios(setup: OAuthSetup, wanted: (name: string) => boolean) {
  let made: Made | undefined;
  return async (url: string, prepare: Preparer): Promise<Scenario[]> => {
    const base = `${url.replace(/\/+$/, '')}/${setup.poolId}`;
    const query = new URLSearchParams({ response_type: 'code', client_id: '', redirect_uri: CALLBACK, scope: 'openid email', code_challenge: CHALLENGE, code_challenge_method: 'S256' });
    // The pool's OAuth configuration lives in the database: made in the first phase, kept for the next ones.
    if (!made) {
      await api(url, prepare, 'CreateUserPoolDomain', { UserPoolId: setup.poolId, Domain: `bench-oauth-${setup.poolId.slice(-8).toLowerCase()}` });
      await api(url, prepare, 'CreateResourceServer', { UserPoolId: setup.poolId, Identifier: 'bench', Name: 'bench', Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }] });
      const machine = (await api(url, prepare, 'CreateUserPoolClient', {
        UserPoolId: setup.poolId,
        ClientName: 'bench-machine',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: ['bench/read'],
      })).UserPoolClient as { ClientId: string; ClientSecret: string };
      const web = (await api(url, prepare, 'CreateUserPoolClient', {
        UserPoolId: setup.poolId,
        ClientName: 'bench-web',
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
      })).UserPoolClient as { ClientId: string };
      made = { machine: { id: machine.ClientId, secret: machine.ClientSecret }, web: web.ClientId, cookies: [] };
    }
    query.set('client_id', made.web);
    const out: Scenario[] = [];
    if (wanted(OAUTH.clientCredentials)) {
      const request: PreparedRequest = {
        method: 'POST',
        path: `/${setup.poolId}/oauth2/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${made.machine.id}:${made.machine.secret}`).toString('base64')}` },
        body: 'grant_type=client_credentials&scope=bench%2Fread',
      };
      out.push({ name: OAUTH.clientCredentials, common: false, signsPerStep: 1, step: expecting(request, (a) => a.status === 200 && a.text.includes('"access_token"')) });
    }
    if (wanted(OAUTH.codeExchange)) {
      // Sessions are sealed cookies: they outlive the server processes of a phase (same server key).
      if (made.cookies.length === 0) made.cookies = await Promise.all(setup.users.map((i) => sessionCookie(base, query.toString(), seededUsername(i))));
      out.push({ name: OAUTH.codeExchange, common: false, signsPerStep: 2, step: codeExchangeStep(setup.poolId, query.toString(), made.web, made.cookies) });
    }
    return out;
  };
}

function expecting(request: PreparedRequest, ok: (answer: Answer) => boolean): Step {
  return async (send) => {
    const answer = await send(request);
    return ok(answer) ? undefined : `${answer.status} ${answer.text.slice(0, 200)}`;
  };
}

function codeExchangeStep(poolId: string, query: string, clientId: string, cookies: readonly string[]): Step {
  let next = 0;
  return async (send: Send) => {
    const cookie = cookies[next++ % cookies.length] as string;
    const authorized = await send({ method: 'GET', path: `/${poolId}/oauth2/authorize?${query}`, headers: { cookie }, body: '' });
    const code = authorized.location ? new URL(authorized.location).searchParams.get('code') : null;
    if (authorized.status !== 302 || !code) return `authorize: ${authorized.status} ${authorized.location ?? authorized.text.slice(0, 200)}`;
    const form = new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: CALLBACK, code_verifier: VERIFIER }).toString();
    const exchanged = await send({ method: 'POST', path: `/${poolId}/oauth2/token`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    return exchanged.status === 200 && exchanged.text.includes('"id_token"') ? undefined : `token: ${exchanged.status} ${exchanged.text.slice(0, 200)}`;
  };
}
