import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth: two values are equal when their texts are. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) sorted[key] = sortKeys(item);
  }
  return sorted;
}

/**
 * The `sub` of a seeded user that names none: derived from the pool id and username, so every
 * start, every reset() and every machine gives the same user the same sub (tests can compare
 * token claims). Shaped as a UUID (version 8, "custom", RFC 9562) so it looks like any other sub.
 */
export function seededSub(poolId: string, username: string): string {
  const hex = createHash('sha256').update(`userpoold-seed\0${poolId}\0${username}`).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
