import type { Operation } from '../operation.js';
import { loadPublicClient } from '../../services/directory/public-client.js';
import { assertUsernameAvailable } from '../../services/directory/user-writes.js';
import { prepareCodeMessage, sendVerificationCode } from './verification-delivery.js';
import { clientSettingsOf } from '../../domain/clients/app-client.js';
import { assertRequiredAttributes, checkAttributeWrites, initialAttributes } from '../../domain/users/attributes.js';
import { newUserRecord, newUsername } from '../../domain/users/new-user.js';
import { assertPasswordMeetsPolicy } from '../../domain/pools/password-policy.js';
import { assertClientMayWrite, signUpChannel } from '../../domain/users/verification.js';
import { MESSAGES, invalidParameter, usernameExists } from '../../kernel/errors.js';
import { derivePasswordSecrets } from '../../services/passwords/password-secrets.js';
import { UniqueViolation } from '../../ports/unique-violation.js';

/**
 * A user registers through an app client. The account starts UNCONFIRMED; when the pool
 * auto-verifies the user's phone or email, a confirmation code goes there (ConfirmSignUp),
 * otherwise only an administrator can confirm it (AdminConfirmSignUp). ValidationData is for
 * the PreSignUp trigger, which userpoold does not run, so it is ignored.
 */
export const signUp: Operation<'SignUp'> = (deps) => async (input) => {
  const { client, pool, settings } = await loadPublicClient(deps, deps.store, input.ClientId, input.Username, input.SecretHash);
  // Passwordless sign-up (choice-based sign-in) is not supported: a password is required.
  if (input.Password === undefined) throw invalidParameter('Password is required for sign-up in this user pool.');

  const sub = deps.random.uuid();
  const { username, attribute } = newUsername(settings, input.Username, sub);
  const writes = input.UserAttributes ?? [];
  checkAttributeWrites(settings, writes, 'create');
  assertClientMayWrite(clientSettingsOf(client), settings, writes.map((w) => w.Name));
  const attributes = { sub, ...initialAttributes(settings, writes), ...(attribute && { [attribute.name]: attribute.value }) };
  assertRequiredAttributes(settings, attributes);
  assertPasswordMeetsPolicy(settings, input.Password);

  const { passwordHash, srp } = await derivePasswordSecrets(deps, pool, username, input.Password);
  const now = deps.clock.nowMs();
  const user = newUserRecord(settings, { poolId: pool.id, sub, username, status: 'UNCONFIRMED', passwordHash, srp, attributes, nowMs: now });
  // Checked again in the transaction; here so a taken name does not run the CustomMessage trigger.
  const taken = () => usernameExists(MESSAGES.usernameExists);
  await assertUsernameAvailable(deps.store, settings, user, taken);
  const channel = signUpChannel(settings, attributes);
  const prepared =
    channel && (await prepareCodeMessage(deps, pool, user, { channel, trigger: 'SignUp', clientId: client.id, clientMetadata: input.ClientMetadata }));

  const result = await deps.store.transaction(async (tx) => {
    await assertUsernameAvailable(tx, settings, user, taken);
    try {
      await tx.insertUser(user);
    } catch (err) {
      if (!(err instanceof UniqueViolation) || err.constraint === 'other') throw err;
      // Only sign-in names are unique for a new user (verified aliases are claimed at
      // confirmation); SignUp reports every clash as UsernameExistsException, the only one it has.
      if (err.constraint === 'username') throw usernameExists(MESSAGES.usernameExists);
      throw usernameExists(`An account with the given ${err.constraint} already exists.`);
    }
    const details = channel && prepared && (await sendVerificationCode(deps, tx, settings, user, 'confirm_sign_up', channel, prepared));
    return { UserConfirmed: false, UserSub: sub, ...(details && { CodeDeliveryDetails: details }) };
  });
  if (result.CodeDeliveryDetails) deps.onMessageQueued();
  return result;
};
