/**
 * At most `limit` tasks run at once; the others wait in arrival order. For work whose cost is
 * memory held while it runs (an argon2 hash holds its whole memory cost), where running more
 * at once than there are cores adds memory but no throughput.
 */
export type ConcurrencyLimit = <T>(task: () => Promise<T>) => Promise<T>;

export function concurrencyLimit(limit: number): ConcurrencyLimit {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async (task) => {
    if (running < limit) running++;
    // A slot is handed over directly by `release`, so `running` already counts this task.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}
