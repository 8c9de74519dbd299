import type { Deps } from '../../services/deps.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { INVALID_SESSION, openSession, type AuthSession } from '../../services/sessions/auth-session.js';
import { loadPool } from '../../services/directory/lookups.js';
import { poolMfaFactors } from '../../domain/mfa/mfa-settings.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { UserRecord } from '../../domain/users/user.js';
import { invalidParameter, notAuthorized, ServiceError } from '../../kernel/errors.js';

/** AWS's texts of the software-token operations (cognito-facts-areas.md 3.2). */
export const SOFTWARE_TOKEN_MESSAGES = {
  // [DOC23 DG:user-pool-settings-mfa-totp]
  notEnabled: 'Software Token MFA has not been enabled by the userPool',
  // [FIELD gh:amazon-archives/amazon-cognito-identity-js#630]
  notForUser: 'Software Token MFA does not exist for the user.',
  // [FIELD gh:aws-samples/aws-amplify-auth-starters#15]
  mismatch: 'Code mismatch and fail enable Software Token MFA',
} as const;

/** Whose authenticator AssociateSoftwareToken and VerifySoftwareToken work on: an access token's user, or an MFA_SETUP session's. */
export interface SoftwareTokenUser {
  pool: PoolRecord;
  settings: PoolSettings;
  user: UserRecord;
  /** Set when the call came with the Session of an MFA_SETUP challenge. */
  session?: AuthSession;
}

export type SoftwareTokenUserDeps = AccessTokenDeps | 'secrets';

/**
 * By AccessToken (a signed-in user adds an authenticator) or by Session (the MFA_SETUP challenge
 * of a sign-in, cognito-facts-areas.md 3.1). A pool that does not offer software tokens refuses.
 */
export async function softwareTokenUser(
  deps: Pick<Deps, SoftwareTokenUserDeps>,
  input: { AccessToken?: string | undefined; Session?: string | undefined },
): Promise<SoftwareTokenUser> {
  let found: SoftwareTokenUser;
  if (input.AccessToken !== undefined) {
    const { pool, user } = await authenticateAccessToken(deps, input.AccessToken);
    const { settings } = await loadPool(deps.store, pool.id);
    found = { pool, settings, user };
  } else if (input.Session !== undefined) {
    const session = openSession(deps.secrets, input.Session, deps.clock.nowMs());
    if (session.challenge !== 'MFA_SETUP') throw notAuthorized(INVALID_SESSION);
    const { pool, settings } = await loadPool(deps.store, session.poolId);
    const user = await deps.store.getUserBySub(pool.id, session.userSub);
    if (!user) throw notAuthorized(INVALID_SESSION);
    found = { pool, settings, user, session };
  } else {
    // AWS's text for a call with neither is not documented (unverified wording).
    throw invalidParameter('Either AccessToken or Session is required.');
  }
  if (!poolMfaFactors(found.settings).softwareToken) throw new ServiceError('SoftwareTokenMFANotFoundException', SOFTWARE_TOKEN_MESSAGES.notEnabled);
  return found;
}
