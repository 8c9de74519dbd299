import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { assertThreatProtection } from '../../domain/pools/threat-protection.js';
import { authEventOf, authEventsToken, parseAuthEventsToken } from '../../domain/security/auth-event.js';
import { invalidParameter } from '../../kernel/errors.js';

/** "MaxResults ... 0 or absent = 60" (cognito-facts-areas.md section 6). */
const MAX_RESULTS = 60;

/**
 * A user's threat protection history (recorded while the pool's AdvancedSecurityMode is AUDIT or
 * ENFORCED), newest first, paged with AWS's NextToken form `<EventId>#<date>`. The user may be
 * named by username, alias or sub. A pool without threat protection answers
 * UserPoolAddOnNotEnabledException.
 */
export const adminListUserAuthEvents: Operation<'AdminListUserAuthEvents', 'store'> = (deps) => async (input) => {
  const { pool, settings } = await loadPool(deps.store, input.UserPoolId);
  assertThreatProtection(settings);
  const user = await loadUser(deps.store, pool, input.Username);
  const limit = input.MaxResults === undefined || input.MaxResults === 0 ? MAX_RESULTS : input.MaxResults;
  let before: { createdAt: number; eventId: string } | undefined;
  if (input.NextToken !== undefined) {
    before = parseAuthEventsToken(input.NextToken);
    // AWS's text for a foreign token is not known for this listing.
    if (!before) throw invalidParameter('The pagination token is invalid.');
  }
  const rows = await deps.store.listAuthEvents(pool.id, user.sub, limit + 1, before);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { AuthEvents: page.map(authEventOf), ...(rows.length > limit && last && { NextToken: authEventsToken(last) }) };
};
