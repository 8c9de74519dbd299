import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { applyMfaConfig, mfaConfigView } from '../../domain/mfa/pool-mfa-config.js';

/**
 * Sets the pool's MFA mode and factors (cognito-facts-areas.md 3.1): the factors named are the
 * pool's factors from now on; AWS's refusals are in domain/mfa/pool-mfa-config.ts.
 */
export const setUserPoolMfaConfig: Operation<'SetUserPoolMfaConfig', 'store' | 'clock'> = (deps) => async (input) => {
  const { UserPoolId, ...request } = input;
  const settings = await deps.store.transaction(async (tx) => {
    const { pool, settings: current } = await loadPool(tx, UserPoolId);
    const next = applyMfaConfig(current, request);
    await tx.updatePool({ ...pool, settings: next, updatedAt: deps.clock.nowMs() });
    return next;
  });
  return mfaConfigView(settings);
};
