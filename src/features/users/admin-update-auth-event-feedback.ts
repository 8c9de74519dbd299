import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { assertThreatProtection } from '../../domain/pools/threat-protection.js';
import { FEEDBACK_PROVIDERS, giveFeedback } from './auth-event-feedback.js';

/** An administrator's feedback on one of a user's auth events (Valid or Invalid), shown in AdminListUserAuthEvents. */
export const adminUpdateAuthEventFeedback: Operation<'AdminUpdateAuthEventFeedback', 'store' | 'clock'> = (deps) => async (input) => {
  const { pool, settings } = await loadPool(deps.store, input.UserPoolId);
  assertThreatProtection(settings);
  const user = await loadUser(deps.store, pool, input.Username);
  await giveFeedback(deps.store, pool.id, user.sub, input.EventId, { value: input.FeedbackValue, provider: FEEDBACK_PROVIDERS.admin, date: deps.clock.nowMs() });
  return {};
};
