import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The read cache's change counter on SQLite (read-cache.ts): PRAGMA data_version, which moves
 * when another connection commits, asked only when a commit may have happened since it was last
 * asked.
 *
 * Asking data_version opens and closes a read transaction, with its locks on the WAL index: about
 * 7 µs on the server's connection, and it was asked for every request, 10% of an AdminGetUser's
 * CPU (bench/RESULTS.md, session 6). Every commit, by any connection of any process, rewrites the
 * WAL-index header at the start of the `-shm` file (the first 48 bytes: the commit counter, the
 * last frame, the salts and checksums) before it is acknowledged, and nothing but a commit or a
 * WAL restart rewrites it. So the header is read first (one pread, under 1 µs): if it has the bytes
 * it had just before data_version was last asked, nothing has committed since, and the answer
 * given then still holds. Otherwise data_version is asked again and the header read before
 * asking is kept; a commit that lands between the two reads is seen by data_version and changes
 * the header once more, so the next check asks again.
 *
 * The header's layout is part of SQLite's WAL file format, which every version since 3.7.0 shares
 * so that processes linked with different versions can work on one database
 * (https://sqlite.org/walformat.html, "The WAL-Index Header"). Without a `-shm` file (a database in
 * memory, or one not in WAL mode) data_version is asked every time.
 */
export interface SqliteChangeCounter {
  read(): number;
  close(): void;
}

/** The first copy of the WAL-index header: what a commit rewrites last, before it returns. */
const HEADER_BYTES = 48;

export function sqliteChangeCounter(dataVersion: () => number, shmPath: string | undefined): SqliteChangeCounter {
  let fd: number | undefined;
  try {
    if (shmPath !== undefined) fd = openSync(shmPath, 'r');
  } catch {
    fd = undefined;
  }
  if (fd === undefined) return { read: dataVersion, close: () => {} };
  const held = fd;
  const seen = Buffer.alloc(HEADER_BYTES);
  const now = Buffer.alloc(HEADER_BYTES);
  // Nothing seen yet: the first read asks data_version.
  let known = false;
  let counter = 0;
  return {
    read() {
      // A short read (the file not yet sized) is never taken as "unchanged".
      const got = readSync(held, now, 0, HEADER_BYTES, 0);
      if (known && got === HEADER_BYTES && now.equals(seen)) return counter;
      now.copy(seen);
      known = got === HEADER_BYTES;
      counter = dataVersion();
      return counter;
    },
    close() {
      closeSync(held);
    },
  };
}
