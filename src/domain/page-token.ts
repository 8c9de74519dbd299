import { invalidParameter } from '../kernel/errors.js';

/**
 * Opaque NextToken values for listings ordered by a key: the last key returned, bound to the
 * listing it came from (`scope`), so a token of one pool's clients cannot page another pool's.
 * Not secret: it only says where to resume.
 */
export function encodePageToken(scope: string, after: string): string {
  return Buffer.from(JSON.stringify([scope, after]), 'utf8').toString('base64url');
}

/** The key to resume after; a token that is not ours or belongs to another listing is refused. */
export function decodePageToken(scope: string, token: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== scope || typeof parsed[1] !== 'string') {
    // AWS's text for a foreign token is not known for these listings (unverified).
    throw invalidParameter('The pagination token is invalid.');
  }
  return parsed[1];
}

/**
 * One page from a listing fetched with `limit + 1` rows: the extra row only tells that more
 * follow, so NextToken is present exactly when another page exists.
 */
export function pageOf<T>(rows: readonly T[], limit: number, keyOf: (row: T) => string, scope: string): { items: T[]; nextToken?: string } {
  if (rows.length <= limit) return { items: [...rows] };
  const items = rows.slice(0, limit);
  return { items, nextToken: encodePageToken(scope, keyOf(items[items.length - 1] as T)) };
}
