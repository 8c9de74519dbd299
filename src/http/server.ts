import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../kernel/config.js';
import type { RequestContext } from '../kernel/request-context.js';
import type { Logger } from '../kernel/logger.js';
import type { Random } from '../kernel/random.js';
import { requestArrived } from '../kernel/request-epoch.js';
import { createByteBudget, type ByteBudget } from './routes/byte-budget.js';
import { foreignHostMessage, isLoopbackHost } from './routes/open-mode.js';
import { BodyAborted, BodyTooLarge, decodeBody, readBody, streamBody } from './routes/read-body.js';
import { json, plainProblem, type Problem, type Route, type RouteResponse } from './routes/route.js';
import { NO_PARAMS, allowedMethods, routeFor, type PathMatch, type RouteTable } from './routes/table.js';

export interface HttpLimits {
  /** Request body bytes all requests together may hold at once (routes/byte-budget.ts). */
  maxBodyBytesInFlight: number;
  /** How long a request's headers and body may take to arrive; the connection is closed after. */
  requestTimeoutMs: number;
  /** Open connections per remote address; 0: no limit. */
  maxConnectionsPerAddress: number;
}

export const DEFAULT_LIMITS: HttpLimits = { maxBodyBytesInFlight: 64 * 1024 * 1024, requestTimeoutMs: 30_000, maxConnectionsPerAddress: 0 };

export function limitsFrom(config: Pick<Config, 'maxBodyBytesInFlight' | 'requestTimeoutSeconds' | 'maxConnectionsPerAddress'>): HttpLimits {
  return {
    maxBodyBytesInFlight: config.maxBodyBytesInFlight,
    requestTimeoutMs: config.requestTimeoutSeconds * 1000,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
  };
}

export interface HttpServerDeps {
  routes: RouteTable;
  logger: Logger;
  random: Random;
  limits?: HttpLimits | undefined;
  /**
   * Open mode's DNS-rebinding defence (routes/open-mode.ts): while it answers true, a request
   * whose Host is not a loopback name is refused. Asked only for such requests.
   */
  loopbackHostOnly?: (() => Promise<boolean>) | undefined;
}

const CORS_EXPOSE = 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date';
/** Shared by every request without a query string; handlers never mutate a query. */
const EMPTY_QUERY = new URLSearchParams();

/**
 * The HTTP front: parse the target once, find the route (404, or 405 with Allow), check the
 * Host in open mode, read the body under the route's policy and the server's byte budget, call
 * the handler, write its response. POST / (the API, on nearly every request) skips the lookup
 * and builds no URL object.
 */
export function createHttpServer(deps: HttpServerDeps): Server {
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const budget = createByteBudget(limits.maxBodyBytesInFlight);
  const api = deps.routes.postRoot;
  const apiMatch: PathMatch | undefined = api && { route: api, params: NO_PARAMS };
  const server = createServer(
    {
      // Node's defaults let a request take 300 s to arrive; a slow body holds its bytes that long.
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.requestTimeoutMs, 60_000),
      // How often Node looks for requests past those limits (30 s by default, which would double a short timeout).
      connectionsCheckingInterval: Math.max(100, Math.min(5000, Math.floor(limits.requestTimeoutMs / 4))),
    },
    (req, res) => {
      // Caches of what other processes may write look again for this request (kernel/request-epoch.ts).
      requestArrived();
      handle(deps, budget, apiMatch, req, res).catch((err: unknown) => {
        deps.logger.error('unhandled request failure', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    },
  );
  server.keepAliveTimeout = 65_000;
  if (limits.maxConnectionsPerAddress > 0) limitConnections(server, limits.maxConnectionsPerAddress, deps.logger);
  return server;
}

async function handle(deps: HttpServerDeps, budget: ByteBudget, apiMatch: PathMatch | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = deps.random.uuid();
  const host = req.headers.host;
  const ctx: RequestContext = {
    requestId,
    sourceIp: req.socket.remoteAddress ?? '',
    baseUrl: `http://${host ?? 'localhost'}`,
  };
  const rawUrl = req.url ?? '/';
  const method = req.method ?? '';
  let match: PathMatch;
  let path: string;
  let query: URLSearchParams;
  if (method === 'POST' && apiMatch !== undefined && (rawUrl === '/' || rawUrl.startsWith('/?'))) {
    // The API itself, on nearly every request: the query string matters only to presigned SigV4.
    match = apiMatch;
    path = '/';
    query = rawUrl.length > 2 ? new URLSearchParams(rawUrl.slice(2)) : EMPTY_QUERY;
  } else {
    // Only origin-form targets (/path?query) name a resource here; `*` and absolute URLs do not.
    if (rawUrl.charCodeAt(0) !== 47 /* / */) {
      send(res, requestId, false, json({ message: 'Bad Request: the request target must be a path.' }, 400), method === 'HEAD');
      return;
    }
    const q = rawUrl.indexOf('?');
    path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    query = q < 0 || q === rawUrl.length - 1 ? EMPTY_QUERY : new URLSearchParams(rawUrl.slice(q + 1));
    const matches = deps.routes.atPath(path);
    if (matches.length === 0) {
      send(res, requestId, false, json({ message: 'Not Found' }, 404), method === 'HEAD');
      return;
    }
    if (method === 'OPTIONS') {
      send(res, requestId, false, options(matches, req), false);
      return;
    }
    const found = routeFor(matches, method);
    if (found === undefined) {
      send(res, requestId, false, json({ message: 'Method Not Allowed' }, 405, { Allow: allowedMethods(matches) }), method === 'HEAD');
      return;
    }
    match = found;
  }
  const route = match.route;
  const head = method === 'HEAD';

  if (deps.loopbackHostOnly !== undefined && !isLoopbackHost(host) && (await deps.loopbackHostOnly())) {
    refuse(res, requestId, route, ctx, { status: 403, kind: 'forbidden-host', message: foreignHostMessage(host ?? '') }, head, true);
    return;
  }

  let body: unknown;
  let reserved = 0;
  const policy = route.body;
  if (policy.kind !== 'none') {
    const declared = req.headers['content-length'];
    const length = declared === undefined ? undefined : Number(declared);
    // A body larger than the whole byte budget can never be held, however long the client
    // waits: 413, not a 503 that asks it to retry (every chunked upload was refused 503 before:
    // test/endpoint-fuzz.test.ts). A streamed body is never held whole: only its route's limit counts.
    const streamed = policy.kind === 'stream';
    const limit = streamed ? policy.limit : Math.min(policy.limit, budget.max);
    if (length !== undefined && length > limit) {
      refuse(res, requestId, route, ctx, tooLarge(limit), head, true);
      return;
    }
    // Without a length a body streams in chunks: it may grow to that limit (a streamed body holds its window at most).
    const whole = length ?? (req.headers['transfer-encoding'] === undefined ? 0 : limit);
    const reserve = streamed ? Math.min(whole, policy.window) : whole;
    if (reserve > 0 && !budget.take(reserve)) {
      // Debug, not info: under a flood of slow uploads every refusal would be a log line.
      deps.logger.debug('request refused: request bodies in flight at the limit', { requestId, route: route.name, sourceIp: ctx.sourceIp });
      refuse(res, requestId, route, ctx, { status: 503, kind: 'busy', message: 'The server is receiving too many request bodies at once; retry shortly.' }, head, true);
      return;
    }
    reserved = reserve;
    if (streamed) body = streamBody(req, limit);
    else try {
      const decoded = decodeBody(policy, await readBody(req, limit), req.headers);
      if ('status' in decoded) {
        budget.give(reserved);
        refuse(res, requestId, route, ctx, decoded, head, false);
        return;
      }
      body = decoded.body;
    } catch (err) {
      budget.give(reserved);
      if (err instanceof BodyTooLarge) {
        refuse(res, requestId, route, ctx, tooLarge(limit), head, true);
        return;
      }
      if (err instanceof BodyAborted) {
        // The client left, or was cut off by the request timeout: nothing to answer, nobody's bug.
        deps.logger.debug('request body aborted', { requestId, route: route.name, sourceIp: ctx.sourceIp, code: err.code });
        return;
      }
      throw err;
    }
  }

  let response: RouteResponse;
  try {
    response = await route.handle({ method, path, query, params: match.params, headers: req.headers, body, ctx });
  } catch (err) {
    // A streamed body failing under the handler (which has undone its work): answered as before the handler.
    // (The budget is given back by `finally`.)
    if (err instanceof BodyTooLarge) {
      refuse(res, requestId, route, ctx, tooLarge(policy.kind === 'none' ? 0 : policy.limit), head, true);
      return;
    }
    if (err instanceof BodyAborted) {
      deps.logger.debug('request body aborted', { requestId, route: route.name, sourceIp: ctx.sourceIp, code: err.code });
      return;
    }
    deps.logger.error('internal error', { requestId, route: route.name, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    response = json({ message: 'Internal server error.' }, 500);
  } finally {
    budget.give(reserved);
  }
  // A streamed body the handler did not read to its end (refused first): the rest is not read either.
  if (policy.kind === 'stream' && !req.complete) response.headers = { ...response.headers, Connection: 'close' };
  send(res, requestId, route.cors, response, head);
}

function tooLarge(limit: number): Problem {
  return { status: 413, kind: 'too-large', message: `Request body is larger than ${limit} bytes.` };
}

/**
 * A refusal before the handler, in the route's error shape. `close`: the body was not read
 * (or not whole), so the connection cannot carry another request; Node closes it once the
 * answer is out, instead of reading the rest of a body nobody wants.
 */
function refuse(res: ServerResponse, requestId: string, route: Route, ctx: RequestContext, problem: Problem, head: boolean, close: boolean): void {
  const response = route.problem?.(problem, ctx) ?? plainProblem(problem);
  if (close) response.headers = { ...response.headers, Connection: 'close' };
  send(res, requestId, route.cors, response, head);
}

/** OPTIONS: the CORS preflight for routes open to other origins, else the plain Allow answer. */
function options(matches: readonly PathMatch[], req: IncomingMessage): RouteResponse {
  const allow = allowedMethods(matches);
  const cors = matches.filter((m) => m.route.cors);
  if (cors.length === 0) return { status: 204, headers: { Allow: allow } };
  return {
    status: 200,
    headers: {
      Allow: allow,
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': allowedMethods(cors),
      'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
      'Access-Control-Max-Age': '86400',
    },
  };
}

function send(res: ServerResponse, requestId: string, cors: boolean, response: RouteResponse, head: boolean): void {
  const body = response.body;
  const headers: OutgoingHttpHeaders = { 'x-amzn-RequestId': requestId };
  if (cors) {
    headers['Access-Control-Allow-Origin'] = '*';
    headers['Access-Control-Expose-Headers'] = CORS_EXPOSE;
  }
  if (response.contentType !== undefined) headers['Content-Type'] = response.contentType;
  if (response.status !== 204 && response.status !== 304) {
    headers['Content-Length'] = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  }
  const extra = response.headers;
  if (extra !== undefined) for (const name in extra) headers[name] = extra[name];
  res.writeHead(response.status, headers);
  res.end(head ? undefined : body);
}

/**
 * At most `max` open connections per remote address; more are closed as they open. Behind a
 * proxy every connection comes from the proxy's address, so this is for direct exposure only.
 */
function limitConnections(server: Server, max: number, logger: Logger): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      logger.debug('connection refused: too many open connections from one address', { sourceIp: address, max });
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
