import type { Deps } from '../deps.js';

/**
 * A short-lived state the server hands out and gets back (an OIDC `state`, a SAML RelayState, a
 * managed-login form's hidden field) without storing it: sealed with the server key, so it can be
 * neither read nor forged, with an expiry, optionally bound to a secret the browser holds in a
 * cookie (so it cannot be finished in another browser: login CSRF, RFC 6749 §10.12), and, through
 * the single-use port, usable once where the caller asks for it.
 *
 * On the wire: `{ kind, state, exp, bind? }`, the kind sealed in so one kind never opens as
 * another. States live for minutes, so a change of this shape only refuses the ones in flight at
 * an upgrade.
 */
export interface SealedStateKind<T> {
  /** Sealed into the value, and the purpose of its digests. */
  kind: string;
  lifetimeMs: number;
  /** Longer values are refused before any work (a form field or query parameter of any size can arrive). */
  maxLength: number;
  /** The state from the opened fields, or undefined when one is missing or of the wrong type. */
  read(fields: Record<string, unknown>): T | undefined;
}

export interface OpenedState<T> {
  state: T;
  /** Epoch ms. */
  expiresAt: number;
  /** The digest of the browser secret the state was sealed with, if any. */
  binding: string | undefined;
}

export interface SealedStates<T> {
  /** Seals `state` for the kind's lifetime from now, bound to `browserSecret` when one is given. */
  seal(deps: Pick<Deps, 'secrets' | 'clock'>, state: T, browserSecret?: string): string;
  /** The state if this server sealed `value` as this kind (expired or not, bound or not); else undefined. */
  open(deps: Pick<Deps, 'secrets'>, value: string): OpenedState<T> | undefined;
  expired(deps: Pick<Deps, 'clock'>, opened: OpenedState<T>): boolean;
  /** Whether the state was sealed bound to `browserSecret` (false for an unbound state or no secret). */
  boundTo(deps: Pick<Deps, 'secrets'>, opened: OpenedState<T>, browserSecret: string | undefined): boolean;
  /** Marks `value` used until it expires; false when it was used before (a replay or a reload). */
  useOnce(deps: Pick<Deps, 'secrets' | 'store' | 'clock'>, value: string, opened: OpenedState<T>): Promise<boolean>;
}

export function sealedStates<T>(spec: SealedStateKind<T>): SealedStates<T> {
  const binding = (deps: Pick<Deps, 'secrets'>, browserSecret: string) => deps.secrets.digest(`${spec.kind}/browser`, browserSecret);
  return {
    seal(deps, state, browserSecret) {
      const bind = browserSecret === undefined ? undefined : binding(deps, browserSecret);
      return deps.secrets.seal(JSON.stringify({ kind: spec.kind, state, exp: deps.clock.nowMs() + spec.lifetimeMs, bind }));
    },
    open(deps, value) {
      if (value === '' || value.length > spec.maxLength) return undefined;
      let sealed: unknown;
      try {
        sealed = JSON.parse(deps.secrets.open(value));
      } catch {
        return undefined;
      }
      if (!isRecord(sealed) || sealed.kind !== spec.kind || typeof sealed.exp !== 'number' || !isRecord(sealed.state)) return undefined;
      if (sealed.bind !== undefined && typeof sealed.bind !== 'string') return undefined;
      const state = spec.read(sealed.state);
      return state === undefined ? undefined : { state, expiresAt: sealed.exp, binding: sealed.bind };
    },
    expired(deps, opened) {
      return deps.clock.nowMs() >= opened.expiresAt;
    },
    boundTo(deps, opened, browserSecret) {
      return opened.binding !== undefined && browserSecret !== undefined && deps.secrets.digestEquals(opened.binding, binding(deps, browserSecret));
    },
    useOnce(deps, value, opened) {
      return deps.store.useOnce(`${spec.kind}:${deps.secrets.digest(spec.kind, value)}`, opened.expiresAt, deps.clock.nowMs());
    },
  };
}

/** The named fields when every one is a string; else undefined (a reader's common case). */
export function stringFields<K extends string>(fields: Record<string, unknown>, names: readonly K[]): Record<K, string> | undefined {
  const out = {} as Record<K, string>;
  for (const name of names) {
    const value = fields[name];
    if (typeof value !== 'string') return undefined;
    out[name] = value;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
