import { invalidParameter } from '../../kernel/errors.js';
import type { FilterColumn, UserFilter, UserListing } from './user.js';

/**
 * ListUsers' query language: one `attribute = "value"` (exact) or `attribute ^= "value"`
 * (starts with) per request, and the pagination token that continues a listing.
 */

export type FilterOp = '=' | '^=';

export interface ParsedFilter {
  attribute: string;
  op: FilterOp;
  value: string;
}

/** Filter attribute → store column. `status` is Enabled/Disabled; `cognito:user_status` the user status. */
const SEARCHABLE: Readonly<Record<string, FilterColumn>> = {
  username: 'username',
  email: 'email',
  phone_number: 'phone_number',
  name: 'name',
  given_name: 'given_name',
  family_name: 'family_name',
  preferred_username: 'preferred_username',
  'cognito:user_status': 'status',
  status: 'enabled',
  sub: 'sub',
};

export const SEARCHABLE_ATTRIBUTES: ReadonlySet<string> = new Set(Object.keys(SEARCHABLE));

export const FILTER_PARSE_ERROR = 'Error while parsing filter.';

/**
 * Reads a Filter string. Blank means no filter. The attribute may be bare or quoted (AWS's own
 * example is `"email"^="testuser"`); the value must be quoted, with `\"` and `\\` escapes.
 */
export function parseFilter(text: string | undefined): ParsedFilter | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const reader = new Reader(text);
  reader.skipSpace();
  const attribute = reader.peek() === '"' ? reader.quoted() : reader.bare();
  reader.skipSpace();
  const op = reader.op();
  reader.skipSpace();
  if (reader.peek() !== '"') throw invalidParameter(FILTER_PARSE_ERROR);
  const value = reader.quoted();
  reader.skipSpace();
  if (!reader.done() || attribute === '') throw invalidParameter(FILTER_PARSE_ERROR);
  if (!SEARCHABLE_ATTRIBUTES.has(attribute)) throw invalidParameter(`Invalid search attribute: ${attribute}`);
  return { attribute, op, value };
}

class Reader {
  private at = 0;
  constructor(private readonly text: string) {}

  peek(): string | undefined {
    return this.text[this.at];
  }
  done(): boolean {
    return this.at >= this.text.length;
  }
  skipSpace(): void {
    while (!this.done() && /\s/.test(this.text[this.at] as string)) this.at++;
  }
  bare(): string {
    const start = this.at;
    while (!this.done() && !/[\s=^"]/.test(this.text[this.at] as string)) this.at++;
    return this.text.slice(start, this.at);
  }
  op(): FilterOp {
    if (this.text.startsWith('^=', this.at)) {
      this.at += 2;
      return '^=';
    }
    if (this.text.startsWith('=', this.at)) {
      this.at += 1;
      return '=';
    }
    throw invalidParameter(FILTER_PARSE_ERROR);
  }
  quoted(): string {
    this.at++; // opening quote
    let out = '';
    while (!this.done()) {
      const ch = this.text[this.at++] as string;
      if (ch === '"') return out;
      if (ch === '\\') {
        const next = this.text[this.at++];
        if (next === undefined) break;
        out += next;
      } else {
        out += ch;
      }
    }
    throw invalidParameter(FILTER_PARSE_ERROR);
  }
}

/**
 * The store query for a parsed filter, or `'none'` when no user can match (so the store is not
 * asked). `usernameKey` folds a username the way the pool compares names.
 */
export function storeFilter(filter: ParsedFilter, usernameKey: (name: string) => string): UserFilter | undefined | 'none' {
  const column = SEARCHABLE[filter.attribute] as FilterColumn;
  switch (column) {
    case 'username':
      return { column, op: filter.op, value: usernameKey(filter.value) };
    case 'status':
      // Documented as case-insensitive; statuses are stored upper-case.
      return { column, op: filter.op, value: filter.value.toUpperCase() };
    case 'enabled':
      return enabledFilter(filter);
    case 'sub':
      return { column, op: filter.op, value: filter.value.toLowerCase() };
    default:
      return { column, op: filter.op, value: filter.value };
  }
}

/** `status` compares case-sensitively with Enabled / Disabled; a prefix may match one, both or neither. */
function enabledFilter(filter: ParsedFilter): UserFilter | undefined | 'none' {
  const matches = ['Enabled', 'Disabled'].filter((v) => (filter.op === '=' ? v === filter.value : v.startsWith(filter.value)));
  if (matches.length === 2) return undefined;
  const only = matches[0];
  return only === undefined ? 'none' : { column: 'enabled', op: '=', value: only };
}

/** The value a user has in a filter column, as the store compares it. */
export function columnValue(user: UserListing, column: FilterColumn): string | undefined {
  switch (column) {
    case 'username':
      return user.usernameKey;
    case 'status':
      return user.status;
    case 'enabled':
      return user.enabled ? 'Enabled' : 'Disabled';
    case 'sub':
      return user.sub;
    default:
      return user.attributes[column];
  }
}

/**
 * Pagination tokens carry the position after the last user returned and the filter they were
 * issued for, so a token presented with another filter (or made up) is refused, not misread.
 */
export interface PagePosition {
  after: string;
  afterValue?: string | undefined;
}

export function encodePaginationToken(position: PagePosition, filter: UserFilter | undefined): string {
  const body = { k: position.after, v: position.afterValue, f: filterFingerprint(filter) };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** The position a token stands for, or undefined when it is not one of ours for this filter. */
export function decodePaginationToken(token: string, filter: UserFilter | undefined): PagePosition | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (body === null || typeof body !== 'object') return undefined;
  const { k, v, f } = body as { k?: unknown; v?: unknown; f?: unknown };
  if (typeof k !== 'string' || (v !== undefined && typeof v !== 'string') || f !== filterFingerprint(filter)) return undefined;
  return { after: k, afterValue: v };
}

function filterFingerprint(filter: UserFilter | undefined): string {
  return filter === undefined ? '' : `${filter.column}\u0000${filter.op}\u0000${filter.value}`;
}
