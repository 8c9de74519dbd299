/**
 * Which values the read cache keeps once a table's entries are full, for the tables that can hold
 * more rows than it has room for (users, their MFA settings, ListUsers pages): a value is kept only
 * when its key was asked for before, recently, or is already kept. A pool read at random from more
 * users than the cache holds otherwise replaced an entry on nearly every read and every update:
 * each entry lived long enough to be moved to V8's old space and died there, and the old space
 * grew to four times the live data between full collections (bench/RESULTS.md, session 8: peak
 * RSS). A key asked for once is now marked, not kept; a key asked for again while its mark lasts
 * is kept, in place of the entry kept longest. An entry pushed out is marked too, so a pool a little
 * larger than the cache gets it back on its next miss (read-cache.ts).
 *
 * A mark is a stamp in a fixed table of slots indexed by the key's hash: no key is held, so
 * marking allocates nothing. Stamps are counted in epochs of EPOCH_MARKS marks and a mark lasts
 * until the epoch after its own ends, so a key is remembered for the next 16,384 to 32,768 marks
 * (misses and entries pushed out). That is a count of misses, not of time: a pool that fits the
 * cache misses rarely, and its keys are remembered for as long as that takes. Half as long
 * (8,192) made a 10,000-user pool recover from a burst of updates more slowly than without the
 * admission (hit rate 0.74 against 0.82 over the next 50,000 random reads; 0.78 with 16,384), and
 * at 100,000 users it keeps a value on 23% of reads against 90% without it. Two keys may share a
 * slot, so at most 32,768 / 1,048,576 (3.1%) of the keys never asked for pass as asked for: a
 * bound on memory, never a question of correctness, since whatever is kept is checked as before.
 */
export interface Admission {
  /** Remember `key`: its entry was pushed out, or dropped by an update of its user. */
  mark(part: number, key: string): void;
  /** Whether `key` was marked recently. */
  seen(part: number, key: string): boolean;
  /** A read missed `key` (outside a transaction): whether it was marked recently, marking it if not (one hash). */
  seenElseMark(part: number, key: string): boolean;
}

const SLOTS = 1 << 20;
const EPOCH_MARKS = 16384;

export function createAdmission(): Admission {
  const stamps = new Uint8Array(SLOTS);
  let epoch = 1;
  let marks = 0;
  const recent = (slot: number) => {
    const stamp = stamps[slot] as number;
    return stamp !== 0 && epoch - stamp <= 1;
  };
  const stamp = (slot: number) => {
    stamps[slot] = epoch;
    if (++marks < EPOCH_MARKS) return;
    marks = 0;
    epoch++;
    // Stamps wrap after 255 epochs: start again from an empty table (1 MiB to clear, once in
    // two million marks).
    if (epoch > 0xff) {
      stamps.fill(0);
      epoch = 1;
    }
  };
  return {
    mark: (part, key) => stamp(slotOf(part, key)),
    seen: (part, key) => recent(slotOf(part, key)),
    seenElseMark(part, key) {
      const slot = slotOf(part, key);
      if (recent(slot)) return true;
      stamp(slot);
      return false;
    },
  };
}

/** FNV-1a over the key's UTF-16 code units, seeded by the part so that equal keys of two parts differ. */
function slotOf(part: number, key: string): number {
  let hash = (0x811c9dc5 ^ part) >>> 0;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) & (SLOTS - 1);
}
