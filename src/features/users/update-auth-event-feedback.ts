import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { assertThreatProtection } from '../../domain/pools/threat-protection.js';
import { notAuthorized } from '../../kernel/errors.js';
import { feedbackTokenMatches } from '../../services/threat/feedback-token.js';
import { FEEDBACK_PROVIDERS, giveFeedback } from './auth-event-feedback.js';

/** AWS's text for a wrong FeedbackToken is not published. */
export const INVALID_FEEDBACK_TOKEN = 'Invalid feedback token.';

/**
 * The unsigned twin of AdminUpdateAuthEventFeedback, authorized by the event's FeedbackToken
 * (services/threat/feedback-token.ts): the token is checked before the event is looked up, so a
 * caller without one learns nothing of which events exist.
 */
export const updateAuthEventFeedback: Operation<'UpdateAuthEventFeedback', 'store' | 'clock' | 'secrets'> = (deps) => async (input) => {
  const { pool, settings } = await loadPool(deps.store, input.UserPoolId);
  assertThreatProtection(settings);
  const user = await loadUser(deps.store, pool, input.Username);
  if (!feedbackTokenMatches(deps.secrets, pool.id, input.EventId, input.FeedbackToken)) throw notAuthorized(INVALID_FEEDBACK_TOKEN);
  await giveFeedback(deps.store, pool.id, user.sub, input.EventId, { value: input.FeedbackValue, provider: FEEDBACK_PROVIDERS.self, date: deps.clock.nowMs() });
  return {};
};
