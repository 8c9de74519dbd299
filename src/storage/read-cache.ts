import { requestsArrived } from '../kernel/request-epoch.js';
import { createAdmission } from './read-cache-admission.js';
import { createPendingWrites } from './read-cache-write-through.js';

/**
 * Rows that nearly every request reads (a user pool and its settings; the app client of every
 * public request; whether any developer credential exists; users, their MFA settings and ListUsers pages), kept in memory. Reading and
 * parsing them was the largest cost of a lookup (bench/RESULTS.md, "Findings" and issue 23).
 *
 * Every entry belongs to the table it was read from (its tag), and stays valid only while
 *
 * - `changeCounter` returns the same value. For SQLite that is PRAGMA data_version, which changes
 *   whenever another connection commits (another server process on the same file,
 *   `userpoold credentials create`, an import), so their writes are seen by the next request.
 *   A change empties the whole cache.
 * - no statement of this process has changed a row of its table. The SQLite connection reports
 *   every statement that changed rows, with the table it wrote (`changed`, called from
 *   sqlite-connection.ts), so no write path can be forgotten: a statement whose table cannot be
 *   told empties the whole cache. The store also drops the key it knows it wrote (`drop`).
 *
 * A read that began before such a change does not keep what it read (generations, below).
 */
export interface ReadCache {
  /**
   * `inTransaction`: ask the counter now rather than once per turn of the event loop, as the
   * transaction holds the write lock and its read-modify-write must see every commit; and do
   * not keep what was loaded, which may be the transaction's own uncommitted write.
   * `tag`: the table the value is read from.
   */
  read<T>(tag: CachedTable, key: string, load: () => Promise<T | undefined>, inTransaction?: boolean): Promise<T | undefined>;
  /** Drops one key (of any table) and stops reads under way from keeping what they read. */
  drop(key: string): void;
  /** A statement of this process changed rows of `table` (undefined: a table it cannot name). */
  changed(table: string | undefined): void;
  /**
   * Until called again with undefined: a report that `table` changed concerns only the entries
   * `keys` of its own part (and forgets the parts derived from it, PARTS_OF_TABLE). The caller
   * sets it just before running, synchronously, the one statement that writes those rows, and
   * clears it just after, so no other statement's report can be taken for it (storage/kysely/
   * users.ts). A cache may ignore it and forget the whole table, as every other report does.
   */
  narrowChange?(narrowing: { table: CachedTable; keys: readonly string[] } | undefined): void;
  /**
   * Write-through, SQLite batches only (sqlite-transactions.ts tells the cache where a batch and
   * each of its transactions end): `value` is what the transaction just wrote, to be kept under
   * `keys` once the batch has committed, unless the transaction is rolled back, the batch does not
   * commit, or a later statement changes any of those keys (or the whole table) before the COMMIT.
   * Without it, the next read of a user who was just updated would miss.
   */
  keepAfterCommit?(tag: CachedTable, keys: readonly string[], value: unknown): void;
}

/** What sqlite-transactions.ts tells a store's cache of its batches (see keepAfterCommit). */
export interface BatchListener {
  batchBegan(): void;
  /** The current transaction of the batch ended: released (kept) or rolled back to its savepoint. */
  transactionEnded(kept: boolean): void;
  batchEnded(committed: boolean): void;
}

/**
 * The tables whose rows are kept. A write to any other table leaves the cache alone.
 * `user_listings` (ListUsers pages) is kept apart from `users` so that a change of one user can
 * forget that user's entries and every page without forgetting every other user.
 */
export type CachedTable = 'user_pools' | 'user_pool_clients' | 'credentials' | 'users' | 'user_listings' | 'user_mfa';
const TABLES: readonly CachedTable[] = ['user_pools', 'user_pool_clients', 'credentials', 'users', 'user_listings', 'user_mfa'];
/** The parts a report of a change to the table forgets (by default the table's own). */
const PARTS_OF_TABLE: Partial<Record<string, readonly CachedTable[]>> = { users: ['users', 'user_listings'] };

/**
 * Per table: enough for every pool of any real deployment, and for the users a test suite or a
 * busy application reads again and again (about 1-2 KB each: a bound of memory, not of
 * correctness). When a table's entries are full, the one kept longest goes (insertion order):
 * emptying them all made a pool a little larger than the bound miss on nearly every read.
 */
const MAX_ENTRIES: Record<CachedTable, number> = { user_pools: 10_000, user_pool_clients: 10_000, credentials: 16, users: 10_000, user_listings: 10_000, user_mfa: 10_000 };

/**
 * The tables that can hold more rows than MAX_ENTRIES: once a table's entries are full, a value of
 * theirs is kept only when its key was asked for recently or is kept already
 * (read-cache-admission.ts). Pools, clients and credentials are few and always kept.
 */
const ADMITTED_ON_SECOND_ASK: ReadonlySet<CachedTable> = new Set(['users', 'user_listings', 'user_mfa']);

interface Part {
  name: CachedTable;
  /** The part's number for the admission's hash; -1: every value is kept. */
  admission: number;
  entries: Map<string, unknown>;
  /** Moves on every change to the table, so a read that began before a write keeps nothing. */
  generation: number;
}

/**
 * `lockEpoch` (SQLite: sqlite-transactions.ts): moves whenever this process takes the write lock
 * for a batch of transactions. Reads inside a transaction run under that lock, so one exact
 * check per epoch covers them all: no other connection can commit until the lock is let go.
 *
 * `shareRequestChecks`: the check a request needs (one arrived since the last check) is made
 * once for all the requests of a turn, in its check phase, instead of once per request as each
 * arrives. The requests of a turn arrive one after another in its poll phase, each running up to
 * its first read before the next is read from its socket, so a check made for one of them may
 * precede the next one's arrival and cannot cover it; a check made after the poll phase covers
 * every request that phase read. Its reads wait for it: a hop of the event loop, no more. On
 * SQLite the check is a read of the -shm file, 9% of an AdminGetUser's event-loop time when made
 * for every request (bench/RESULTS.md, session 7).
 */
export function createReadCache(changeCounter: () => number, lockEpoch?: () => number, shareRequestChecks = false): ReadCache & BatchListener {
  const parts = new Map<string, Part>(TABLES.map((t, i) => [t, { name: t, admission: ADMITTED_ON_SECOND_ASK.has(t) ? i : -1, entries: new Map(), generation: 0 }]));
  const all = [...parts.values()];
  let counter = changeCounter();
  // Asking SQLite costs a read lock (about 3 µs on a WAL file): it is asked once per turn of the
  // event loop, and again when a request has arrived since (kernel/request-epoch.ts), so every
  // request is answered after every commit acknowledged before it arrived, whichever phase of
  // the turn made the last check.
  let checkedThisTurn = false;
  let checkedForRequest = -1;
  const nextTurn = () => {
    checkedThisTurn = false;
  };
  // Write-through (keepAfterCommit): what the current batch wrote, kept when it commits.
  const pending = createPendingWrites();
  const admission = createAdmission();
  /**
   * Whether a value read or written under `key` is worth keeping (ADMITTED_ON_SECOND_ASK): always
   * while the part has room (or holds the key, or is not admitted at all); once it is full,
   * keeping a value means dropping another, so only a key asked for recently is kept.
   */
  const hasRoomFor = (part: Part, key: string): boolean => part.admission < 0 || part.entries.size < MAX_ENTRIES[part.name] || part.entries.has(key);
  const admits = (part: Part, key: string): boolean => hasRoomFor(part, key) || admission.seen(part.admission, key);
  const keep = (part: Part, key: string, value: unknown) => {
    if (part.entries.size >= MAX_ENTRIES[part.name] && !part.entries.has(key)) {
      const oldest = part.entries.keys().next().value as string;
      part.entries.delete(oldest);
      // An entry pushed out was asked for before: asked for again soon, it comes back at once (a
      // pool a little larger than the cache then misses as often as without the admission).
      if (part.admission >= 0) admission.mark(part.admission, oldest);
    }
    part.entries.set(key, value);
  };

  const clear = (part: Part) => {
    part.generation++;
    part.entries.clear();
    pending.cancelTag(part.name);
  };

  // The lock epoch of the last exact check (inside a transaction, so under the write lock).
  let checkedUnderLock = -1;
  let narrowed: { table: CachedTable; keys: readonly string[] } | undefined;
  const check = (exact: boolean): void => {
    if (!checkedThisTurn) setImmediate(nextTurn);
    checkedThisTurn = true;
    // Every request that has arrived by now is covered, including those that came after the
    // caller's own (a shared check).
    checkedForRequest = requestsArrived();
    const now = changeCounter();
    if (exact && lockEpoch !== undefined) checkedUnderLock = lockEpoch();
    if (now !== counter) {
      counter = now;
      all.forEach(clear);
    }
  };
  // The check phase's shared check, while requests wait for it.
  let shared: Promise<void> | undefined;
  const sharedCheck = (): Promise<void> =>
    (shared ??= new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        shared = undefined;
        try {
          check(false);
          resolve();
        } catch (err) {
          reject(err);
        }
      }),
    ));
  /** Makes the check this read needs: at once, in the check phase (returned), or none. */
  const current = (exact = false, mayShare = false): Promise<void> | undefined => {
    if (exact && lockEpoch !== undefined && lockEpoch() === checkedUnderLock) return undefined;
    const requests = requestsArrived();
    if (checkedThisTurn && !exact && requests === checkedForRequest) return undefined;
    if (shareRequestChecks && mayShare && !exact && requests !== checkedForRequest) return sharedCheck();
    check(exact);
    return undefined;
  };

  return {
    async read<T>(tag: CachedTable, key: string, load: () => Promise<T | undefined>, inTransaction = false): Promise<T | undefined> {
      const checking = current(inTransaction, true);
      if (checking !== undefined) await checking;
      const part = parts.get(tag) as Part;
      const hit = part.entries.get(key);
      if (hit !== undefined) return hit as T;
      const started = part.generation;
      const value = await load();
      if (inTransaction) return value;
      current();
      // Misses are not kept: anyone can ask for many pools or users that do not exist.
      if (value === undefined || started !== part.generation) return value;
      // A key not kept is marked, so that its next miss keeps it.
      if (hasRoomFor(part, key) || admission.seenElseMark(part.admission, key)) keep(part, key, deepFreeze(value));
      return value;
    },
    drop(key) {
      for (const part of all) {
        part.generation++;
        part.entries.delete(key);
      }
      pending.cancelKey(key);
    },
    changed(table) {
      if (table === undefined) all.forEach(clear);
      else if (narrowed !== undefined && narrowed.table === table) {
        // Some rows of the table: their entries go, and every part derived from the table
        // (ListUsers pages show every user).
        const own = parts.get(table) as Part;
        own.generation++;
        for (const key of narrowed.keys) {
          // A key that was kept is remembered as asked for, so that what the batch writes under
          // it is kept after the COMMIT (write-through) however long ago it was first asked for.
          if (own.entries.delete(key) && own.admission >= 0) admission.mark(own.admission, key);
          pending.cancelKey(key);
        }
        for (const name of PARTS_OF_TABLE[table] ?? []) if (name !== table) clear(parts.get(name) as Part);
      } else {
        for (const name of PARTS_OF_TABLE[table] ?? [table]) {
          const part = parts.get(name);
          if (part !== undefined) clear(part);
        }
      }
    },
    narrowChange(narrowing) {
      narrowed = narrowing;
    },
    keepAfterCommit(tag, keys, value) {
      pending.add(tag, keys, value);
    },
    batchBegan: () => pending.batchBegan(),
    transactionEnded: (kept) => pending.transactionEnded(kept),
    batchEnded(committed) {
      for (const p of pending.batchEnded(committed)) {
        const part = parts.get(p.tag) as Part;
        // A value no read asked for lately is not kept: at random over a large pool it would
        // replace an entry on every write (read-cache-admission.ts).
        if (!p.keys.some((key) => admits(part, key))) continue;
        const value = deepFreeze(p.value);
        for (const key of p.keys) keep(part, key, value);
      }
    },
  };
}

/** Shared answers must not be changed by one caller under another's feet. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
