/**
 * The `sub` of an imported user: a version-4 UUID (as AWS's subs are) whose first 48 bits are
 * the import time in milliseconds, the rest of it random. The users table and its sub index are
 * keyed by sub; with fully random subs each of a batch's thousands of rows landed on its own
 * index page, and an import spent more time writing those pages than anything else (50 µs a row
 * on SQLite against 28 with time-ordered subs, bench/RESULTS.md "User import"). The random part
 * (74 bits) keeps them unique; a sub was never secret (it is in every token).
 */
export function importSub(nowMs: number, uuid: string): string {
  const time = Math.max(0, Math.trunc(nowMs)).toString(16).padStart(12, '0').slice(-12);
  // uuid: xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx; its version and variant stay.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}${uuid.slice(13)}`;
}
