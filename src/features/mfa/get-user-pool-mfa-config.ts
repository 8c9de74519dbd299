import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { mfaConfigView } from '../../domain/mfa/pool-mfa-config.js';

export const getUserPoolMfaConfig: Operation<'GetUserPoolMfaConfig', 'store'> = (deps) => async (input) => {
  const { settings } = await loadPool(deps.store, input.UserPoolId);
  return mfaConfigView(settings);
};
