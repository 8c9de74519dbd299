import type { StoreTx } from '../../ports/store.js';
import type { FeedbackValueType } from '../../model/generated/types.js';
import type { AuthEventRecord } from '../../domain/security/auth-event.js';
import { resourceNotFound } from '../../kernel/errors.js';

/**
 * The submitter AdminListUserAuthEvents shows in EventFeedback.Provider: "if you submit event
 * feedback in the Amazon Cognito console, this value is Admin" (API_EventFeedbackType), which
 * userpoold gives the admin operation; AWS's value for a user's own feedback
 * (UpdateAuthEventFeedback) is not published, and `User` is ours.
 */
export const FEEDBACK_PROVIDERS = { admin: 'Admin', self: 'User' } as const;

/** AWS's text for an unknown event is not published; this one names it. */
export const authEventNotFound = (eventId: string) => resourceNotFound(`Auth event ${eventId} does not exist.`);

/** Stores the feedback on the user's event (a later feedback replaces an earlier one). */
export async function giveFeedback(
  tx: Pick<StoreTx, 'getAuthEvent' | 'updateAuthEvent'>,
  poolId: string,
  userSub: string,
  eventId: string,
  feedback: { value: FeedbackValueType; provider: string; date: number },
): Promise<AuthEventRecord> {
  const event = await tx.getAuthEvent(poolId, userSub, eventId);
  if (!event) throw authEventNotFound(eventId);
  const next = { ...event, feedback };
  await tx.updateAuthEvent(next);
  return next;
}
