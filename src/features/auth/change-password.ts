import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { assertPasswordMeetsPolicy } from '../../domain/pools/password-policy.js';
import { settingsOf } from '../../domain/pools/user-pool.js';
import { MESSAGES, invalidPassword, limitExceeded, notAuthorized } from '../../kernel/errors.js';
import { passwordVerdict, recordAuthEvent, threatContext, THREAT_MESSAGES } from '../../services/threat/threat-context.js';
import { derivePasswordSecrets } from '../../services/passwords/password-secrets.js';

const HOUR_MS = 3_600_000;
/** Cognito's documented quota: five ChangePassword attempts per user per hour. */
const ATTEMPTS_PER_HOUR = 5;

/**
 * The signed-in user changes their password: the previous one must match (a wrong one counts
 * against the hourly attempt quota), the new one must meet the policy.
 */
export const changePassword: Operation<'ChangePassword', AccessTokenDeps | 'store' | 'clock' | 'hasher' | 'secrets' | 'random' | 'compromisedPasswords'> = (deps) => async (input, ctx) => {
  const { pool, user, claims } = await authenticateAccessToken(deps, input.AccessToken);
  const settings = settingsOf(pool);
  assertPasswordMeetsPolicy(settings, input.ProposedPassword);

  const now = deps.clock.nowMs();
  const counter = `change-password:${user.sub}`;
  const window = Math.floor(now / HOUR_MS) * HOUR_MS;
  // The attempt is taken (checked and counted in one transaction) before the previous password
  // is verified, so parallel guesses cannot all pass the check; a right guess gives it back.
  const taken = await deps.store.transaction(async (tx) => {
    if ((await tx.getCounter(counter, window)) >= ATTEMPTS_PER_HOUR) return false;
    await tx.incrementCounter(counter, window);
    return true;
  });
  if (!taken) throw limitExceeded(MESSAGES.attemptLimit);
  const previousMatches =
    user.passwordHash !== null && input.PreviousPassword !== undefined && (await deps.hasher.verify(user.passwordHash, input.PreviousPassword));
  if (!previousMatches) throw notAuthorized(MESSAGES.incorrectCredentials);
  await deps.store.incrementCounter(counter, window, -1);
  // Threat protection (AUDIT/ENFORCED): the compromised-credentials check of PASSWORD_CHANGE,
  // once the previous password is proven, and the event.
  const threat = await threatContext(deps, pool.id, settings, claims.client_id, { ipAddress: ctx.sourceIp });
  const verdict = threat ? passwordVerdict(deps, threat, 'PASSWORD_CHANGE', input.ProposedPassword) : undefined;
  if (threat && verdict?.block) {
    await recordAuthEvent(deps.store, deps, threat, { userSub: user.sub, eventType: 'PasswordChange', response: 'Fail', challenges: [], blocked: true, compromised: true });
    throw invalidPassword(THREAT_MESSAGES.compromisedPassword);
  }
  const { passwordHash, srp } = await derivePasswordSecrets(deps, pool, user.username, input.ProposedPassword);

  await deps.store.transaction(async (tx) => {
    const current = await tx.getUserBySub(pool.id, user.sub);
    // The password changed under us (a concurrent change or reset): the proof no longer holds.
    if (!current || current.passwordHash !== user.passwordHash) throw notAuthorized(MESSAGES.incorrectCredentials);
    const at = deps.clock.nowMs();
    await tx.updateUser({ ...current, passwordHash, srp, passwordUpdatedAt: at, updatedAt: at });
    if (threat) {
      await recordAuthEvent(tx, deps, threat, { userSub: user.sub, eventType: 'PasswordChange', response: 'Pass', challenges: [], blocked: false, compromised: verdict?.detected === true });
    }
  });
  return {};
};
