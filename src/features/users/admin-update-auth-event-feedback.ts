import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { assertThreatProtection } from '../../domain/pools/threat-protection.js';

/** Feedback on a threat protection event: UserPoolAddOnNotEnabledException for every pool here (see admin-list-user-auth-events.ts). */
export const adminUpdateAuthEventFeedback: Operation<'AdminUpdateAuthEventFeedback', 'store'> = (deps) => async (input) => {
  const { settings } = await loadPool(deps.store, input.UserPoolId);
  assertThreatProtection(settings);
  return {};
};
