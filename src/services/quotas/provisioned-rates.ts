import type { QuotaCategory } from '../../domain/quotas/quota-categories.js';
import type { Logger } from '../../kernel/logger.js';
import type { Store } from '../../ports/store.js';

/** How long a process trusts its copy of the provisioned rates: a change applies everywhere within this. */
export const PROVISIONED_RATES_TTL_MS = 1000;

/**
 * The provisioned rates (UpdateProvisionedLimit) as admission reads them on every request:
 * from memory, reloaded from the store in the background once the copy is older than the TTL,
 * so that instances sharing a database pick up each other's changes without a read per
 * request. Only the first request waits for the first load.
 */
export interface ProvisionedRates {
  rateOf(category: QuotaCategory): Promise<number | undefined>;
}

export function createProvisionedRates(deps: { store: Store; logger: Logger }): ProvisionedRates {
  let rates: Map<QuotaCategory, number> | undefined;
  let loadedAt = -Infinity; // performance.now(): pacing is real time, not domain time
  let loading: Promise<void> | undefined;
  const load = (): Promise<void> => {
    loading ??= deps.store
      .listProvisionedLimits()
      .then((rows) => {
        rates = new Map(rows.map((r) => [r.category, r.value]));
        loadedAt = performance.now();
      })
      .catch((err: unknown) => {
        loadedAt = performance.now(); // retried after the TTL; meanwhile the last copy holds
        deps.logger.warn('provisioned limits read failed', { error: err instanceof Error ? err.message : String(err) });
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  return {
    async rateOf(category) {
      if (rates === undefined) await load();
      else if (performance.now() - loadedAt > PROVISIONED_RATES_TTL_MS) void load();
      return rates?.get(category);
    },
  };
}
