import type { Operation } from '../operation.js';
import { userAddressOf } from '../../domain/clients/context-data.js';
import { loadPublicClient } from '../../services/directory/public-client.js';
import { clientSettingsOf, preventsUserExistenceErrors } from '../../domain/clients/app-client.js';
import { assertPasswordMeetsPolicy } from '../../domain/pools/password-policy.js';
import { findUser } from '../../services/directory/find-user.js';
import { MESSAGES, expiredCode, invalidPassword, notAuthorized, userNotFound } from '../../kernel/errors.js';
import { hiddenUser } from '../../services/directory/hidden-user.js';
import { hiddenFromRecovery } from './hidden-names.js';
import { codeError, type CodeOutcome, type CodeTarget } from '../../services/codes/codes.js';
import { derivePasswordSecrets } from '../../services/passwords/password-secrets.js';
import { recoveryChannel } from '../../domain/recovery/recovery.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { UserRecord } from '../../domain/users/user.js';
import { runPostConfirmation } from '../../services/triggers/post-confirmation.js';
import { passwordVerdict, threatContext, THREAT_MESSAGES } from '../../services/threat/threat-context.js';

/** A reset code proves the recovery destination it went to, as the user is now stored. */
function resetCodeTarget(settings: PoolSettings, user: UserRecord): CodeTarget {
  const destination = recoveryChannel(settings, user)?.destination ?? '';
  return { poolId: user.poolId, userSub: user.sub, purpose: 'reset_password', destination };
}

/**
 * Completes a reset with the code and a new password. The attempt is counted and committed
 * before anything else; the password is hashed outside any transaction; then one transaction
 * consumes the code (only if it is still the same one), sets the password, makes the user
 * CONFIRMED and revokes their refresh tokens.
 *
 * With PreventUserExistenceErrors, a hidden name (unknown, disabled, or without a verified
 * contact: hiddenFromRecovery) goes through the very same checks as a real user, against its
 * stand-in (hidden-user.ts), whose reset code ForgotPassword stored but never sent:
 * - the password policy first, for every name: it depends on the pool alone. AWS does not
 *   document where it checks the policy; checking it before the user keeps it from telling
 *   anything about the user, and a malformed request costs no code attempt;
 * - then the attempt is counted against the user's or the stand-in's hourly limit, so an
 *   unknown name meets LimitExceededException at the same count as a real user;
 * - then the code: ExpiredCodeException when no code was requested (or it expired), else
 *   CodeMismatchException, as AWS documents for real users ("If a code isn't requested when
 *   using ForgotPassword, Amazon Cognito returns the ExpiredCodeException error",
 *   cognito-user-pool-managing-errors, ConfirmForgotPassword). AWS answers CodeMismatchException
 *   for every unknown or disabled user (same page); userpoold answers such a name as it would a
 *   real user, so the answer does not reveal existence (docs/compatibility.md).
 */
export const confirmForgotPassword: Operation<'ConfirmForgotPassword'> = (deps) => async (input, ctx) => {
  const checked = await deps.store.transaction(async (tx) => {
    const { client, pool, settings } = await loadPublicClient(deps, tx, input.ClientId, input.Username, input.SecretHash);
    assertPasswordMeetsPolicy(settings, input.Password);
    const hideExistence = preventsUserExistenceErrors(clientSettingsOf(client));
    const user = await findUser(tx, pool.id, settings, input.Username);
    if (!user || (hideExistence && hiddenFromRecovery(settings, user))) {
      if (!hideExistence) throw userNotFound(MESSAGES.usernameClientNotFound);
      const stand = hiddenUser(deps.secrets, pool.id, settings, input.Username);
      const target: CodeTarget = { poolId: pool.id, userSub: stand.sub, purpose: 'reset_password', destination: '' };
      const outcome = await deps.codes.attempt(tx, target, input.ConfirmationCode, deps.config.codeAttemptLimit);
      // The stand-in's code was never sent: a lucky guess proves nothing.
      const refused: Exclude<CodeOutcome, 'ok'> = outcome === 'ok' ? 'mismatch' : outcome;
      return { hidden: true as const, outcome: refused };
    }
    if (!user.enabled) throw notAuthorized(MESSAGES.userDisabled);
    const target = resetCodeTarget(settings, user);
    const outcome = await deps.codes.attempt(tx, target, input.ConfirmationCode, deps.config.codeAttemptLimit);
    const ipAddress = userAddressOf(ctx.sourceIp, clientSettingsOf(client), input.UserContextData);
    return { outcome, target, settings, sub: user.sub, username: user.username, clientId: client.id, poolId: pool.id, ipAddress };
  });
  if (checked.hidden === true) throw codeError(checked.outcome);
  if (checked.outcome !== 'ok') throw codeError(checked.outcome);
  // Threat protection (AUDIT/ENFORCED): a new password from the compromised list is refused like
  // any other password change (EventFilter PASSWORD_CHANGE), once the code is proven.
  const threat = await threatContext(deps, checked.poolId, checked.settings, checked.clientId, { ipAddress: checked.ipAddress });
  if (threat && passwordVerdict(deps, threat, 'PASSWORD_CHANGE', input.Password).block) throw invalidPassword(THREAT_MESSAGES.compromisedPassword);

  const { passwordHash, srp } = await derivePasswordSecrets(deps, { id: checked.target.poolId }, checked.username, input.Password);

  const reset = await deps.store.transaction(async (tx) => {
    // The user may have changed while the password was hashed: reload, and let the code decide.
    const user = await tx.getUserBySub(checked.target.poolId, checked.sub);
    if (!user || !(await deps.codes.consume(tx, resetCodeTarget(checked.settings, user), input.ConfirmationCode))) {
      throw expiredCode(MESSAGES.expiredCode);
    }
    const now = deps.clock.nowMs();
    const next = { ...user, status: 'CONFIRMED' as const, passwordHash, srp, passwordUpdatedAt: now, updatedAt: now };
    await tx.updateUser(next);
    if (deps.config.revokeTokensOnPasswordReset) await tx.revokeUserRefreshTokens(user.sub, now);
    return next;
  });
  // After the reset commits, as AWS runs it once the user is confirmed (post-confirmation.ts).
  await runPostConfirmation(deps, checked.settings, reset, 'PostConfirmation_ConfirmForgotPassword', checked.clientId, input.ClientMetadata);
  return {};
};
