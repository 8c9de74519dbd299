import type { SecretBox } from '../../kernel/secret-box.js';

const PURPOSE = 'userpoold/auth-event-feedback';

/**
 * The FeedbackToken of an auth event (UpdateAuthEventFeedback): AWS puts it in the links of its
 * risk notification emails. Here it is a keyed hash of the pool and event under the server key,
 * so nothing is stored and a token works for its event only. userpoold sends no risk
 * notifications, so an application obtains it through the embedding API (docs/compatibility.md).
 */
export function feedbackToken(secrets: SecretBox, poolId: string, eventId: string): string {
  return secrets.digest(PURPOSE, `${poolId}\0${eventId}`);
}

export function feedbackTokenMatches(secrets: SecretBox, poolId: string, eventId: string, token: string): boolean {
  return secrets.digestEquals(feedbackToken(secrets, poolId, eventId), token);
}
