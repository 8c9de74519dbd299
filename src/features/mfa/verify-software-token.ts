import type { Operation } from '../operation.js';
import { loadUserMfa, openTotpSecret, tryTotpCode } from '../../services/mfa/user-mfa.js';
import { sealSession } from '../../services/sessions/auth-session.js';
import { MESSAGES, notAuthorized, ServiceError } from '../../kernel/errors.js';
import { SOFTWARE_TOKEN_MESSAGES, softwareTokenUser, type SoftwareTokenUserDeps } from './software-token-user.js';

/**
 * Proves the app computes the associated secret's codes (RFC 6238, domain/mfa/totp.ts): the
 * secret becomes the user's authenticator. A wrong code is EnableSoftwareTokenMFAException
 * (cognito-facts-areas.md 3.2) and counts against the user's hourly code attempts; past them,
 * NotAuthorizedException `Password attempts exceeded`, AWS's lockout text (3.4; AWS does not
 * document its answer to guessing here). With an MFA_SETUP Session, the answer's Session
 * completes that challenge.
 */
export const verifySoftwareToken: Operation<'VerifySoftwareToken', SoftwareTokenUserDeps | 'config'> = (deps) => async (input) => {
  const { user, session } = await softwareTokenUser(deps, input);
  const mfa = await loadUserMfa(deps, user);
  const sealed = mfa.pendingTotpSecretSealed ?? mfa.totpSecretSealed;
  const secret = openTotpSecret(deps, sealed);
  if (sealed === null || secret === undefined) throw new ServiceError('SoftwareTokenMFANotFoundException', SOFTWARE_TOKEN_MESSAGES.notForUser);

  const outcome = await tryTotpCode(deps, user.sub, secret, input.UserCode);
  if (outcome === 'limit') throw notAuthorized(MESSAGES.passwordAttemptsExceeded);
  if (outcome === 'mismatch') throw new ServiceError('EnableSoftwareTokenMFAException', SOFTWARE_TOKEN_MESSAGES.mismatch);

  await deps.store.transaction(async (tx) => {
    const current = await loadUserMfa(deps, user, tx);
    // Another Associate since the code was checked: that newer secret is not the one proven.
    if ((current.pendingTotpSecretSealed ?? current.totpSecretSealed) !== sealed) throw new ServiceError('EnableSoftwareTokenMFAException', SOFTWARE_TOKEN_MESSAGES.mismatch);
    await tx.putUserMfa({
      ...current,
      totpSecretSealed: sealed,
      pendingTotpSecretSealed: null,
      totpDeviceName: input.FriendlyDeviceName ?? current.totpDeviceName,
      updatedAt: deps.clock.nowMs(),
    });
  });
  return { Status: 'SUCCESS', ...(session && { Session: sealSession(deps.secrets, { ...session, mfa: { ...session.mfa, verified: true } }) }) };
};
