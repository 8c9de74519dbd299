import fc from 'fast-check';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { defineRoute, text, type Method, type Route } from '../src/http/routes/route.js';
import { createRouteTable } from '../src/http/routes/table.js';
import { createHttpServer } from '../src/http/server.js';
import { cryptoRandom } from '../src/kernel/random.js';
import { createLogger } from '../src/kernel/logger.js';
import { CALLBACK, LOGOUT, setUp, type Setup } from './support/endpoint-fuzz-setup.js';
import { ANSWER_BUDGET_MS, describeCase, formCase, plain, send, type Case } from './support/raw-case.js';
import { startServer, type TestServer } from './support/server.js';

/**
 * Hostile HTTP to every route of the server other than the AWS JSON endpoint (test/fuzz.test.ts
 * fuzzes that one): the OAuth 2.0 endpoints and managed login pages, /.well-known, /health,
 * the import upload URL, /_dev/messages and the console. The routes come from the server's own
 * route table (App.routes), so a route added later is fuzzed without touching this file; the
 * first test fails for a route with no entry in RECIPES (what it reads, so cases get past its
 * first check) or with a `:param` that PARAM_VALUES cannot fill.
 *
 * Every request takes any method, a hostile query string, body, content type, cookies and
 * credentials, at a real pool (by `/<poolId>/` or by a domain's Host) and at unknown ones. The
 * property: an answer (never a 5xx), within ANSWER_BUDGET_MS, with no stack trace or internal
 * detail in it; the server answers /health after each route and logs no internal error.
 * ENDPOINT_FUZZ_RUNS sets the cases per route (default keeps the file under a minute on two
 * cores); FUZZ_SEED replays a run.
 */

const RUNS = Number(process.env.ENDPOINT_FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
// includeErrorInReport: the failed assertion (status, body, server log) shows beside the counterexample.
const fcParams = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true, includeErrorInReport: true };
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
/** The managed login cookies (browser-session.ts) and some a browser might carry besides. */
const COOKIE_NAMES = ['userpoold_session', 'userpoold_csrf', 'XSRF-TOKEN', 'cognito', 'session'];
/** Form and query names the endpoints and pages read, so hostile values reach their checks. */
const FIELD_NAMES = [
  'grant_type', 'client_id', 'client_secret', 'code', 'redirect_uri', 'refresh_token', 'token', 'scope', 'code_verifier', 'code_challenge',
  'code_challenge_method', 'response_type', 'state', 'nonce', 'identity_provider', 'idp_identifier', 'logout_uri', 'lang', 'username',
  'password', 'new_password', '_csrf', '_action', 'mfa_type', 'device_name', 'email', 'phone_number', 'name', 'given_name', 'SAMLResponse',
  'RelayState', 'error', 'error_description', 'pool', 'user', 'limit', 'operation', 'filter', 'X-Amz-Signature', 'X-Amz-Credential',
  'X-Amz-Date', 'X-Amz-Expires', '__proto__', 'constructor', 'hasOwnProperty', '',
];
const ERROR_LINES: string[] = [];
/** What a body must never show: stack frames, source paths, error class names, database and socket errors. */
const LEAKS = [
  /\bat [\w$.<>[\] ]+ \((?:file:|node:|\/)[^)]*:\d+:\d+\)/,
  /\/work\/|node_modules|\/src\/[\w/-]+\.[tj]s\b/,
  /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|SqliteError|SQLITE_\w+|ECONNREFUSED|ECONNRESET|ENOTFOUND|EADDRNOTAVAIL|undefined is not|Cannot read propert)/,
  /Internal server error/i,
];



/** Named regression cases (the describe block at the end): requests that once failed, with the status each must get now. */
const REGRESSIONS: Record<string, (s: Setup) => { request: Case; status: number }> = {
  // src/http/server.ts reserved a streamed body's route limit (the upload's 100 MB) against the
  // 64 MiB byte budget: it never fit, so every chunked upload (`curl -T - URL`) got 503 SlowDown.
  'a chunked PUT of the CSV to the presigned import URL is accepted (was 503 SlowDown, always)': (s) => ({
    request: { ...plain('PUT', s.uploadTarget, [['x-amz-server-side-encryption', 'aws:kms'], ['Content-Type', 'text/csv']]), body: Buffer.from(`${s.csvHeader.join(',')}\n`), chunked: true },
    status: 200,
  }),
  // The same cause: a declared length above the budget could never be read (503, which no retry
  // could pass). The upload streams now (issue 21) and takes only a window of the budget, so only
  // its own 100 MB limit refuses it: 413 EntityTooLarge at once, before any body byte.
  'a PUT declaring more than 100 MB to the import URL is 413 at once (was 503 SlowDown for anything above 64 MiB)': (s) => ({
    request: { ...plain('PUT', s.uploadTarget, [['x-amz-server-side-encryption', 'aws:kms']]), declaredLength: 100_000_001 },
    status: 413,
  }),
};


describe('endpoint fuzz: hostile HTTP to every route of the table', { concurrency: 1 }, () => {
  let server: TestServer;
  let s: Setup;
  let routes: readonly Route[];

  before(async () => {
    server = await startServer({
      // insecureOpen: a domain's Host (not a loopback name) reaches the handlers in open mode.
      config: { devMessages: true, console: 'on', insecureOpen: true },
      overrides: { logger: createLogger('error', (line) => ERROR_LINES.push(line)) },
    });
    routes = server.app.routes.routes;
    s = await setUp(server);
  });

  after(async () => {
    await server?.close();
  });

  it('every route of the table can be fuzzed: it and each :param have a recipe', () => {
    const missing: string[] = [];
    for (const route of fuzzedRoutes(routes)) {
      for (const name of paramNames(route)) if (!(name in PARAM_VALUES)) missing.push(`${route.name} (${route.path}) :${name}: add it to PARAM_VALUES`);
      if (needsRecipe(route) && !(route.name in RECIPES)) missing.push(`${route.name} (${route.path}): add what it reads to RECIPES ({} if nothing)`);
    }
    assert.deepEqual(missing, [], 'routes without a fuzz recipe in test/endpoint-fuzz.test.ts');
    // The areas the table must hold; the list itself grows with the table.
    const paths = new Set(routes.map((r) => r.path));
    for (const expected of ['/health', '/oauth2/token', '/:poolId/oauth2/authorize', '/:poolId/.well-known/jwks.json', '/_dev/messages', '/_console']) {
      assert.ok(paths.has(expected), `the route table has no ${expected}`);
    }
    assert.ok(routes.some((r) => r.path.includes(':jobId')), 'the route table has no import upload URL');
  });

  it('the fuzz cases reach the handlers: known routes answer their normal requests', async () => {
    // Guards the guards: if every case were refused before its handler (a wrong Host, a bad
    // prefix), the properties below would pass without testing anything.
    const health = await send(server.port, plain('GET', '/health'));
    assert.equal(health?.status, 200);
    const jwks = await send(server.port, plain('GET', `/${s.poolId}/.well-known/jwks.json`));
    assert.equal(jwks?.status, 200);
    const login = await send(server.port, plain('GET', `/login?client_id=${s.webClientId}&response_type=code&redirect_uri=${encodeURIComponent(CALLBACK)}`, [['Host', s.domainHost]]));
    assert.equal(login?.status, 200, login?.body.slice(0, 300));
    const token = await send(server.port, formCase(`/${s.poolId}/oauth2/token`, { grant_type: 'client_credentials', client_id: s.machineClientId, client_secret: s.machineSecret }));
    assert.equal(token?.status, 200, token?.body);
    // An admin sign-in's token has no openid scope: refused by the endpoint itself, in its own shape.
    const userInfo = await send(server.port, plain('GET', `/${s.poolId}/oauth2/userInfo`, [['Authorization', `Bearer ${s.accessToken}`]]));
    assert.equal(userInfo?.status, 401, userInfo?.body);
    assert.match(userInfo?.body ?? '', /invalid_token/);
    const upload = await send(server.port, plain('PUT', s.uploadTarget, [['x-amz-server-side-encryption', 'aws:kms']]));
    assert.ok(upload && upload.status < 500, upload?.raw);
  });

  it('every route of the table: any method, query, body and cookies: answered, never a 5xx or a leak', async (t) => {
    // Subtests made from the table as the server has it, so a route added later is fuzzed too.
    for (const route of fuzzedRoutes(routes)) {
      await t.test(`${route.name} ${route.path}`, async (st) => {
        const statuses = new Map<number, number>();
        await fc.assert(
          fc.asyncProperty(caseFor(route, s, server.port), async (c) => {
            const status = await check(server.port, c);
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          }),
          fcParams,
        );
        // Which answers the cases got (0: none, for a body cut short), to see how deep they reach.
        st.diagnostic(`statuses: ${[...statuses].sort(([a], [b]) => a - b).map(([k, n]) => `${k}x${n}`).join(' ')}`);
        const health = await send(server.port, plain('GET', '/health'));
        assert.equal(health?.status, 200, `the server stopped answering /health after ${route.name}`);
      });
    }
  });

  describe('regressions found by this fuzzer', () => {
    // Kept as named cases: each once answered a 5xx before its fix (named in the case's comment).
    for (const [name, make] of Object.entries(REGRESSIONS)) {
      it(name, async () => {
        const { request, status } = make(s);
        assert.equal(await check(server.port, request), status, describeCase(request));
      });
    }
  });

  it('the checks themselves fail on a 500, a leaked stack trace or a stall', async () => {
    // A server of its own with routes that misbehave on purpose: proves the property can fail.
    const bad = createHttpServer({
      routes: createRouteTable([
        defineRoute({ name: 'boom', methods: ['GET'], path: '/boom', body: { kind: 'none' }, cors: false, handle: () => { throw new Error('boom'); } }),
        defineRoute({ name: 'leak', methods: ['GET'], path: '/leak', body: { kind: 'none' }, cors: false, handle: () => text(new Error('x').stack ?? '', 400) }),
        defineRoute({ name: 'stall', methods: ['GET'], path: '/stall', body: { kind: 'none' }, cors: false, handle: () => new Promise(() => {}) }),
      ]),
      logger: createLogger('silent'),
      random: cryptoRandom,
    });
    await new Promise<void>((resolve) => bad.listen(0, '127.0.0.1', resolve));
    const port = (bad.address() as AddressInfo).port;
    try {
      await assert.rejects(check(port, plain('GET', '/boom')), /answered 500/);
      await assert.rejects(check(port, plain('GET', '/leak')), /internal detail/);
      await assert.rejects(check(port, plain('GET', '/stall'), 300), /no answer within|answered after/);
    } finally {
      bad.closeAllConnections();
      await new Promise<void>((resolve) => bad.close(() => resolve()));
    }
  });

  it('logged no internal error during the run', () => {
    const internal = ERROR_LINES.filter((line) => line.includes('"level":"error"'));
    assert.deepEqual(internal, [], 'the server logged internal errors');
  });
});


/** The routes to fuzz: all but POST / (test/fuzz.test.ts fuzzes the API). */
function fuzzedRoutes(all: readonly Route[]): Route[] {
  return all.filter((r) => !(r.path === '/' && r.methods.includes('POST')));
}

function paramNames(route: Route): string[] {
  return route.path
    .split('/')
    .filter((p) => p.startsWith(':'))
    .map((p) => p.slice(1));
}

/** How to fill each path parameter: real values and unknown ones, well-formed or not. */
const PARAM_VALUES: Record<string, (s: Setup) => fc.Arbitrary<string>> = {
  poolId: (s) =>
    fc.oneof(
      { weight: 12, arbitrary: fc.constant(s.poolId) },
      { weight: 1, arbitrary: fc.constant(s.bareId) },
      { weight: 1, arbitrary: fc.constantFrom('us-east-1_NoSuchPl1', 'eu-west-1_abc', 'x_1', `${s.poolId}x`, s.poolId.toLowerCase()) },
      { weight: 1, arbitrary: hostileSegment() },
    ),
  jobId: (s) =>
    fc.oneof(
      { weight: 10, arbitrary: fc.constant(s.jobId) },
      { weight: 1, arbitrary: fc.constantFrom('import-NoSuchJob1', 'import-a', `import-${'z'.repeat(48)}`, `import-${'z'.repeat(49)}`) },
      { weight: 1, arbitrary: hostileSegment() },
    ),
};

/**
 * What a route reads, as well-formed input for it: the cases start from these and break one
 * thing at a time (a field dropped, made hostile or repeated; stray fields added), so they get
 * past the first check into the handler's logic. Every route of the table needs an entry (`{}`
 * when it reads nothing); the routes that only answer 405 for other methods (`*-method`) do not.
 */
interface Recipe {
  query?: (s: Setup) => fc.Arbitrary<Record<string, string>>;
  form?: (s: Setup) => fc.Arbitrary<Record<string, string>>;
  /** A body that is not a form (the import upload's CSV). */
  raw?: (s: Setup) => fc.Arbitrary<Buffer>;
  headers?: (s: Setup) => [string, string][];
}

/** The authorize request a managed login page carries in its query. */
const authorizeQuery = (s: Setup) =>
  fc.record(
    {
      response_type: mostly('code', 'token', 'id_token', 'code token'),
      client_id: mostly(s.webClientId, s.machineClientId),
      redirect_uri: mostly(CALLBACK, `${CALLBACK}?x=1`, 'https://evil.example/'),
      state: fc.string({ maxLength: 30 }),
      scope: mostly('openid email profile', 'openid', 'fuzz-api/read', 'aws.cognito.signin.user.admin', 'openid nope'),
      nonce: fc.string({ maxLength: 20 }),
      code_challenge: mostly('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'short'),
      code_challenge_method: mostly('S256', 'plain'),
      identity_provider: fc.constantFrom('COGNITO', 'FuzzOIDC', 'FuzzSAML', 'Google', 'Nope'),
      idp_identifier: fc.constantFrom('fuzz.example', 'other.example'),
      lang: fc.constantFrom('en', 'fr', 'xx'),
    },
    { requiredKeys: ['response_type', 'client_id', 'redirect_uri', 'scope'] },
  ).map((q) => {
    // Both PKCE members or neither, usually: one alone is a refusal the mutations already make.
    const { code_challenge, code_challenge_method, ...rest } = q;
    return code_challenge !== undefined && code_challenge_method !== undefined ? q : rest;
  });
/** The first value most of the time, one of the others now and then. */
function mostly(usual: string, ...others: string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 4, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constantFrom(...others) });
}
const csrf = (s: Setup) => ({ _csrf: s.csrfToken });
const recordOf = (s: Setup, fields: Record<string, fc.Arbitrary<string>>, required: string[]) =>
  fc.record(fields, { requiredKeys: required }).map((r) => ({ ...csrf(s), ...(r as Record<string, string>) }));
const password = mostly('Passw0rd!Passw0rd', 'wrong', 'Another1!Passw0rd', '');
const code = fc.constantFrom('123456', '000000', '12345', 'abcdef', '1234567');

const RECIPES: Record<string, Recipe> = {
  health: {},
  jwks: {},
  'openid-configuration': {},
  'dev-messages': { query: (s) => fc.record({ pool: fc.constantFrom(s.poolId, 'x'), user: fc.constantFrom('fuzzuser', ''), limit: fc.constantFrom('1', '-1', 'x') }, { requiredKeys: [] }) },
  'import-upload': {
    query: (s) => fc.record({ 'X-Amz-Signature': fc.constantFrom(s.signature, `${s.signature}x`, ''), 'X-Amz-Expires': fc.constantFrom('900', '-1') }, { requiredKeys: ['X-Amz-Signature'] }),
    headers: () => [['x-amz-server-side-encryption', 'aws:kms']],
    raw: (s) =>
      fc.oneof(
        fc.constant(Buffer.from(`${s.csvHeader.join(',')}\n`)),
        fc.array(fc.array(fc.constantFrom('fuzzuser', 'a,b', '"q"', 'true', 'false', 'x@example.com', '+15555550100', '', '\u0000', 'é'), { maxLength: s.csvHeader.length + 2 }), { maxLength: 5 }).map((rows) =>
          Buffer.from([s.csvHeader.join(','), ...rows.map((r) => r.join(','))].join('\n')),
        ),
        fc.constant(Buffer.from('\uFEFF' + s.csvHeader.join(',') + '\r\n' + '"unterminated')),
      ),
  },
  'console-index.html': {},
  'console-slash': {},
  'console-console.js': {},
  'console-console.css': {},
  'console-config': {},
  'console-off': {},
  'console-messages': { query: (s) => fc.record({ pool: fc.constantFrom(s.poolId, 'x', ''), user: fc.constantFrom('fuzzuser', ''), limit: fc.constantFrom('1', '0', '1000', '-5', 'x', '1e3') }, { requiredKeys: [] }) },
  'console-audit': { query: (s) => fc.record({ pool: fc.constantFrom(s.poolId, 'x'), operation: fc.constantFrom('SignUp', 'x'), limit: fc.constantFrom('1', '0', '99999', 'x') }, { requiredKeys: [] }) },
  'oauth2-token': {
    form: (s) =>
      fc.oneof(
        fc.record({ grant_type: fc.constant('authorization_code'), client_id: fc.constant(s.webClientId), code: fc.string({ maxLength: 40 }), redirect_uri: fc.constant(CALLBACK), code_verifier: fc.string({ minLength: 0, maxLength: 130 }) }, { requiredKeys: ['grant_type', 'client_id', 'code'] }),
        fc.record({ grant_type: fc.constant('client_credentials'), client_id: fc.constant(s.machineClientId), client_secret: fc.constantFrom(s.machineSecret, 'wrong'), scope: fc.constantFrom('fuzz-api/read', 'openid', 'fuzz-api/write', '') }, { requiredKeys: ['grant_type', 'client_id'] }),
        fc.record({ grant_type: fc.constant('refresh_token'), client_id: fc.constantFrom(s.webClientId, s.machineClientId), refresh_token: fc.constantFrom(s.refreshToken, s.accessToken, 'x'), scope: fc.constant('openid') }, { requiredKeys: ['grant_type', 'client_id', 'refresh_token'] }),
      ),
  },
  'oauth2-revoke': { form: (s) => fc.record({ token: fc.constantFrom(s.refreshToken, s.accessToken, 'x'), client_id: fc.constantFrom(s.webClientId, s.machineClientId), client_secret: fc.constantFrom(s.machineSecret, 'x') }, { requiredKeys: ['token'] }) },
  'oauth2-userinfo': {},
  'oauth2-authorize': { query: authorizeQuery },
  'oauth2-idpresponse': { query: (s) => fc.record({ code: fc.string({ maxLength: 30 }), state: mostly(s.oidcState, '', 'x', s.samlRelayState), error: fc.constantFrom('access_denied', ''), error_description: fc.string({ maxLength: 30 }) }, { requiredKeys: ['code', 'state'] }) },
  'oauth2-idpresponse-post': { form: (s) => fc.record({ code: fc.string({ maxLength: 30 }), state: mostly(s.oidcState, '', 'x'), error: fc.constantFrom('access_denied', '') }, { requiredKeys: ['code', 'state'] }) },
  'saml2-idpresponse': {
    form: (s) =>
      fc.record(
        {
          SAMLResponse: fc.oneof(
            fc.string({ maxLength: 40 }),
            fc.constantFrom(...SAML_BODIES).map((xml) => Buffer.from(xml).toString('base64')),
            fc.string({ maxLength: 200 }).map((xml) => Buffer.from(xml).toString('base64')),
          ),
          RelayState: fc.oneof(fc.constant(s.samlRelayState), fc.string({ maxLength: 80 }), fc.constant(s.oidcState)),
        },
        { requiredKeys: ['SAMLResponse'] },
      ),
  },
  'saml2-logout': {
    form: (s) =>
      fc.record(
        {
          SAMLRequest: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...SAML_BODIES).map((xml) => Buffer.from(xml).toString('base64'))),
          SAMLResponse: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...SAML_BODIES).map((xml) => Buffer.from(xml).toString('base64'))),
          RelayState: fc.oneof(fc.constant(s.samlRelayState), fc.string({ maxLength: 80 })),
        },
        { requiredKeys: [] },
      ),
  },
  'login-page': { query: authorizeQuery },
  'login-submit': { query: authorizeQuery, form: (s) => recordOf(s, { username: fc.constantFrom('fuzzuser', 'nobody', 'fuzz@example.com', ''), password }, []) },
  'forgot-password-page': { query: authorizeQuery },
  'forgot-password-submit': { query: authorizeQuery, form: (s) => recordOf(s, { username: fc.constantFrom('fuzzuser', 'nobody', '') }, []) },
  'confirm-forgot-password-submit': { query: authorizeQuery, form: (s) => recordOf(s, { username: fc.constantFrom('fuzzuser', 'nobody'), code, new_password: password, password }, []) },
  'challenge-submit': {
    query: authorizeQuery,
    form: (s) => recordOf(s, { _action: fc.constantFrom('verify', 'choose', 'resend', 'setup', 'x'), code, mfa_type: fc.constantFrom('SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP', 'X'), new_password: password, device_name: fc.string({ maxLength: 20 }), session: fc.string({ maxLength: 40 }) }, []),
  },
  'signup-page': { query: authorizeQuery },
  'signup-submit': { query: authorizeQuery, form: (s) => recordOf(s, { username: fc.constantFrom('newuser', 'fuzzuser', 'x@example.com', ''), password, email: fc.constantFrom('new@example.com', 'not-an-email', ''), phone_number: fc.constantFrom('+15555550100', '123') }, []) },
  'confirm-user-page': { query: authorizeQuery },
  'confirm-user-submit': { query: authorizeQuery, form: (s) => recordOf(s, { username: fc.constantFrom('newuser', 'fuzzuser', ''), code, _action: fc.constantFrom('resend', 'confirm') }, []) },
  logout: {
    query: (s) =>
      fc.record({ client_id: fc.constantFrom(s.webClientId, s.machineClientId, 'x'), logout_uri: fc.constantFrom(LOGOUT, CALLBACK, 'https://evil.example/'), response_type: fc.constant('code'), redirect_uri: fc.constant(CALLBACK), state: fc.string({ maxLength: 10 }) }, { requiredKeys: ['client_id'] }),
  },
};

/** SAML documents for the ACS: none is a valid signed response; each must be refused with a 4xx. */
const SAML_BODIES = [
  '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>',
  '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_1" Version="2.0" IssueInstant="2026-11-01T12:00:00Z"><saml:Issuer>http://127.0.0.1:1/metadata</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_2"><saml:Subject><saml:NameID>x</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>',
  '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&c;</samlp:Response>',
  '<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:1/dtd"><x/>',
  '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/></samlp:Status></samlp:Response>',
  '<a><b>',
  '',
  // Nesting deeper than a recursive parser's stack, within the form's 256 KiB once encoded.
  '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">' + '<a>'.repeat(20_000) + '</a>'.repeat(20_000) + '</samlp:Response>',
  '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">' + '<a>'.repeat(40_000),
  '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ' + Array.from({ length: 5_000 }, (_, i) => `a${i}="x"`).join(' ') + '/>',
];

/** Whether a route must have a recipe: all do, but those that only refuse other methods. */
function needsRecipe(route: Route): boolean {
  return !route.name.endsWith('-method');
}

/**
 * Fields from a recipe, then one thing broken (or none): a field dropped, given a hostile value,
 * repeated with another value, or stray fields added.
 */
function mutated(base: fc.Arbitrary<Record<string, string>>, s: Setup): fc.Arbitrary<[string, string][]> {
  return fc.tuple(base, fc.nat(), valueOf(s), pairsOf(s), fc.constantFrom('as-is', 'as-is', 'drop', 'hostile', 'repeat', 'extra')).map(([fields, pick, value, extra, how]) => {
    const pairs = Object.entries(fields);
    if (pairs.length === 0 && how !== 'extra') return pairs;
    const i = pairs.length === 0 ? 0 : pick % pairs.length;
    const key = pairs[i]?.[0] ?? '';
    switch (how) {
      case 'drop':
        return pairs.filter((_, j) => j !== i);
      case 'hostile':
        return pairs.map(([k, v], j): [string, string] => [k, j === i ? value : v]);
      case 'repeat':
        return [...pairs, [key, value]];
      case 'extra':
        return [...pairs, ...extra];
      default:
        return pairs;
    }
  });
}

function hostileSegment(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 20 }).map((v) => pct(v) || 'x'),
    fc.constantFrom('%', '%zz', '%E0%A4', '%00', '..', '%2F', 'a%2Fb', '%C0%AF', 'x'.repeat(3000)),
  );
}

/** Values of every kind: real identifiers and tokens, empty, huge, unicode, NUL, lookalikes. */
function valueOf(s: Setup): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(s.webClientId, s.machineClientId, s.machineSecret, s.poolId, CALLBACK, LOGOUT, 'code', 'token', 'id_token', 'openid', 'openid email profile', 'fuzz-api/read', 'authorization_code', 'client_credentials', 'refresh_token', 'S256', 'plain', 'FuzzOIDC', 'FuzzSAML', 'COGNITO', 'fuzz.example', 'fuzzuser', 'Passw0rd!Passw0rd', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP', '123456', 'true', '0', '-1', '1e400', 'NaN') },
    { weight: 2, arbitrary: fc.constantFrom(s.accessToken, s.refreshToken, s.machineToken, s.csrfToken, s.signature) },
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom('', '\u0000', 'a\u0000b', '\uD800', '\uFFFF', '\u202E', '<script>alert(1)</script>', '"\'><', 'javascript:alert(1)', 'https://evil.example/callback', `${CALLBACK}/../x`, `${CALLBACK}#frag`, 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'a.b.c', 'Basic', '{}', '[]') },
    { weight: 1, arbitrary: fc.constantFrom(1_000, 4_000, 8_000, 20_000).chain((n) => fc.constantFrom('a', '%', 'é', '\u0000').map((u) => u.repeat(n))) },
  );
}

/** Percent-encodes every byte of the UTF-8 form but the unreserved ones (lone surrogates become U+FFFD, as a browser sends them). */
function pct(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function keyOf(): fc.Arbitrary<string> {
  return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FIELD_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
}

/** Pairs, often with a name repeated (first or last one wins?), sometimes very many. */
function pairsOf(s: Setup): fc.Arbitrary<[string, string][]> {
  const pair = fc.tuple(keyOf(), valueOf(s));
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(pair, { maxLength: 8 }) },
    { weight: 2, arbitrary: fc.tuple(keyOf(), fc.array(valueOf(s), { minLength: 2, maxLength: 4 })).map(([k, vs]) => vs.map((v): [string, string] => [k, v])) },
    { weight: 1, arbitrary: fc.constantFrom(200, 1_000, 5_000).map((n) => Array.from({ length: n }, (_, i): [string, string] => [`p${i % 50}`, 'v'])) },
  );
}

/** A query string: well encoded, or with raw and broken escapes. */
function queryOf(s: Setup): fc.Arbitrary<string> {
  const encoded = pairsOf(s).map((pairs) => pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&'));
  const broken = fc.constantFrom('%', '%zz', 'a=%E0%A4%A', 'client_id=%00', '=&=&&==', '&&&', 'a', 'a=b=c', '%%%%', 'code=%C0%80', '%FF%FE=%FF', 'x=\u00e9');
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 6, arbitrary: encoded },
    { weight: 2, arbitrary: fc.tuple(encoded, broken).map(([a, b]) => (a === '' ? b : `${a}&${b}`)) },
  );
}

function cookieOf(s: Setup): fc.Arbitrary<string | undefined> {
  const value = fc.oneof(
    fc.constant(s.csrfCookie),
    fc.string({ maxLength: 60 }).map((v) => v.replace(/[;\r\n]/g, '')),
    fc.constantFrom('', 'x', 'a.b.c', '%zz', '"quoted"', 'v1.AAAA.BBBB', 'x'.repeat(6000), Buffer.alloc(300, 1).toString('base64url')),
  );
  const one = fc.tuple(fc.constantFrom(...COOKIE_NAMES), value).map(([n, v]) => `${n}=${v}`);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 5, arbitrary: fc.array(one, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('; ')) },
    { weight: 1, arbitrary: fc.constantFrom(';;;', '=', 'userpoold_session', 'userpoold_csrf=a=b=c', 'userpoold_session=%E0%A4; userpoold_session=x') },
  );
}

interface BodyChoice {
  body: Buffer;
  contentType: string | undefined;
  short: boolean;
}

const CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded; charset=utf-16',
  'APPLICATION/X-WWW-FORM-URLENCODED',
  'application/json',
  'application/x-amz-json-1.1',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  ';;',
  '',
];

function bodyOf(route: Route, s: Setup): fc.Arbitrary<BodyChoice> {
  const limit = route.body.kind === 'none' ? 16 * 1024 : route.body.limit;
  const form = pairsOf(s).map((pairs) => new URLSearchParams(pairs).toString());
  const json = fc.oneof(
    fc.dictionary(keyOf(), valueOf(s), { maxKeys: 6 }).map((o) => JSON.stringify(o)),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
    // Duplicate keys, which JSON.stringify cannot write.
    fc.tuple(keyOf(), valueOf(s), valueOf(s)).map(([k, a, b]) => `{${JSON.stringify(k)}:${JSON.stringify(a)},${JSON.stringify(k)}:${JSON.stringify(b)}}`),
  );
  const text = fc.oneof(form, json, fc.string({ maxLength: 200 }), fc.constantFrom('%', 'a=%zz&b', '&=&', '{', '{"a":', '<x/>', 'a=1&a=2&a=3'));
  const truncated = text.chain((t) => fc.nat({ max: Math.max(0, t.length) }).map((n) => t.slice(0, n)));
  const bytes = fc.oneof(
    text.map((t) => Buffer.from(t, 'utf8')),
    truncated.map((t) => Buffer.from(t, 'utf8')),
    fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
    // At the route's limit and past it (413), or past a page's 16 KiB.
    fc.constantFrom(limit - 1, limit, limit + 1).map((n) => Buffer.alloc(Math.max(0, Math.min(n, 300 * 1024)), 'a=b&')),
    fc.constant(Buffer.from('SAMLResponse=' + Buffer.from('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><x/></samlp:Response>').toString('base64'))),
  );
  return fc.record({
    body: fc.oneof({ weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) }, { weight: 5, arbitrary: bytes }),
    contentType: fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
    // Now and then a body that stops short of its Content-Length.
    short: fc.integer({ min: 0, max: 30 }).map((roll) => roll === 0),
  });
}

function hostOf(route: Route, s: Setup, port: number): fc.Arbitrary<string> {
  const local = `127.0.0.1:${port}`;
  // Routes at the root answer a domain's endpoints by its Host (endpoint-pool.ts).
  if (route.path.startsWith('/:')) return fc.constant(local);
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(s.domainHost) },
    { weight: 1, arbitrary: fc.constant(local) },
    { weight: 2, arbitrary: fc.constantFrom('unknown-prefix.auth.us-east-1.amazoncognito.com', 'fuzz-tests.auth.eu-west-1.amazoncognito.com', 'FUZZ-TESTS.auth.us-east-1.amazoncognito.com:443', 'auth.unknown.example', 'localhost', `${'a'.repeat(300)}.example`, '[::1]', 'a..b', '') },
  );
}

function authorizationOf(s: Setup): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom(`Bearer ${s.accessToken}`, `Bearer ${s.machineToken}`, `Basic ${Buffer.from(`${s.machineClientId}:${s.machineSecret}`).toString('base64')}`) },
    { weight: 1, arbitrary: fc.constantFrom('Bearer', 'Bearer ', 'Basic', 'Basic %%%', `Basic ${Buffer.from('only-id').toString('base64')}`, `Basic ${Buffer.from(':').toString('base64')}`, 'Bearer a.b.c', 'Negotiate x', 'AWS4-HMAC-SHA256 Credential=x') },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((v) => `Bearer ${v.replace(/[\r\n]/g, '')}`) },
  );
}

function caseFor(route: Route, s: Setup, port: number): fc.Arbitrary<Case> {
  const params = paramNames(route).map((name) => (PARAM_VALUES[name] as (s: Setup) => fc.Arbitrary<string>)(s));
  const ownMethods = route.methods.flatMap((m: Method) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
  const method = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ownMethods) }, { weight: 2, arbitrary: fc.constantFrom(...METHODS) });
  const generic: fc.Arbitrary<Parts> = fc.record({
    method,
    values: fc.tuple(...params),
    query: queryOf(s),
    host: hostOf(route, s, port),
    cookie: cookieOf(s),
    authorization: authorizationOf(s),
    origin: fc.constantFrom(undefined, 'https://evil.example', 'null'),
    body: bodyOf(route, s),
    // Now and then a header twice (a second Host, Authorization or Content-Type) or a chunked body.
    extraHeaders: fc.oneof(
      { weight: 6, arbitrary: fc.constant<[string, string][]>([]) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('Host', 'Authorization', 'Content-Type', 'Cookie', 'Content-Length'), valueOf(s)).map(([n, v]): [string, string][] => [[n, v.replace(/[\r\n]/g, '').split('\u0000').join('').slice(0, 2000)]]) },
    ),
    chunked: fc.integer({ min: 0, max: 12 }).map((roll) => roll === 0),
  });
  const recipe = RECIPES[route.name];
  if (recipe === undefined) return generic.map((g) => assemble(route, g));
  // From the recipe: the route's own method, its fields (one broken at most), a real CSRF cookie
  // and now and then a signed-in session.
  const encode = (pairs: [string, string][]) => pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
  const fromRecipe: fc.Arbitrary<Parts> = fc.record({
    method: fc.constantFrom(...ownMethods),
    values: fc.tuple(...params),
    query: recipe.query ? mutated(recipe.query(s), s).map(encode) : queryOf(s),
    host: hostOf(route, s, port),
    cookie: fc.constantFrom(
      `userpoold_csrf=${s.csrfCookie}`,
      `userpoold_csrf=${s.csrfCookie}; userpoold_session=${s.sessionCookie}`,
      `userpoold_session=${s.sessionCookie}`,
      `userpoold_csrf=${s.csrfCookie}; ${s.federationCookie}`,
    ),
    authorization: authorizationOf(s),
    origin: fc.constant(undefined),
    body: recipe.form
      ? mutated(recipe.form(s), s).map((pairs): BodyChoice => ({ body: Buffer.from(encode(pairs)), contentType: 'application/x-www-form-urlencoded', short: false }))
      : recipe.raw
        ? recipe.raw(s).map((body): BodyChoice => ({ body, contentType: 'text/csv', short: false }))
        : bodyOf(route, s),
    extraHeaders: fc.constant<[string, string][]>(recipe.headers?.(s) ?? []),
    chunked: fc.integer({ min: 0, max: 8 }).map((roll) => roll === 0),
  });
  return fc.oneof({ weight: 2, arbitrary: generic }, { weight: 3, arbitrary: fromRecipe }).map((g) => assemble(route, g));
}

interface Parts {
  method: string;
  values: string[];
  query: string;
  host: string;
  cookie: string | undefined;
  authorization: string | undefined;
  origin: string | undefined;
  body: BodyChoice;
  extraHeaders: [string, string][];
  chunked: boolean;
}

function assemble(route: Route, { method, values, query, host, cookie, authorization, origin, body, extraHeaders, chunked }: Parts): Case {
  let i = 0;
  const path = route.path.replace(/:\w+/g, () => values[i++] as string);
  const headers: [string, string][] = [['Host', host], ...extraHeaders];
  if (cookie !== undefined) headers.push(['Cookie', cookie]);
  if (authorization !== undefined) headers.push(['Authorization', authorization]);
  if (origin !== undefined) headers.push(['Origin', origin]);
  if (body.contentType !== undefined) headers.push(['Content-Type', body.contentType]);
  if (method === 'OPTIONS') headers.push(['Access-Control-Request-Method', 'POST']);
  const withBody = body.body.length > 0 || method === 'POST' || method === 'PUT' || method === 'PATCH';
  return { method, target: query === '' ? path : `${path}?${query}`, headers, body: withBody ? body.body : Buffer.alloc(0), short: withBody && body.short && !chunked, chunked: withBody && chunked };
}

/** Sends one case as bytes (no client normalises the target) and asserts the property. */
async function check(port: number, c: Case, budgetMs = ANSWER_BUDGET_MS): Promise<number> {
  const start = performance.now();
  const res = await send(port, c, budgetMs);
  const ms = performance.now() - start;
  const shown = describeCase(c);
  assert.ok(ms <= budgetMs, `answered after ${ms.toFixed(0)} ms (budget ${budgetMs} ms): ${shown}`);
  if (res === undefined) {
    // Only a body cut short may go unanswered: the server waits for bytes that never come.
    assert.ok(c.short, `no answer: ${shown}`);
    return 0;
  }
  assert.ok(res.status >= 100 && res.status < 500, `answered ${res.status}: ${shown}\n-> ${res.raw.slice(0, 800)}\n${ERROR_LINES.slice(-2).join('')}`);
  const type = res.headers['content-type'] ?? '';
  // The console's own script and styles are code, not answers.
  if (!/javascript|css/.test(type)) {
    for (const leak of LEAKS) assert.doesNotMatch(res.body, leak, `the answer shows internal detail: ${shown}\n-> ${res.raw.slice(0, 1500)}`);
  }
  return res.status;
}
