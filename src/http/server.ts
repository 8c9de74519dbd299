import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dispatch, errorResult, type Guards } from './api/dispatch.js';
import type { Handlers } from '../features/operation.js';
import { ServiceError } from '../kernel/errors.js';
import type { RequestContext } from '../kernel/request-context.js';
import type { Logger } from '../kernel/logger.js';
import type { Random } from '../kernel/random.js';

export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_ERROR_HEADER_CHARS = 1024;

/** Routes other than the API itself (JWKS, discovery, health, dev views) register here. */
export type GetRoute = (
  path: string,
  ctx: RequestContext,
  query?: URLSearchParams,
) => Promise<{ status: number; body: unknown; contentType?: string } | undefined>;

export interface HttpServerDeps {
  handlers: Handlers;
  guards?: Guards;
  getRoutes: GetRoute[];
  logger: Logger;
  random: Random;
}

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date',
};

export function createHttpServer(deps: HttpServerDeps): Server {
  const server = createServer((req, res) => {
    handle(deps, req, res).catch((err) => {
      deps.logger.error('unhandled request failure', { error: String(err) });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

async function handle(deps: HttpServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = deps.random.uuid();
  const host = req.headers.host ?? 'localhost';
  const ctx: RequestContext = {
    requestId,
    sourceIp: req.socket.remoteAddress ?? '',
    baseUrl: `http://${host}`,
  };
  const rawUrl = req.url ?? '/';
  if (req.method === 'POST' && (rawUrl === '/' || rawUrl.startsWith('/?'))) {
    // The API itself, on every request: the query string matters only to presigned SigV4.
    const query = new URLSearchParams(rawUrl.length > 2 ? rawUrl.slice(2) : '');
    await handleApiCall(deps, req, res, ctx, query);
    return;
  }
  res.setHeader('x-amzn-RequestId', requestId);
  for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
  const url = new URL(rawUrl, 'http://localhost');
  const path = url.pathname;

  if (req.method === 'OPTIONS') {
    res.writeHead(200, {
      'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
      'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
      'Access-Control-Max-Age': '86400',
      'Content-Length': '0',
    });
    res.end();
    return;
  }

  if (req.method === 'GET' || req.method === 'HEAD') {
    for (const route of deps.getRoutes) {
      const answer = await route(path, ctx, url.searchParams);
      if (answer) {
        const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'application/json' });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
    }
    sendJson(res, 404, { message: 'Not Found' });
    return;
  }

  if (req.method !== 'POST' || path !== '/') {
    sendJson(res, 404, { message: 'Not Found' });
    return;
  }
  await handleApiCall(deps, req, res, ctx, url.searchParams);
}

async function handleApiCall(deps: HttpServerDeps, req: IncomingMessage, res: ServerResponse, ctx: RequestContext, query: URLSearchParams): Promise<void> {
  let raw: string;
  try {
    raw = await readBody(req);
  } catch (err) {
    const result = errorResult(err, ctx, deps.logger);
    sendResult(res, ctx.requestId, result.status, result.body, result.errorType, result.errorMessage);
    if (err instanceof ServiceError && err.status === 413) req.destroy();
    return;
  }
  const target = headerValue(req.headers['x-amz-target']);
  const request = { method: 'POST', path: '/', query, headers: req.headers, body: raw };
  const result = await dispatch(deps.handlers, target, request, ctx, deps.logger, deps.guards);
  sendResult(res, ctx.requestId, result.status, result.body, result.errorType, result.errorMessage);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the body, refusing more than MAX_BODY_BYTES before reading it whole. */
function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > MAX_BODY_BYTES) {
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(tooLarge());
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function tooLarge(): ServiceError {
  return new ServiceError('SerializationException', `Request body is larger than ${MAX_BODY_BYTES} bytes.`, 413);
}

function sendResult(res: ServerResponse, requestId: string, status: number, body: string, errorType?: string, errorMessage?: string): void {
  const headers: Record<string, string | number> = {
    'x-amzn-RequestId': requestId,
    ...CORS_HEADERS,
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(body),
  };
  if (errorType !== undefined) {
    headers['x-amzn-ErrorType'] = errorType;
    // Header values must be Latin-1 without line breaks; AWS sends the message here too.
    // Kept short: a validation message can quote a 128 KiB value, and HTTP clients refuse
    // responses whose headers exceed 16 KiB. The body carries the whole message.
    if (errorMessage) headers['x-amzn-ErrorMessage'] = errorMessage.slice(0, MAX_ERROR_HEADER_CHARS).replace(/[^\x20-\x7e]/g, '?');
  }
  res.writeHead(status, headers);
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
