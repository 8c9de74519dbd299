import type { CachedTable } from './read-cache.js';

/**
 * The read cache's write-through bookkeeping (read-cache.ts keepAfterCommit): values a SQLite
 * batch wrote, held until the batch ends, each cancelled when its transaction rolls back or a
 * later change touches one of its keys or its table. sqlite-transactions.ts says where batches
 * and their transactions end.
 */
export interface PendingWrite {
  tag: CachedTable;
  keys: readonly string[];
  value: unknown;
  cancelled: boolean;
}

export interface PendingWrites {
  /** Outside a batch nothing is held: there is no COMMIT this cache would hear of. */
  add(tag: CachedTable, keys: readonly string[], value: unknown): void;
  cancelTag(tag: CachedTable): void;
  cancelKey(key: string): void;
  batchBegan(): void;
  transactionEnded(kept: boolean): void;
  /** What is still to be kept, when the batch committed; nothing otherwise. */
  batchEnded(committed: boolean): PendingWrite[];
}

export function createPendingWrites(): PendingWrites {
  let batchActive = false;
  let ofTransaction: PendingWrite[] = [];
  let ofBatch: PendingWrite[] = [];
  // Every pending value by each of its keys, and the tables that have any: what a change
  // cancels is found without walking the batch.
  const byKey = new Map<string, PendingWrite[]>();
  const tags = new Set<CachedTable>();
  const forget = () => {
    ofTransaction = [];
    ofBatch = [];
    byKey.clear();
    tags.clear();
  };
  return {
    add(tag, keys, value) {
      if (!batchActive) return;
      const pending: PendingWrite = { tag, keys, value, cancelled: false };
      ofTransaction.push(pending);
      tags.add(tag);
      for (const key of keys) {
        const list = byKey.get(key);
        if (list === undefined) byKey.set(key, [pending]);
        else list.push(pending);
      }
    },
    cancelTag(tag) {
      if (!tags.has(tag)) return;
      for (const p of ofTransaction) if (p.tag === tag) p.cancelled = true;
      for (const p of ofBatch) if (p.tag === tag) p.cancelled = true;
    },
    cancelKey(key) {
      const pending = byKey.get(key);
      if (pending !== undefined) for (const p of pending) p.cancelled = true;
    },
    batchBegan() {
      batchActive = true;
      forget();
    },
    transactionEnded(kept) {
      if (kept) ofBatch.push(...ofTransaction);
      else for (const p of ofTransaction) p.cancelled = true;
      ofTransaction = [];
    },
    batchEnded(committed) {
      const written = ofBatch;
      batchActive = false;
      forget();
      return committed ? written.filter((p) => !p.cancelled) : [];
    },
  };
}
