import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { assertThreatProtection } from '../../domain/pools/threat-protection.js';

/**
 * A user's sign-in history, which Cognito records only with threat protection. Every pool here is
 * without it (threat protection is not built), so after the pool lookup this answers
 * UserPoolAddOnNotEnabledException, as AWS does for such a pool; the history is built with
 * threat protection.
 */
export const adminListUserAuthEvents: Operation<'AdminListUserAuthEvents', 'store'> = (deps) => async (input) => {
  const { settings } = await loadPool(deps.store, input.UserPoolId);
  assertThreatProtection(settings);
  return { AuthEvents: [] };
};
