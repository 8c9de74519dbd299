import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { RequestContext } from '../../kernel/request-context.js';

/**
 * One entry of the route table (src/http/server.ts serves it): what it answers (methods and
 * path), what body it takes and how much of it, whether browsers of other origins may call it,
 * and the handler. The server reads and limits the body before the handler runs, so a handler
 * never sees more than its route allows.
 */
export interface Route<P extends BodyPolicy = BodyPolicy> {
  /** For logs. */
  name: string;
  /** GET also answers HEAD. OPTIONS is answered by the server (CORS preflight or Allow). */
  methods: readonly Method[];
  /**
   * `/health` matches that path exactly; `/:poolId/.well-known/jwks.json` matches any one
   * non-empty segment as `poolId` (percent-decoded), constrained by `params` when given.
   */
  path: string;
  /** A param whose value fails its pattern does not match (so the path answers 404). */
  params?: Readonly<Record<string, RegExp>>;
  body: P;
  /**
   * Whether pages of any origin may call it (Access-Control-Allow-Origin: *, and preflights
   * answered). Off for anything that reveals what another site must not read.
   */
  cors: boolean;
  handle(request: RouteRequest<BodyOf<P>>): Promise<RouteResponse> | RouteResponse;
  /** Renders a refusal made before the handler (body too large, server busy ...); plain JSON otherwise. */
  problem?(problem: Problem, ctx: RequestContext): RouteResponse;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/**
 * How the body is read: not at all, as bytes, as UTF-8 text, as JSON (refused with 400 when it
 * does not parse), or as an HTML form (application/x-www-form-urlencoded; 415 otherwise). `limit`
 * is in bytes; a larger body is refused with 413 before or while it arrives.
 */
export type BodyPolicy =
  | { readonly kind: 'none' }
  | { readonly kind: 'raw'; readonly limit: number }
  | { readonly kind: 'text'; readonly limit: number }
  | { readonly kind: 'json'; readonly limit: number }
  | { readonly kind: 'form'; readonly limit: number }
  /**
   * Streamed to the handler as it arrives (AsyncIterable of Buffer pieces), for bodies too large
   * to hold (the user import upload, issue 21). The server checks a declared length against
   * `limit` first; while streaming, passing it or the client going away throws out of the
   * iteration and the server answers (413) or drops the request: the handler undoes its work and
   * rethrows. Only `window` bytes count against the byte budget: the handler holds no more.
   */
  | { readonly kind: 'stream'; readonly limit: number; readonly window: number };

export type BodyOf<P extends BodyPolicy> = P extends { kind: 'none' }
  ? undefined
  : P extends { kind: 'raw' }
    ? Buffer
    : P extends { kind: 'text' }
      ? string
      : P extends { kind: 'form' }
        ? URLSearchParams
        : P extends { kind: 'stream' }
          ? AsyncIterable<Buffer>
          : unknown;

/**
 * What a handler sees. Method, path, query, headers and body have the names and types of the
 * pipeline's RawRequest, so the AWS JSON route hands this object to dispatch as it is.
 */
export interface RouteRequest<B = unknown> {
  method: string;
  /** The path as sent, without the query string (not percent-decoded). */
  path: string;
  /** Never mutate: requests without a query string share one empty instance. */
  query: URLSearchParams;
  params: Readonly<Record<string, string>>;
  headers: IncomingHttpHeaders;
  body: B;
  ctx: RequestContext;
}

/**
 * What a handler answers. `body` is sent as it is, with `contentType`; the helpers below make
 * the usual ones. `headers` may carry Location, Set-Cookie (an array for several), Cache-Control.
 */
export interface RouteResponse {
  status: number;
  contentType?: string | undefined;
  body?: string | Buffer | undefined;
  headers?: OutgoingHttpHeaders | undefined;
}

/** A refusal made by the server before the handler runs. */
export interface Problem {
  status: number;
  kind: 'bad-request' | 'too-large' | 'unsupported-media-type' | 'busy' | 'forbidden-host';
  message: string;
}

/** Erases the body type, so routes of every policy share one table. */
export function defineRoute<P extends BodyPolicy>(route: Route<P>): Route {
  return route as unknown as Route;
}

export const JSON_TYPE = 'application/json';

export function json(value: unknown, status = 200, headers?: OutgoingHttpHeaders): RouteResponse {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(value), headers };
}

export function html(markup: string, status = 200, headers?: OutgoingHttpHeaders): RouteResponse {
  return { status, contentType: 'text/html; charset=utf-8', body: markup, headers };
}

export function text(value: string, status = 200, headers?: OutgoingHttpHeaders): RouteResponse {
  return { status, contentType: 'text/plain; charset=utf-8', body: value, headers };
}

export function redirect(location: string, status: 301 | 302 | 303 | 307 | 308 = 302, headers?: OutgoingHttpHeaders): RouteResponse {
  return { status, headers: { ...headers, Location: location } };
}

export function empty(status = 204, headers?: OutgoingHttpHeaders): RouteResponse {
  return { status, headers };
}

/** The plain refusal: `{"message": ...}` with the problem's status. */
export function plainProblem(problem: Problem): RouteResponse {
  return json({ message: problem.message }, problem.status, problem.kind === 'busy' ? { 'Retry-After': '1' } : undefined);
}
