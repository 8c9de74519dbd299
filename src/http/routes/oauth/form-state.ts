import type { IncomingHttpHeaders } from 'node:http';
import type { Deps } from '../../../services/deps.js';
import type { SealedStates } from '../../../services/sessions/sealed-state.js';
import { CSRF_COOKIE, cookiesOf } from './browser-session.js';

/**
 * What a managed-login page carries in its form to the answer: a sealed state
 * (services/sessions/sealed-state.ts) bound to the browser's CSRF secret, so a form can neither
 * change it nor take it to another browser; nothing the form says outside it is trusted.
 */

/** The sealed state for the form, or undefined when the browser has no CSRF secret to bind it to. */
export function sealFormState<T>(deps: Pick<Deps, 'secrets' | 'clock'>, states: SealedStates<T>, headers: IncomingHttpHeaders, state: T): string | undefined {
  const secret = cookiesOf(headers).get(CSRF_COOKIE);
  return secret === undefined ? undefined : states.seal(deps, state, secret);
}

/** The state a submitted form carries, if it is genuine, unexpired, this browser's and holds `expected` (the page's pool and client, ...). */
export function openFormState<T>(deps: Pick<Deps, 'secrets' | 'clock'>, states: SealedStates<T>, headers: IncomingHttpHeaders, sealed: string, expected: Partial<T>): T | undefined {
  const opened = states.open(deps, sealed);
  if (!opened || states.expired(deps, opened) || !states.boundTo(deps, opened, cookiesOf(headers).get(CSRF_COOKIE))) return undefined;
  for (const key of Object.keys(expected) as (keyof T)[]) {
    if (opened.state[key] !== expected[key]) return undefined;
  }
  return opened.state;
}
