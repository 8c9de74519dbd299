import type { IncomingHttpHeaders } from 'node:http';
import type { Deps } from '../../../services/deps.js';

/**
 * The managed login pages' browser state: a signed-in session (sealed: pool, user, sign-in
 * time; 1 hour, cognito-facts-areas.md §1.6 "Hosted-UI cookie") and a CSRF secret. Both
 * cookies are HttpOnly and SameSite=Lax, Secure when the page is served over https; every form
 * carries a token derived from the CSRF secret (double submit, keyed with the server key).
 */
export const SESSION_COOKIE = 'userpoold_session';
export const CSRF_COOKIE = 'userpoold_csrf';
const SESSION_MS = 60 * 60 * 1000;

export interface BrowserSession {
  poolId: string;
  sub: string;
  authTime: number;
  expiresAt: number;
  /**
   * Set when the user signed in through a SAML provider: what `/logout` names in the LogoutRequest
   * of a single logout (DG "SAML sign-out flow"). Sealed with the rest; absent in older cookies.
   */
  saml?: SamlSessionInfo | undefined;
}

export interface SamlSessionInfo {
  provider: string;
  nameId: string;
  nameIdFormat?: string | undefined;
  sessionIndex?: string | undefined;
}

export function cookiesOf(headers: IncomingHttpHeaders): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!jar.has(name)) jar.set(name, part.slice(eq + 1).trim());
  }
  return jar;
}

function cookie(name: string, value: string, path: string, secure: boolean, maxAgeSeconds?: number): string {
  return `${name}=${value}; Path=${path}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}${maxAgeSeconds !== undefined ? `; Max-Age=${maxAgeSeconds}` : ''}`;
}

export function openBrowserSession(deps: Pick<Deps, 'secrets' | 'clock'>, headers: IncomingHttpHeaders, poolId: string): BrowserSession | undefined {
  const sealed = cookiesOf(headers).get(SESSION_COOKIE);
  if (sealed === undefined) return undefined;
  try {
    const session = JSON.parse(deps.secrets.open(sealed)) as BrowserSession;
    return session.poolId === poolId && deps.clock.nowMs() < session.expiresAt ? session : undefined;
  } catch {
    return undefined;
  }
}

export function sessionCookie(deps: Pick<Deps, 'secrets' | 'clock'>, session: Omit<BrowserSession, 'expiresAt'>, path: string, secure: boolean): string {
  const sealed = deps.secrets.seal(JSON.stringify({ ...session, expiresAt: deps.clock.nowMs() + SESSION_MS }));
  return cookie(SESSION_COOKIE, sealed, path, secure, SESSION_MS / 1000);
}

export function clearSessionCookie(path: string, secure: boolean): string {
  return cookie(SESSION_COOKIE, '', path, secure, 0);
}

/** The browser's CSRF secret, and the Set-Cookie that gives it one when it has none yet. */
export function csrfSecret(deps: Pick<Deps, 'random'>, headers: IncomingHttpHeaders, path: string, secure: boolean): { secret: string; setCookie?: string } {
  const existing = cookiesOf(headers).get(CSRF_COOKIE);
  if (existing !== undefined && /^[A-Za-z0-9_-]{22,64}$/.test(existing)) return { secret: existing };
  const secret = deps.random.bytes(24).toString('base64url');
  return { secret, setCookie: cookie(CSRF_COOKIE, secret, path, secure) };
}

export function csrfToken(deps: Pick<Deps, 'secrets'>, secret: string): string {
  return deps.secrets.digest('managed-login-csrf', secret);
}

/** Whether a submitted form carries the token of the browser's CSRF secret. */
export function csrfValid(deps: Pick<Deps, 'secrets'>, headers: IncomingHttpHeaders, submitted: string | null): boolean {
  const secret = cookiesOf(headers).get(CSRF_COOKIE);
  if (secret === undefined || submitted === null) return false;
  return deps.secrets.digestEquals(csrfToken(deps, secret), submitted);
}
