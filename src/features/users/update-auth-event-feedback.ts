import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { assertThreatProtection } from '../../domain/pools/threat-protection.js';

/**
 * The unsigned twin of AdminUpdateAuthEventFeedback, authorized by the event's FeedbackToken:
 * UserPoolAddOnNotEnabledException for every pool here (see admin-list-user-auth-events.ts).
 */
export const updateAuthEventFeedback: Operation<'UpdateAuthEventFeedback', 'store'> = (deps) => async (input) => {
  const { settings } = await loadPool(deps.store, input.UserPoolId);
  assertThreatProtection(settings);
  return {};
};
