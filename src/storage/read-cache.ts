/**
 * Rows that nearly every request reads and that rarely change (a user pool and its settings;
 * whether any developer credential exists), kept in memory. Reading and parsing the pool row
 * was the largest single cost of a lookup (bench/RESULTS.md, "Findings").
 *
 * Everything kept is valid only while `changeCounter` returns the same value. For SQLite that
 * is PRAGMA data_version, which changes whenever another connection commits (another server
 * process on the same file, `userpoold credentials create`, an import), so their writes are
 * seen by the next request. This process's own writes do not move it: the store drops the
 * entries a write touches (`drop`) once the write is done; a read that began before the drop
 * does not keep what it read.
 */
export interface ReadCache {
  /**
   * `inTransaction`: ask the counter now rather than once per turn of the event loop, as the
   * transaction holds the write lock and its read-modify-write must see every commit; and do
   * not keep what was loaded, which may be the transaction's own uncommitted write.
   */
  read<T>(key: string, load: () => Promise<T | undefined>, inTransaction?: boolean): Promise<T | undefined>;
  drop(key: string): void;
}

/** Enough for every pool of any real deployment; a flood of distinct keys only empties it. */
const MAX_ENTRIES = 10_000;

export function createReadCache(changeCounter: () => number): ReadCache {
  const entries = new Map<string, unknown>();
  let counter = changeCounter();
  // Moves on every drop, so a read that began before a write does not store what it read.
  let generation = 0;
  // Asking SQLite costs a read lock; once per turn of the event loop is enough: requests
  // handled in the same turn arrived together.
  let checkedThisTurn = false;
  const nextTurn = () => {
    checkedThisTurn = false;
  };

  const current = (exact = false): void => {
    if (checkedThisTurn && !exact) return;
    if (!checkedThisTurn) setImmediate(nextTurn);
    checkedThisTurn = true;
    const now = changeCounter();
    if (now !== counter) {
      counter = now;
      generation++;
      entries.clear();
    }
  };

  return {
    async read<T>(key: string, load: () => Promise<T | undefined>, inTransaction = false): Promise<T | undefined> {
      current(inTransaction);
      if (entries.has(key)) return entries.get(key) as T;
      const started = generation;
      const value = await load();
      if (inTransaction) return value;
      current();
      // Misses are not kept: anyone can ask for many pools that do not exist.
      if (value !== undefined && started === generation) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(key, deepFreeze(value));
      }
      return value;
    },
    drop(key) {
      generation++;
      entries.delete(key);
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
