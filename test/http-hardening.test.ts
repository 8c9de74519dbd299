import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../src/kernel/logger.js';
import type { Config } from '../src/kernel/config.js';
import { closed, rawHttp, stalledUpload } from './support/raw-http.js';
import { startServer, type TestServer } from './support/server.js';
import { until } from './support/until.js';

/**
 * Security review findings on the HTTP layer (issue 13: 5b, 6, 7, 8, 9, 11b), each through real
 * HTTP. Every test here failed on the code before the route table.
 */

const folders: string[] = [];
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'userpoold-hardening-'));
  folders.push(dir);
  return dir;
}

interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A server whose log lines (debug and up) are kept for the test to read. */
async function serverWithLog(config: Partial<Config> = {}): Promise<{ server: TestServer; log: LogLine[] }> {
  const log: LogLine[] = [];
  const logger = createLogger('debug', (line) => log.push(JSON.parse(line) as LogLine));
  const server = await startServer({ config, overrides: { logger } });
  return { server, log };
}

const ADMIN = { accessKeyId: 'AKIAHARDENING000TEST', secretAccessKey: 'hardening/secret+Key0123456789abcdefghij' };

function credentialsFile(): string {
  const path = join(tempDir(), 'credentials.yaml');
  writeFileSync(
    path,
    `principals:\n  - name: admin\n    accessKeyId: ${ADMIN.accessKeyId}\n    secretAccessKey: ${ADMIN.secretAccessKey}\n    policy: { Statement: { Effect: Allow, Action: "cognito-idp:*", Resource: "*" } }\n`,
  );
  return path;
}

function apiRequest(port: number, target: string, body: unknown, headers: Record<string, string> = {}): string {
  const text = JSON.stringify(body);
  const extra = Object.entries({ Host: `127.0.0.1:${port}`, ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return (
    `POST / HTTP/1.1\r\n${extra}Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.${target}\r\n` +
    `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`
  );
}

const get = (path: string, host: string, headers = '') => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${headers}Connection: close\r\n\r\n`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('finding 5b: malformed targets and aborted bodies', () => {
  it('answers a path of // with a plain 404, for GET and POST', async () => {
    const { server } = await serverWithLog();
    try {
      for (const method of ['GET', 'POST']) {
        const res = await rawHttp(server.port, `${method} // HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
        assert.equal(res?.status, 404, method);
        assert.deepEqual(JSON.parse(res?.body ?? ''), { message: 'Not Found' });
      }
      const nested = await rawHttp(server.port, get('//health?x=%zz', '127.0.0.1'));
      assert.equal(nested?.status, 404);
    } finally {
      await server.close();
    }
  });

  it('logs a body the client abandons at debug level, without a stack, and writes nothing', async () => {
    const { server, log } = await serverWithLog();
    try {
      const partial = `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\nContent-Length: 1000\r\n\r\n{"MaxRes`;
      // Half-closed: the server could still write an answer, and this would read it. Node's
      // parser answers the truncated request itself (a bare 400); the route writes nothing.
      const answer = await rawHttp(server.port, partial, { halfClose: true });
      assert.ok(answer === undefined || (answer.status === 400 && answer.headers['x-amzn-requestid'] === undefined && answer.body === ''), answer?.raw);
      await until('the abort to be logged', () => log.some((l) => l.msg === 'request body aborted'));
      const line = log.find((l) => l.msg === 'request body aborted') as LogLine;
      assert.equal(line.level, 'debug');
      assert.ok(line.requestId);
      assert.deepEqual(
        log.filter((l) => l.level === 'error' || JSON.stringify(l).includes('    at ')),
        [],
      );
    } finally {
      await server.close();
    }
  });
});

describe('finding 6: /_dev/messages', () => {
  it('is refused when developer credentials exist, saying how to read messages', async () => {
    const { server } = await serverWithLog({ devMessages: true, credentialsFile: credentialsFile() });
    try {
      const res = await fetch(`${server.url}/_dev/messages`, { headers: { Origin: 'http://evil.example' } });
      assert.equal(res.status, 403);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      const { message } = (await res.json()) as { message: string };
      assert.match(message, /developer credentials exist/);
      assert.match(message, /`userpoold messages`/);
    } finally {
      await server.close();
    }
  });

  it('in open mode, serves loopback clients without CORS', async () => {
    const { server } = await serverWithLog({ devMessages: true });
    try {
      const res = await fetch(`${server.url}/_dev/messages`, { headers: { Origin: 'http://evil.example' } });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { messages: [] });
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const preflight = await fetch(`${server.url}/_dev/messages`, { method: 'OPTIONS', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' } });
      assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    } finally {
      await server.close();
    }
  });

  it('when off, says how to turn it on', async () => {
    const { server } = await serverWithLog();
    try {
      const res = await fetch(`${server.url}/_dev/messages`);
      assert.equal(res.status, 404);
      assert.match(((await res.json()) as { message: string }).message, /start userpoold with --dev-messages/);
    } finally {
      await server.close();
    }
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  it('is refused to clients beyond loopback', { skip: external === undefined && 'no non-loopback IPv4 address here' }, async () => {
    const { server } = await serverWithLog({ devMessages: true, host: '0.0.0.0', insecureOpen: true, publicUrl: 'http://localhost' });
    try {
      const res = await fetch(`http://${external}:${server.port}/_dev/messages`);
      assert.equal(res.status, 403);
      assert.match(((await res.json()) as { message: string }).message, /loopback/);
    } finally {
      await server.close();
    }
  });
});

describe('finding 7: open mode and other web sites', () => {
  it('refuses signed operations to other origins, leaves public ones and preflights alone', async () => {
    const { server } = await serverWithLog();
    try {
      const evil = { Origin: 'http://evil.example' };
      const refused = await rawHttp(server.port, apiRequest(server.port, 'ListUserPools', { MaxResults: 5 }, evil));
      assert.equal(refused?.status, 400);
      assert.deepEqual(JSON.parse(refused?.body ?? ''), {
        __type: 'AccessDeniedException',
        message:
          'Cross-origin calls to ListUserPools are refused: userpoold runs without developer credentials (open mode), so any web page could make them. ' +
          'Call it from the same origin or from a non-browser client, or configure developer credentials.',
      });
      assert.equal(refused?.headers['x-amzn-errortype'], 'AccessDeniedException');
      // An opaque origin (sandboxed frame, file: page) is another origin too.
      const opaque = await rawHttp(server.port, apiRequest(server.port, 'ListUserPools', { MaxResults: 5 }, { Origin: 'null' }));
      assert.equal(JSON.parse(opaque?.body ?? '').__type, 'AccessDeniedException');

      const sameOrigin = await rawHttp(server.port, apiRequest(server.port, 'ListUserPools', { MaxResults: 5 }, { Origin: `http://127.0.0.1:${server.port}` }));
      assert.equal(sameOrigin?.status, 200);
      const noOrigin = await rawHttp(server.port, apiRequest(server.port, 'ListUserPools', { MaxResults: 5 }));
      assert.equal(noOrigin?.status, 200);

      const publicCall = await rawHttp(server.port, apiRequest(server.port, 'SignUp', { ClientId: '1example23456789', Username: 'u', Password: 'Passw0rd!' }, evil));
      assert.equal(JSON.parse(publicCall?.body ?? '').__type, 'ResourceNotFoundException');
      assert.equal(publicCall?.headers['access-control-allow-origin'], '*');

      const preflight = await fetch(`${server.url}/`, {
        method: 'OPTIONS',
        headers: { ...evil, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-amz-target,content-type' },
      });
      assert.equal(preflight.status, 200);
      assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    } finally {
      await server.close();
    }
  });

  it('answers only loopback Host names (DNS rebinding)', async () => {
    const { server } = await serverWithLog();
    try {
      for (const host of ['localhost', `localhost:${server.port}`, '127.0.0.1', '127.8.9.10:80', '[::1]', `[::1]:${server.port}`, 'LOCALHOST']) {
        const res = await rawHttp(server.port, get('/health', host));
        assert.equal(res?.status, 200, host);
      }
      for (const host of [`evil.example:${server.port}`, 'evil.example', '10.0.0.1', '[::2]:1', '127.0.0.1.evil.example']) {
        const res = await rawHttp(server.port, get('/health', host));
        assert.equal(res?.status, 403, host);
        assert.match(JSON.parse(res?.body ?? '').message, /is not a loopback name/);
      }
      const api = await rawHttp(server.port, apiRequest(server.port, 'SignUp', { ClientId: '1example23456789', Username: 'u', Password: 'Passw0rd!' }, { Host: `rebound.example:${server.port}` }));
      assert.equal(api?.status, 400);
      assert.equal(JSON.parse(api?.body ?? '').__type, 'AccessDeniedException');
      assert.match(JSON.parse(api?.body ?? '').message, /^Host "rebound\.example:\d+" is not a loopback name/);
    } finally {
      await server.close();
    }
  });

  it('with credentials, leaves other origins and Host names to the signature', async () => {
    const { server } = await serverWithLog({ credentialsFile: credentialsFile() });
    try {
      const unsigned = await rawHttp(server.port, apiRequest(server.port, 'ListUserPools', { MaxResults: 5 }, { Origin: 'http://evil.example' }));
      assert.equal(JSON.parse(unsigned?.body ?? '').__type, 'MissingAuthenticationTokenException');
      const proxied = await rawHttp(server.port, get('/health', 'auth.example.com'));
      assert.equal(proxied?.status, 200);
    } finally {
      await server.close();
    }
  });

  it('with --insecure-open, accepts any Host but still refuses other origins', async () => {
    const { server } = await serverWithLog({ insecureOpen: true });
    try {
      assert.equal((await rawHttp(server.port, get('/health', 'devbox.lan:9229')))?.status, 200);
      const refused = await rawHttp(server.port, apiRequest(server.port, 'ListUserPools', { MaxResults: 5 }, { Origin: 'http://evil.example' }));
      assert.equal(JSON.parse(refused?.body ?? '').__type, 'AccessDeniedException');
    } finally {
      await server.close();
    }
  });
});

describe('finding 8: file modes', () => {
  const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

  it('creates the data folder 0700 and the database, its WAL files and the server key 0600', async () => {
    const previous = process.umask(0o022);
    const dataDir = join(tempDir(), 'nested', 'data');
    try {
      const { server, log } = await serverWithLog({ dataDir });
      try {
        await server.raw('CreateUserPool', { PoolName: 'modes' });
        assert.equal(mode(dataDir), '700');
        for (const file of ['server.key', 'userpoold.sqlite', 'userpoold.sqlite-wal', 'userpoold.sqlite-shm']) assert.equal(mode(join(dataDir, file)), '600', file);
        assert.ok(!log.some((l) => l.msg.includes('chmod 700')));
      } finally {
        await server.close();
      }
    } finally {
      process.umask(previous);
    }
  });

  it('leaves the mode of a folder it did not create, and warns', async () => {
    const dataDir = join(tempDir(), 'shared');
    mkdirSync(dataDir, { mode: 0o755 });
    const { server, log } = await serverWithLog({ dataDir });
    try {
      assert.equal(mode(dataDir), '755');
      assert.equal(mode(join(dataDir, 'userpoold.sqlite')), '600');
      const warning = log.find((l) => l.msg.includes(`chmod 700 ${dataDir}`));
      assert.equal(warning?.level, 'warn');
      assert.equal(warning?.mode, '0755');
    } finally {
      await server.close();
    }
  });
});

describe('finding 9: slow uploads', () => {
  it('bounds the body bytes in flight: beyond it a request is refused at once, and the bytes come back', async () => {
    const { server, log } = await serverWithLog({ maxBodyBytesInFlight: 1024 * 1024 });
    const first = await stalledUpload(server.port, 700 * 1024, 100);
    try {
      const firstClosed = closed(first);
      await sleep(100);
      const start = Date.now();
      const refused = await rawHttp(server.port, apiRequest(server.port, 'ListUserPools', { MaxResults: 5, pad: 'x'.repeat(400 * 1024) }), { timeoutMs: 3000 });
      assert.ok(Date.now() - start < 2000, 'refused quickly');
      assert.equal(refused?.status, 400);
      assert.deepEqual(JSON.parse(refused?.body ?? ''), { __type: 'TooManyRequestsException', message: 'Rate exceeded' });
      assert.equal(refused?.headers.connection, 'close');
      // Small requests still fit beside the stalled one.
      assert.equal((await rawHttp(server.port, apiRequest(server.port, 'ListUserPools', { MaxResults: 5 })))?.status, 200);
      first.destroy();
      await firstClosed;
      await sleep(100);
      const after = await rawHttp(server.port, apiRequest(server.port, 'ListUserPools', { MaxResults: 5, pad: 'x'.repeat(400 * 1024) }));
      assert.equal(after?.status, 200, JSON.stringify(log.slice(-3)));
    } finally {
      first.destroy();
      await server.close();
    }
  });

  it('closes a connection whose body takes longer than the request timeout', async () => {
    const { server, log } = await serverWithLog({ requestTimeoutSeconds: 1 });
    const start = Date.now();
    const socket = await stalledUpload(server.port, 1000, 10);
    const timer = setTimeout(() => socket.destroy(), 6000);
    try {
      const written = await closed(socket);
      assert.ok(Date.now() - start < 4000, `closed after ${Date.now() - start} ms`);
      assert.doesNotMatch(written, /^HTTP\/1\.1 200/);
      await until('the abort to be logged', () => log.some((l) => l.msg === 'request body aborted'));
      assert.deepEqual(log.filter((l) => l.level === 'error'), []);
    } finally {
      clearTimeout(timer);
      socket.destroy();
      await server.close();
    }
  });

  it('limits open connections per address when asked', async () => {
    const { server } = await serverWithLog({ maxConnectionsPerAddress: 2 });
    const a = await stalledUpload(server.port, 10, 1);
    const b = await stalledUpload(server.port, 10, 1);
    try {
      await sleep(50);
      const third = await rawHttp(server.port, get('/health', '127.0.0.1'), { timeoutMs: 3000 });
      assert.equal(third, undefined);
      a.destroy();
      await sleep(100);
      assert.equal((await rawHttp(server.port, get('/health', '127.0.0.1')))?.status, 200);
    } finally {
      a.destroy();
      b.destroy();
      await server.close();
    }
  });
});

describe('finding 11b: the token issuer and the Host header', () => {
  it('warns at start when listening beyond loopback without --public-url', async () => {
    const { server, log } = await serverWithLog({ host: '0.0.0.0', insecureOpen: true });
    try {
      const warning = log.find((l) => l.msg.startsWith('listening beyond loopback without --public-url'));
      assert.equal(warning?.level, 'warn');
    } finally {
      await server.close();
    }
    const quiet = await serverWithLog({ host: '0.0.0.0', insecureOpen: true, publicUrl: 'https://auth.example.com' });
    await quiet.server.close();
    assert.ok(!quiet.log.some((l) => l.msg.includes('--public-url')));
  });
});
