import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../src/kernel/logger.js';
import { cryptoRandom } from '../src/kernel/random.js';
import { defineRoute, html, json, redirect } from '../src/http/routes/route.js';
import { createRouteTable } from '../src/http/routes/table.js';
import { createHttpServer } from '../src/http/server.js';
import { rawHttp } from './support/raw-http.js';
import { startServer, type TestServer } from './support/server.js';

/** A table with one route of each kind the coming endpoints need (OAuth forms, uploads, pages, redirects). */
function testRoutes() {
  return createRouteTable([
    defineRoute({ name: 'json', methods: ['POST'], path: '/json', body: { kind: 'json', limit: 64 }, cors: false, handle: ({ body }) => json({ got: body }) }),
    defineRoute({
      name: 'token',
      methods: ['POST'],
      path: '/oauth2/token',
      body: { kind: 'form', limit: 1024 },
      cors: true,
      handle: ({ body }) => json(Object.fromEntries(body)),
    }),
    defineRoute({
      name: 'upload',
      methods: ['PUT'],
      path: '/upload/:key',
      body: { kind: 'raw', limit: 16 },
      cors: false,
      handle: ({ body, params }) => json({ key: params.key, bytes: body.length }, 201),
    }),
    defineRoute({
      name: 'login',
      methods: ['GET', 'POST'],
      path: '/login',
      body: { kind: 'none' },
      cors: false,
      handle: ({ method }) => redirect(`/done?via=${method}`, 302, { 'Set-Cookie': ['session=abc; HttpOnly; Path=/', 'csrf=xyz; Path=/'] }),
    }),
    defineRoute({
      name: 'page',
      methods: ['GET'],
      path: '/page/:id',
      params: { id: /^\d+$/ },
      body: { kind: 'none' },
      cors: true,
      handle: ({ params, query }) => html(`<p>${params.id} ${query.get('q') ?? ''}</p>`),
    }),
    defineRoute({
      name: 'boom',
      methods: ['GET'],
      path: '/boom',
      body: { kind: 'none' },
      cors: false,
      handle: () => {
        throw new Error('boom');
      },
    }),
  ]);
}

describe('route table', () => {
  let server: Server;
  let url: string;
  let port: number;
  const lines: string[] = [];
  before(async () => {
    server = createHttpServer({ routes: testRoutes(), logger: createLogger('debug', (l) => lines.push(l)), random: cryptoRandom });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    url = `http://127.0.0.1:${port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('matches patterns, decodes and constrains their params', async () => {
    const up = await fetch(`${url}/upload/a%20b`, { method: 'PUT', body: 'hello' });
    assert.equal(up.status, 201);
    assert.deepEqual(await up.json(), { key: 'a b', bytes: 5 });
    const page = await fetch(`${url}/page/42?q=x`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(await page.text(), '<p>42 x</p>');
    const notNumeric = await fetch(`${url}/page/abc`);
    assert.equal(notNumeric.status, 404);
    assert.deepEqual(await notNumeric.json(), { message: 'Not Found' });
    const badEscape = await fetch(`${url}/upload/%E0%A4%A`, { method: 'PUT', body: 'x' });
    assert.equal(badEscape.status, 404);
  });

  it('answers 405 with Allow for a method the path does not take, and HEAD for GET', async () => {
    const res = await fetch(`${url}/json`);
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST, OPTIONS');
    const head = await fetch(`${url}/page/7`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String('<p>7 </p>'.length));
    assert.equal(await head.text(), '');
  });

  it('answers preflights for CORS routes only, and CORS headers only there', async () => {
    const preflight = await fetch(`${url}/oauth2/token`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'POST, OPTIONS');
    assert.equal(preflight.headers.get('access-control-allow-headers'), 'content-type');
    const plain = await fetch(`${url}/json`, { method: 'OPTIONS', headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'POST' } });
    assert.equal(plain.status, 204);
    assert.equal(plain.headers.get('allow'), 'POST, OPTIONS');
    assert.equal(plain.headers.get('access-control-allow-origin'), null);
    assert.equal((await fetch(`${url}/page/1`)).headers.get('access-control-allow-origin'), '*');
    assert.equal((await fetch(`${url}/json`, { method: 'POST', body: '{}' })).headers.get('access-control-allow-origin'), null);
  });

  it('reads JSON, form and raw bodies under their policies', async () => {
    const ok = await fetch(`${url}/json`, { method: 'POST', body: '{"a":1}' });
    assert.deepEqual(await ok.json(), { got: { a: 1 } });
    const bad = await fetch(`${url}/json`, { method: 'POST', body: '{' });
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { message: 'Request body is not valid JSON.' });
    const form = await fetch(`${url}/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code: 'a b' }) });
    assert.deepEqual(await form.json(), { grant_type: 'authorization_code', code: 'a b' });
    const notForm = await fetch(`${url}/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(notForm.status, 415);
  });

  it('refuses bodies over the route limit, declared or streamed, and closes the connection', async () => {
    const declared = await fetch(`${url}/json`, { method: 'POST', body: `{"a":"${'x'.repeat(100)}"}` });
    assert.equal(declared.status, 413);
    assert.deepEqual(await declared.json(), { message: 'Request body is larger than 64 bytes.' });
    assert.equal(declared.headers.get('connection'), 'close');
    const streamed = await rawHttp(port, `PUT /upload/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n${'y'.repeat(16)}\r\n10\r\n${'y'.repeat(16)}\r\n`);
    assert.equal(streamed?.status, 413);
  });

  it('sends redirects with several cookies', async () => {
    const res = await fetch(`${url}/login`, { method: 'POST', redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/done?via=POST');
    assert.deepEqual(res.headers.getSetCookie(), ['session=abc; HttpOnly; Path=/', 'csrf=xyz; Path=/']);
  });

  it('answers a failing handler with a 500 that says nothing, and logs it', async () => {
    const res = await fetch(`${url}/boom`);
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { message: 'Internal server error.' });
    const logged = lines.map((l) => JSON.parse(l) as { level: string; msg: string; route?: string; error?: string }).find((l) => l.route === 'boom');
    assert.equal(logged?.level, 'error');
    assert.match(logged?.error ?? '', /Error: boom/);
  });

  it('answers targets that are not paths with 400, and unknown paths with 404', async () => {
    const absolute = await rawHttp(port, 'GET http://other.example/page/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(absolute?.status, 400);
    const star = await rawHttp(port, 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(star?.status, 400);
    const unknown = await fetch(`${url}/nothing/here`);
    assert.equal(unknown.status, 404);
    assert.ok(unknown.headers.get('x-amzn-requestid'));
  });
});

describe('the application routes', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('serves /health for GET and HEAD, and nothing else there', async () => {
    const res = await fetch(`${server.url}/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
    assert.equal((await fetch(`${server.url}/health`, { method: 'HEAD' })).status, 200);
    const post = await fetch(`${server.url}/health`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD, OPTIONS');
  });

  it('serves the API at POST / only, with its query string', async () => {
    const withQuery = await fetch(`${server.url}/?x=1`, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AWSCognitoIdentityProviderService.ListUserPools', 'Content-Type': 'application/x-amz-json-1.1' },
      body: '{"MaxResults": 5}',
    });
    assert.equal(withQuery.status, 200);
    assert.deepEqual(await withQuery.json(), { UserPools: [] });
    const get = await fetch(`${server.url}/`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST, OPTIONS');
  });

  it('answers well-known paths of no pool shape with 404', async () => {
    const res = await fetch(`${server.url}/not-a-pool/.well-known/jwks.json`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { message: 'Not Found' });
  });
});
