/**
 * How many requests have arrived at this process. The SQLite read cache asks another process's
 * commits (PRAGMA data_version) once per turn of the event loop, and again whenever a request
 * has arrived since it last asked (storage/read-cache.ts): a client that saw another process
 * acknowledge a write and then sends a request here must be answered after that write, even if
 * the request came in later in the same turn as the last check (behind a timer that read, say).
 */
let arrived = 0;

/** Called by the HTTP server as each request arrives, before any of its work. */
export function requestArrived(): void {
  arrived++;
}

export function requestsArrived(): number {
  return arrived;
}
