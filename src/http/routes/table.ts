import type { Method, Route } from './route.js';

/** A route whose path matched, with the values of its `:params`. */
export interface PathMatch {
  route: Route;
  params: Readonly<Record<string, string>>;
}

export interface RouteTable {
  /** The route answering POST / (the AWS JSON endpoint), looked up once: the server's fast path. */
  readonly postRoot: Route | undefined;
  /** Every route whose path matches, in table order (exact paths before patterns). */
  atPath(path: string): PathMatch[];
  /** Every route, as given: for tests that must reach each one (test/endpoint-fuzz.test.ts). */
  readonly routes: readonly Route[];
}

export const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

interface Pattern {
  route: Route;
  /** Literal segments as strings, parameters as { name }. */
  segments: (string | { name: string })[];
}

/**
 * The routes, compiled once: exact paths in a map, patterns as segment lists. Two routes may
 * share a path with different methods; a method that none of them answers is the server's 405.
 */
export function createRouteTable(routes: readonly Route[]): RouteTable {
  const exact = new Map<string, Route[]>();
  const patterns: Pattern[] = [];
  for (const route of routes) {
    if (!route.path.startsWith('/')) throw new Error(`route ${route.name}: a path starts with /`);
    if (!route.path.includes('/:')) {
      const list = exact.get(route.path) ?? [];
      list.push(route);
      exact.set(route.path, list);
      continue;
    }
    const segments = route.path
      .slice(1)
      .split('/')
      .map((s) => (s.startsWith(':') ? { name: s.slice(1) } : s));
    patterns.push({ route, segments });
  }
  const postRoot = exact.get('/')?.find((r) => r.methods.includes('POST'));

  return {
    postRoot,
    routes: Object.freeze([...routes]),
    atPath(path) {
      const found: PathMatch[] = (exact.get(path) ?? []).map((route) => ({ route, params: NO_PARAMS }));
      if (patterns.length === 0) return found;
      const parts = path.slice(1).split('/');
      for (const pattern of patterns) {
        const params = matchSegments(pattern, parts);
        if (params) found.push({ route: pattern.route, params });
      }
      return found;
    },
  };
}

function matchSegments(pattern: Pattern, parts: string[]): Record<string, string> | undefined {
  if (parts.length !== pattern.segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = pattern.segments[i] as string | { name: string };
    const part = parts[i] as string;
    if (typeof segment === 'string') {
      if (segment !== part) return undefined;
      continue;
    }
    if (part === '') return undefined;
    let value: string;
    try {
      value = decodeURIComponent(part);
    } catch {
      return undefined; // malformed percent-encoding: no such resource
    }
    const constraint = pattern.route.params?.[segment.name];
    if (constraint && !constraint.test(value)) return undefined;
    params[segment.name] = value;
  }
  return params;
}

/** The methods a set of routes answers, as an Allow header lists them. */
export function allowedMethods(matches: readonly PathMatch[]): string {
  const methods = new Set<string>();
  for (const { route } of matches) {
    for (const method of route.methods) {
      methods.add(method);
      if (method === 'GET') methods.add('HEAD');
    }
  }
  methods.add('OPTIONS');
  return [...methods].join(', ');
}

/** The route among those of the path that answers this method (HEAD is answered by GET). */
export function routeFor(matches: readonly PathMatch[], method: string): PathMatch | undefined {
  const wanted = (method === 'HEAD' ? 'GET' : method) as Method;
  return matches.find((m) => m.route.methods.includes(wanted));
}
