import { ServiceError } from '../../kernel/errors.js';
import type { Guards } from '../api/dispatch.js';
import { isLoopback } from '../pipeline/authenticate.js';

/**
 * Open mode (no developer credentials: any signature, or none, passes; see authenticate.ts) is
 * meant for the developer's own tools on this machine. Two things would let any web page the
 * developer visits drive it instead:
 * - cross-origin calls: Cognito answers CORS for every origin, because browser apps call the
 *   public operations (InitiateAuth, SignUp ...). In open mode the admin operations would be
 *   as callable. They are refused to other origins here, per operation, since a preflight
 *   cannot say which operation follows (the target is a header value it does not carry);
 * - DNS rebinding: a page whose name resolves to 127.0.0.1 is same-origin with the server
 *   and passes the first check. Its requests still name that page's host in Host, so open mode
 *   answers only requests addressed to a loopback name (server.ts, `loopbackHostOnly`).
 */

export type OpenModeFact = () => Promise<boolean>;

/**
 * Wraps the authenticate guard: in open mode, an operation AWS signs called from a page of
 * another origin is refused with AccessDeniedException, before anything else is checked. It is
 * AWS's answer to a caller who may not perform an action (an IAM deny, cognito-facts.md section
 * 11), which this caller is; the SigV4 errors (UnrecognizedClient, MissingAuthenticationToken)
 * would send the developer looking at keys, and no key would help. Public operations,
 * and every operation once credentials exist (a signature then vouches for the caller), are
 * left to the inner guard.
 */
export function refuseCrossOriginWhenOpen(inner: Guards['authenticate'], isOpen: OpenModeFact): NonNullable<Guards['authenticate']> {
  return async (operation, signed, request, input, ctx) => {
    if (signed && isCrossOrigin(request.headers.origin, request.headers.host) && (await isOpen())) {
      throw new ServiceError(
        'AccessDeniedException',
        `Cross-origin calls to ${operation} are refused: userpoold runs without developer credentials (open mode), so any web page could make them. ` +
          'Call it from the same origin or from a non-browser client, or configure developer credentials.',
      );
    }
    await inner?.(operation, signed, request, input, ctx);
  };
}

/** The refusal of a request addressed to a name that is not loopback, in open mode. */
export function foreignHostMessage(host: string): string {
  return (
    `Host ${JSON.stringify(host.slice(0, 200))} is not a loopback name: userpoold runs without developer credentials (open mode) and answers only ` +
    'requests addressed to localhost, 127.0.0.0/8 or [::1]. Configure developer credentials (or --insecure-open) to serve other names.'
  );
}

/**
 * Whether the Host header names this machine's loopback interface, with any port: localhost,
 * 127.0.0.0/8, [::1]. No Host at all (HTTP/1.0) counts as loopback: browsers always send one.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return true;
  let name: string;
  if (host.charCodeAt(0) === 91 /* [ */) {
    const end = host.indexOf(']');
    if (end < 0) return false;
    name = host.slice(1, end);
  } else {
    const colon = host.indexOf(':');
    name = colon < 0 ? host : host.slice(0, colon);
  }
  if (name === '127.0.0.1' || name === 'localhost') return true;
  return isLoopback(name);
}

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/**
 * Whether an Origin header names another origin than the one the request was sent to. Browsers
 * send Origin on cross-origin requests and on same-origin POSTs; an opaque origin ("null", a
 * sandboxed frame or a file: page) is always another. Without Origin the caller is no page of
 * another site (SDKs, curl).
 */
export function isCrossOrigin(origin: string | string[] | undefined, host: string | string[] | undefined): boolean {
  if (origin === undefined) return false;
  if (typeof origin !== 'string' || typeof host !== 'string') return true;
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)$/i.exec(origin);
  if (!match) return true;
  const scheme = (match[1] as string).toLowerCase();
  return withoutDefaultPort(match[2] as string, scheme) !== withoutDefaultPort(host, scheme);
}

function withoutDefaultPort(authority: string, scheme: string): string {
  const lower = authority.toLowerCase();
  const port = DEFAULT_PORTS[scheme];
  return port !== undefined && lower.endsWith(`:${port}`) ? lower.slice(0, -port.length - 1) : lower;
}
