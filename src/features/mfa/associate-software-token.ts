import type { Operation } from '../operation.js';
import { loadUserMfa, newTotpSecret, sealTotpSecret } from '../../services/mfa/user-mfa.js';
import { sealSession } from '../../services/sessions/auth-session.js';
import { softwareTokenUser, type SoftwareTokenUserDeps } from './software-token-user.js';

/**
 * Starts adding an authenticator: a new base32 secret (SecretCode, which apps take as the
 * otpauth:// secret, cognito-facts-areas.md 3.2), kept sealed until VerifySoftwareToken proves
 * the app computes its codes; an earlier unverified one is replaced, a verified one keeps
 * working until then. With an MFA_SETUP Session, the answer carries the Session to verify with.
 */
export const associateSoftwareToken: Operation<'AssociateSoftwareToken', SoftwareTokenUserDeps | 'random'> = (deps) => async (input) => {
  const { user, session } = await softwareTokenUser(deps, input);
  const secret = newTotpSecret(deps);
  await deps.store.transaction(async (tx) => {
    const mfa = await loadUserMfa(deps, user, tx);
    await tx.putUserMfa({ ...mfa, pendingTotpSecretSealed: sealTotpSecret(deps, secret), updatedAt: deps.clock.nowMs() });
  });
  return { SecretCode: secret, ...(session && { Session: sealSession(deps.secrets, { ...session, mfa: { ...session.mfa, verified: false } }) }) };
};
